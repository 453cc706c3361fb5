import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { gpuUnsupported } from '../../src/gpu/capabilities.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { switchVariant } from '../../demos/src/schema-controls.js';
import { configFromHash, configToHash } from '../../demos/src/url-state.js';
import { configTree, withEveryKeySet } from '../demos/every-key.js';
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

/** The button of the lil-gui function controller labelled `name`. */
const button = (name: string) =>
  page.locator('.lil-controller', { has: page.locator('.lil-name', { hasText: new RegExp(`^${name}$`) }) }).locator('button');

/** Loads a page of the demo afresh (not a same-document hash change) and waits for it to step. */
async function open(url: string) {
  await page.goto('about:blank');
  await page.goto(url);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, null, { timeout: 60_000 });
}

/** The config in the page's URL hash, parsed. */
const configInLink = async () => parseConfig(configFromHash(new URL(page.url()).hash));

/** Clicks "export config" and returns the downloaded file's path and its config, parsed. */
async function exportConfig() {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button('export config').click()]);
  const path = `${OUTPUT}/exported-${Date.now()}.json`;
  await download.saveAs(path);
  return { path, config: parseConfig(JSON.parse(readFileSync(path, 'utf8'))) };
}

describe('the live demo in Chromium', () => {
  it('keeps every config key through a GUI edit, export, import and a copied link', async () => {
    // Every key a document may leave out, set to a value other than its default
    // (read from the schema, so a key added later is covered), whiteFraction included.
    const base = parseConfig(symmetric);
    switchVariant(configTree, base, ['initial', 'type'], 'random');
    const runnable = (c: Config) => {
      try {
        assertRunnable(c);
        return gpuUnsupported(c) === undefined;
      } catch {
        return false;
      }
    };
    const config = withEveryKeySet(base, runnable);
    expect(config.noise.whiteFraction).toBeGreaterThan(0);
    expect(config.kernel.radius).toBeDefined();
    const edited: Config = { ...config, noise: { ...config.noise, whiteFraction: 0.5 } };

    await open(`${server.url}/main.html?steps=20${configToHash(config)}`);
    expect(await text('config-error')).toBe('');
    expect(await configInLink()).toEqual(config);
    await expect.poll(async () => (await knob('whiteFraction').inputValue()) === String(config.noise.whiteFraction)).toBe(true);
    expect(await page.locator('[data-path="kernel.radius"][data-kind="optional"] input').isChecked()).toBe(true);

    // One edit in the GUI; the run takes it and the link follows.
    await knob('whiteFraction').fill('0.5');
    await knob('whiteFraction').press('Enter');
    await expect.poll(configInLink, { timeout: 60_000 }).toEqual(edited);
    expect(await text('config-error')).toBe('');

    // Export: the file holds every key.
    const exported = await exportConfig();
    expect(exported.config).toEqual(edited);

    // Import it into a page that runs another config.
    await open(`${server.url}/main.html?steps=20${configToHash(symmetric)}`);
    expect(await configInLink()).toEqual(parseConfig(symmetric));
    await page.setInputFiles('#import-file', exported.path);
    await expect.poll(configInLink, { timeout: 60_000 }).toEqual(edited);
    expect(await text('config-error')).toBe('');
    expect((await exportConfig()).config).toEqual(edited);

    // Copy the link, and load it afresh.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await button('copy link').click();
    let link = '';
    await expect.poll(async () => (link = await page.evaluate(() => navigator.clipboard.readText()))).toMatch(/#config=/);
    await open(link);
    expect(await configInLink()).toEqual(edited);
    expect((await exportConfig()).config).toEqual(edited);
    expect(await knob('whiteFraction').inputValue()).toBe('0.5');
    expect(await text('config-error')).toBe('');
  });

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

  it('switches a type and unsets an optional key from the GUI, keeping the rest of the config', async () => {
    const config = parseConfig({ ...symmetric, kernel: { ...symmetric.kernel, radius: 6 }, noise: { amplitude: 0.05, correlationLength: 1, whiteFraction: 0.25 } });
    await open(`${server.url}/main.html?steps=20${configToHash(config)}`);
    await page.locator('[data-path="transfer.type"] select').selectOption('tanh');
    await expect.poll(configInLink, { timeout: 60_000 }).toEqual({ ...config, transfer: { type: 'tanh', gain: 0.8, threshold: 0 } });
    await expect.poll(() => page.locator('[data-path="transfer.gain"]').count()).toBe(1);
    await page.locator('[data-path="kernel.radius"][data-kind="optional"] input').uncheck();
    const { radius: _, ...kernel } = config.kernel;
    await expect.poll(configInLink, { timeout: 60_000 }).toEqual({ ...config, kernel, transfer: { type: 'tanh', gain: 0.8, threshold: 0 } });
    expect(await page.locator('[data-path="kernel.radius"][data-kind="number"]').count()).toBe(0);
    expect(await text('config-error')).toBe('');
    await page.locator('#gui').screenshot({ path: `${OUTPUT}/controls.png` });
  });

  it('runs an ensemble relaxation on a button and plots the balance against theory', async () => {
    const shifted: ConfigInput = { ...symmetric, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.5, 0] } };
    // A fresh page: a goto that changes only the hash would keep the last test's page and run.
    await open(`${server.url}/main.html?steps=20${configToHash(shifted)}`);
    await button('ensemble relaxation').click();
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
