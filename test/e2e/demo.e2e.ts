import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { configToHash } from '../../demos/src/url-state.js';
import { statisticsBase } from '../helpers.js';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js';
import { serveStatic } from './static-server.js';

/** The built demo in Debian's Chromium, headless (see chromium.ts for the flags). */
const OUTPUT = 'test-output/e2e';
const BLOCKS = 12;

const symmetric: ConfigInput = {
  ...statisticsBase,
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
  seed: 3,
};

let browser: Browser;
let page: Page;
let server: Awaited<ReturnType<typeof serveStatic>>;

beforeAll(async () => {
  if (!existsSync('dist-demo/main.html')) throw new Error('dist-demo/ is missing: run `npm run build:demo` first (npm run test:e2e does)');
  mkdirSync(OUTPUT, { recursive: true });
  server = await serveStatic('dist-demo');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const text = async (id: string) => (await page.locator(`[data-testid="${id}"]`).textContent())?.trim() ?? '';
const number = async (id: string) => Number(await text(id));

/** Waits until the page's estimator has `blocks` complete batch-means blocks; returns estimate and error. */
async function estimateAfter(blocks: number, timeoutMs: number) {
  await page.waitForFunction(
    (b) => Number(document.querySelector('[data-testid="epr-blocks"]')?.textContent) >= b,
    blocks,
    { timeout: timeoutMs, polling: 250 },
  );
  return { estimate: await number('epr-estimate'), stderr: await number('epr-stderr'), theory: await text('epr-theory') };
}

/** The number input of the lil-gui controller labelled `name`. */
const knob = (name: string) =>
  page.locator('.lil-controller', { has: page.locator('.lil-name', { hasText: new RegExp(`^${name}$`) }) }).locator('input').last();

describe('the live demo in Chromium', () => {
  it('steps, refuses an unstable change, and moves the estimate from 0 to the theory when the shift turns on', async () => {
    await page.goto(`${server.url}/main.html?steps=200${configToHash(symmetric)}`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, null, { timeout: 60_000 });
    expect(await text('webgpu-error').catch(() => '')).toBe('');

    const before = await estimateAfter(BLOCKS, 240_000);
    expect(Number(before.theory)).toBe(0);
    expect(before.stderr).toBeGreaterThan(0);
    expect(Math.abs(before.estimate)).toBeLessThan(3 * before.stderr);

    // An unstable dt is refused on the spot with the reason; the run goes on.
    const stepsBefore = await number('step-count');
    await knob('dt').fill('5');
    await knob('dt').press('Enter');
    await expect.poll(() => text('config-error')).toMatch(/refused, still running the last good config: .*dt = 5 makes Euler–Maruyama unstable/);
    await expect.poll(async () => (await knob('dt').inputValue()) === '0.05').toBe(true);
    await expect.poll(() => number('step-count')).toBeGreaterThan(stepsBefore);

    // Turn the knob of irreversibility.
    await knob('shift x').fill('1.5');
    await knob('shift x').press('Enter');
    const shifted = parseConfig({ ...symmetric, kernel: { ...symmetric.kernel, shift: [1.5, 0] } } as ConfigInput);
    const theory = fourierTheory(shifted).eprDiscrete!;
    await expect.poll(async () => Number(await text('epr-theory')), { timeout: 30_000 }).toBeCloseTo(theory, 1);
    await expect.poll(() => text('config-error')).toBe('');
    const after = await estimateAfter(BLOCKS, 240_000);
    expect(after.stderr).toBeLessThan(theory / 5);
    expect(Math.abs(after.estimate - theory)).toBeLessThan(3 * after.stderr);
    await page.screenshot({ path: `${OUTPUT}/demo.png` });
  });

  it('runs an ensemble relaxation on a button and plots the balance against theory', async () => {
    const shifted: ConfigInput = { ...symmetric, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.5, 0] } };
    await page.goto(`${server.url}/main.html?steps=20${configToHash(shifted)}`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, null, { timeout: 60_000 });
    await page.locator('.lil-controller', { has: page.locator('.lil-name', { hasText: /^ensemble relaxation$/ }) }).locator('button').click();
    const status = page.locator('[data-testid="relax-status"]');
    await expect.poll(async () => (await status.textContent()) ?? '', { timeout: 240_000, interval: 1000 }).toMatch(/^(done|relaxation failed)/);
    expect(await status.textContent()).toMatch(/^done: 32 replicas of 32² cells from a zero field; last interval σ = /);
    expect(Number(await status.getAttribute('data-rows'))).toBe(29);
    const [sigma, stderr, theory] = await Promise.all(['data-sigma', 'data-stderr', 'data-theory'].map(async (a) => Number(await status.getAttribute(a))));
    expect(Math.abs(sigma - theory)).toBeLessThan(3 * stderr);
    expect(await page.locator('[data-testid="balance-plot"]').count()).toBe(1);
    await page.screenshot({ path: `${OUTPUT}/relaxation.png` });
  });

  it('shows a page that says what to do when WebGPU is missing', async () => {
    const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-features=WebGPU'] });
    try {
      const p = await plain.newPage();
      await p.goto(`${server.url}/main.html`);
      const box = p.locator('[data-testid="webgpu-error"]');
      await box.waitFor({ timeout: 30_000 });
      expect(await box.textContent()).toMatch(/WebGPU is not available.*(navigator\.gpu is missing|offered no adapter).*reload/s);
    } finally {
      await plain.close();
    }
  });
});

describe('the benchmark page in Chromium', () => {
  it('runs the smoke benchmark on the browser\'s adapter and prints its table', async () => {
    const p = await browser.newPage();
    try {
      await p.goto(`${server.url}/bench.html?autostart&mode=smoke`);
      await p.waitForFunction(() => /^(done|failed)/.test(document.querySelector('[data-testid="bench-status"]')?.textContent ?? ''), null, { timeout: 120_000 });
      expect(await p.locator('[data-testid="bench-status"]').textContent()).toBe('done');
      const report = await p.locator('[data-testid="bench-report"]').textContent();
      expect(report).toMatch(/roofline \((GPU timestamps|wall time)\): copy bandwidth [\d.]+ [kMG]?B\/s/);
      expect(report).toMatch(/\| amari-ep GPU \| 32² \| 2 \| [\d.]+ [kM]? \[/);
      expect(report).toMatch(/\| amari-ep CPU \(float64\) \| 32² \| 2 \| /);
    } finally {
      await p.close();
    }
  });
});
