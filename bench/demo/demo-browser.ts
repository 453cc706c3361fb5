import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../test/e2e/chromium.js';
import { serveStatic } from '../../test/e2e/static-server.js';

/** The built demo (dist-demo/) served on localhost, and Debian's Chromium, headless, to open it. */
export async function openDemo(folder = 'dist-demo'): Promise<{ browser: Browser; url: string; close: () => Promise<void> }> {
  if (!existsSync(`${folder}/main.html`)) throw new Error(`${folder}/ is missing: run \`npm run build:demo\` first`);
  const server = await serveStatic(folder);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  return {
    browser,
    url: server.url,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
