import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { serveStatic } from './static-server.js';

export interface DemoPage {
  /** Set once the file's beforeAll has run. */
  browser: Browser;
  page: Page;
  server: Awaited<ReturnType<typeof serveStatic>>;
}

/**
 * The built demo served from dist-demo/ and one headless Chromium page on it,
 * opened before the file's tests and closed after them: the set-up every e2e
 * file shares. `output` is created for the file's screenshots and downloads.
 */
export function useDemoPage(output: string): DemoPage {
  const demo = {} as DemoPage;
  beforeAll(async () => {
    if (!existsSync('dist-demo/main.html')) throw new Error('dist-demo/ is missing: run `npm run build:demo` first (npm run test:e2e does)');
    mkdirSync(output, { recursive: true });
    demo.server = await serveStatic('dist-demo');
    demo.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    demo.page = await demo.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    demo.page.on('pageerror', (e) => console.error('page error:', e.message));
  });
  afterAll(async () => {
    await demo.browser?.close();
    await demo.server?.close();
  });
  return demo;
}
