import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { chromium, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { decodeNpy } from '../../src/config/npy.js';
import { presetNames, presets } from '../../src/config/presets.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { gpuUnsupported } from '../../src/gpu/capabilities.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { linearTheory } from '../../src/theory/linear.js';
import { gridSizesFor } from '../../demos/src/grid-sizes.js';
import { switchVariant } from '../../demos/src/schema-controls.js';
import { configFromHash, configToHash } from '../../demos/src/url-state.js';
import { configTree, withEveryKeySet } from '../demos/every-key.js';
import { statisticsBase } from '../helpers.js';
import { CHROMIUM } from './chromium.js';
import { useDemoPage, type DemoPage } from './demo-page.js';

/** The built demo in Debian's Chromium, headless (see chromium.ts for the flags). */
const OUTPUT = 'test-output/e2e';
const BLOCKS = 12;
/**
 * How long a poll waits for the page to redraw after a UI change. vitest's default is 1 s,
 * which a loaded 2-core machine running SwiftShader can miss between two frames.
 */
const UI = { timeout: 30_000 };

const symmetric: ConfigInput = {
  ...statisticsBase,
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
  seed: 3,
};

const demo = useDemoPage(OUTPUT);
let page: Page;
let server: DemoPage['server'];
beforeAll(() => {
  page = demo.page;
  server = demo.server;
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

/** Clicks a download button and returns the .npy it saves, decoded. */
async function downloadNpy(name: string) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button(name).click()]);
  const path = `${OUTPUT}/${download.suggestedFilename()}`;
  await download.saveAs(path);
  return decodeNpy(readFileSync(path));
}

/** The theory the page shows: its status and, once ready, the full-precision σ_dt. */
async function pageTheory(timeoutMs = 120_000) {
  const cell = page.locator('[data-testid="epr-theory"]');
  await expect.poll(() => cell.getAttribute('data-status'), { timeout: timeoutMs, interval: 250 }).toBe('ready');
  return Number(await cell.getAttribute('data-value'));
}

const runnable = (c: Config) => {
  try {
    assertRunnable(c);
    return gpuUnsupported(c) === undefined;
  } catch {
    return false;
  }
};

/** A config with every key set (withEveryKeySet), uniform or with maps of the noise, the slope and the input. */
function everyKeyConfig(maps: boolean): Config {
  const base = parseConfig(
    maps
      ? {
          ...symmetric,
          grid: { n: 16, length: 16 },
          transfer: { type: 'linear', slope: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.9, outside: 0.5 } },
          input: { pattern: 'bump', center: [4, 8], sigma: 2, base: 0, peak: 0.5 },
          // "distribution" is left to its default: withEveryKeySet sets it.
          noise: { amplitude: { pattern: 'random', mean: 0.05, std: 0.02, correlationLength: 2, seed: 3 } },
        }
      : symmetric,
  );
  switchVariant(configTree, base, ['initial', 'type'], 'random');
  // A torus: grid.dimensions stays 2 (test/e2e/grids.e2e.ts runs a ring).
  return withEveryKeySet(base, runnable, ['grid.dimensions']);
}

describe('the live demo in Chromium', () => {
  it.each([['uniform', false] as const, ['maps of noise, slope and input', true] as const])('keeps every config key (%s) through a GUI edit, export, import and a copied link', async (_, maps) => {
    // Every key a document may leave out, set to a value other than its default
    // (read from the schema, so a key added later is covered), whiteFraction included.
    const config = everyKeyConfig(maps);
    expect(config.noise.whiteFraction).toBeGreaterThan(0);
    expect(config.kernel.radius).toBeDefined();
    if (maps) expect(config.noise.amplitude).toMatchObject({ pattern: 'random', distribution: 'lognormal' });
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

  it('keeps a map file from a link as it is, says why it does not run it, and runs a pattern chosen in its place', async () => {
    const withFile = { ...presetConfig('noise-stripe'), noise: { amplitude: { file: 'd.npy' }, correlationLength: 0, whiteFraction: 0 } };
    const inLink = async () => parseConfig(configFromHash(new URL(page.url()).hash), { mapFiles: 'skip' });
    await open(`${server.url}/main.html?steps=20${configToHash(withFile)}`);
    expect(await text('config-error')).toMatch(/not run, running the default preset instead: noise\.amplitude is the map file "d\.npy", which this page cannot read .*choose one in the panel/s);
    expect(await inLink()).toEqual(withFile);
    const choice = page.locator('[data-path="noise.amplitude"][data-kind="alternative"] select');
    expect(await choice.locator('option:checked').textContent()).toBe('file (not loadable here)');
    expect(await choice.locator('option').allTextContents()).toEqual(['uniform', 'stripe', 'disc', 'bump', 'tilt', 'random', 'file (not loadable here)']);
    // Exports keep it too.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button('export config').click()]);
    await download.saveAs(`${OUTPUT}/exported-file-map.json`);
    expect(parseConfig(JSON.parse(readFileSync(`${OUTPUT}/exported-file-map.json`, 'utf8')), { mapFiles: 'skip' })).toEqual(withFile);
    // Another edit keeps the file and still refuses it.
    await knob('dt').fill('0.04');
    await knob('dt').press('Enter');
    await expect.poll(inLink, { timeout: 30_000 }).toEqual({ ...withFile, dt: 0.04 });
    expect(await text('config-error')).toMatch(/not run, still running the last good config: noise\.amplitude is the map file "d\.npy"/);
    // A pattern in its place runs.
    await choice.selectOption('stripe');
    await expect.poll(inLink, { timeout: 60_000 }).toEqual({ ...withFile, dt: 0.04, noise: { ...withFile.noise, amplitude: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.2, outside: 0.01 } } });
    await expect.poll(() => text('config-error')).toBe('');
    expect(await page.locator('[data-path="noise.amplitude.width"] input').inputValue()).toBe('4');
    await page.locator('#gui').screenshot({ path: `${OUTPUT}/map-controls.png` });
  });

  it('noise-stripe: the estimate agrees with the theory of its one-axis map (Fourier blocks), the map is drawn, and the entropy is produced at the stripe\'s edges', async () => {
    const config = presetConfig('noise-stripe');
    const theory = linearTheory(config);
    await open(`${server.url}/main.html?preset=noise-stripe&steps=200&view=all`);
    // The theory, computed in a worker, is the library's (Fourier blocks: the stripe varies along x only).
    const shown = await pageTheory();
    expect(shown).toBeCloseTo(theory.eprDiscrete!, 9);
    expect(shown).toBeGreaterThan(4);
    expect(await text('theory-note')).toMatch(/Fourier-block theory of the one-axis noise\.amplitude map.*out of equilibrium/);
    const estimate = await estimateAfter(20, 600_000);
    expect(estimate.stderr).toBeLessThan(shown / 5);
    expect(Math.abs(estimate.estimate - shown)).toBeLessThan(3 * estimate.stderr);
    await page.screenshot({ path: `${OUTPUT}/noise-stripe.png` });

    // Where the entropy is produced: the measured map against the theory's, cell by cell and by column.
    const measured = await downloadNpy('density .npy');
    const local = await downloadNpy('theory density .npy');
    const expected = theory.localDensity()!;
    expect(local.shape).toEqual([16, 16]);
    local.data.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 9));
    const columns = (d: Float64Array) => Array.from({ length: 16 }, (_, x) => d.filter((__, i) => i % 16 === x).reduce((a, b) => a + b, 0));
    const byColumn = columns(measured.data);
    const total = byColumn.reduce((a, b) => a + b, 0);
    // The stripe covers 6 ≤ x < 10: the columns just outside it, 5 and 10, are the two largest and carry most of it.
    const ranked = byColumn.map((v, x) => [v, x]).sort((a, b) => b[0] - a[0]).map(([, x]) => x);
    expect(ranked.slice(0, 2).sort((a, b) => a - b)).toEqual([5, 10]);
    expect((byColumn[5] + byColumn[10]) / total).toBeGreaterThan(0.7);
    await expect.poll(async () => Number(await page.locator('[data-testid="density-match"]').getAttribute('data-correlation')), { timeout: 120_000 }).toBeGreaterThan(0.8);

    // The map view draws D(x): a bright band a quarter of the side wide (0.2 inside, 0.01 outside), on the map's colour bar.
    await page.locator('[data-path="view"] select').selectOption('map');
    await expect.poll(() => text('panel-titles'), UI).toBe('noise D(x): stripe map');
    expect(await page.locator('[data-bar="map"] .hi').textContent()).toBe('0.2');
    expect(await page.locator('[data-bar="map"] .lo').textContent()).toBe('0.01');
    await page.waitForTimeout(500);
    const shot = PNG.sync.read(await page.locator('#field-canvas').screenshot({ path: `${OUTPUT}/noise-stripe-map.png` }));
    const row = Math.floor(shot.height / 2);
    const side = shot.height; // one period of the torus spans the panel's shorter side
    let bright = 0;
    for (let x = 0; x < side; x++) {
      const o = (row * shot.width + x) * 4;
      if (shot.data[o] > 200 && shot.data[o + 1] > 200 && shot.data[o + 2] < 100) bright++; // viridis' top: yellow
    }
    expect(bright / side).toBeGreaterThan(0.2);
    expect(bright / side).toBeLessThan(0.3);
    await page.locator('[data-path="view"] select').selectOption('density and theory');
    await page.waitForTimeout(500);
    await page.locator('.stage').screenshot({ path: `${OUTPUT}/noise-stripe-density.png` });
  });

  it('irreversible: the theory line does not move when the noise amplitude D changes in the GUI', async () => {
    await open(`${server.url}/main.html?preset=irreversible&steps=5`);
    const before = await pageTheory();
    expect(before).toBeCloseTo(fourierTheory(presetConfig('irreversible')).eprDiscrete!, 9);
    const d = page.locator('[data-path="noise.amplitude"][data-kind="number"] input');
    expect(await d.inputValue()).toBe('0.02');
    await d.fill('0.08');
    await d.press('Enter');
    await expect.poll(async () => (await configInLink()).noise.amplitude, { timeout: 60_000 }).toBe(0.08);
    expect(await text('config-error')).toBe('');
    // The run restarted with the new D; its theory is the same number.
    const after = await pageTheory();
    expect(Math.abs(after - before)).toBeLessThan(1e-9 * before);
    expect(await text('epr-theory')).toBe(String(Number(before.toPrecision(4))));
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
    await expect.poll(() => text('config-error'), UI).toMatch(/refused, still running the last good config: .*dt = 5 makes Euler–Maruyama unstable/);
    await expect.poll(async () => (await knob('dt').inputValue()) === '0.05', UI).toBe(true);
    await expect.poll(() => number('step-count'), UI).toBeGreaterThan(stepsBefore);

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

  it('opens a link to the irreversible field at 1024², says what start-up is doing, steps, and shows the CLI\'s theory', async () => {
    const config = parseConfig({ ...presets.irreversible, grid: { n: 1024, length: 1024 } });
    // The CLI's theory of the same config, run for real.
    const file = `${OUTPUT}/irreversible-1024.json`;
    writeFileSync(file, JSON.stringify(config, null, 2));
    const cli = JSON.parse(execFileSync('npx', ['tsx', 'src/cli/main.ts', 'theory', '-c', file, '--json'], { encoding: 'utf8' }));
    expect(cli.method).toBe('fourier');
    expect(cli.eprDiscrete).toBeGreaterThan(0);

    await page.goto('about:blank');
    const started = Date.now();
    await page.goto(`${server.url}/main.html?steps=1${configToHash(config)}`);
    const startup = page.locator('[data-testid="startup"]');
    // The status line speaks before the first engine exists.
    await expect.poll(() => startup.getAttribute('data-stage'), { timeout: 30_000, interval: 100 }).toMatch(/requesting the adapter|compiling the renderer|checking the config|choosing the convolution|compiling and allocating|uploading/);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, null, { timeout: 300_000, polling: 100 });
    const firstStep = (Date.now() - started) / 1000;
    const steps = await number('step-count');
    await expect.poll(() => number('step-count'), { timeout: 120_000 }).toBeGreaterThan(steps);

    // No refusal; the page runs the 1024² grid it was asked for (the canvas draws it, the link carries it).
    expect(await text('config-error')).toBe('');
    expect(await page.locator('[data-testid="config-error"]').isHidden()).toBe(true);
    expect(await page.locator('[data-testid="field-canvas"]').getAttribute('data-n')).toBe('1024');
    expect((await configInLink()).grid).toEqual({ n: 1024, length: 1024, dimensions: 2 });

    // Start-up said what it did, stage by stage, up to the first frame.
    await expect.poll(() => startup.getAttribute('data-done')).toBe('true');
    expect(await startup.getAttribute('data-stage')).toBe('first frame');
    const stages = (await startup.textContent()) ?? '';
    expect(stages).toMatch(
      /^start-up: requesting the adapter [\d.]+ s · compiling the renderer [\d.]+ s · checking the config [\d.]+ s · choosing the convolution [\d.]+ s · convolution: \w+ \(.*\); compiling and allocating [\d.]+ s · uploading the initial field [\d.]+ s · .*computing the theory [\d.]+ s · first frame [\d.]+ s — [\d.]+ s in all$/,
    );
    console.log(`1024² irreversible: first step ${firstStep.toFixed(1)} s after navigation; ${stages}`);

    // The page's theory is the CLI's, to rounding.
    const shown = await pageTheory();
    expect(Math.abs(shown - cli.eprDiscrete)).toBeLessThan(1e-12 * Math.abs(cli.eprDiscrete));
    await page.screenshot({ path: `${OUTPUT}/irreversible-1024.png` });

    // The convolution choice was kept in localStorage: a returning visit skips measuring it.
    const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('amari-ep:convolution:')));
    expect(keys.some((k) => k.includes('|1024×1024|'))).toBe(true);
    await page.goto('about:blank');
    const again = Date.now();
    await page.goto(`${server.url}/main.html?steps=1${configToHash(config)}`);
    await expect.poll(() => startup.getAttribute('data-done'), { timeout: 300_000, interval: 250 }).toBe('true');
    expect(await startup.textContent()).toMatch(/convolution: \w+ \(cached for this adapter\)/);
    console.log(`1024² irreversible, returning visit: first frame ${((Date.now() - again) / 1000).toFixed(1)} s after navigation; ${await startup.textContent()}`);
  });

  it('offers the grid sizes the adapter holds, and refuses one that does not fit from a link before allocating, naming the limit', async () => {
    await open(`${server.url}/main.html?steps=1`);
    const adapterLimits = await page.evaluate(async () => {
      const adapter = (await navigator.gpu.requestAdapter()) ?? (await navigator.gpu.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions));
      return { maxStorageBufferBindingSize: adapter!.limits.maxStorageBufferBindingSize, maxBufferSize: adapter!.limits.maxBufferSize };
    });
    const limits = Math.min(adapterLimits.maxStorageBufferBindingSize, adapterLimits.maxBufferSize);
    // Every size of the list whose n² float32 field fits, up to the schema's 16384 (SwiftShader: 1 GiB buffers, all of them), beside a free entry.
    const offered = (await page.locator('[data-path="grid.n"][data-kind="choice"] select option').allTextContents()).map(Number);
    expect(offered).toEqual(gridSizesFor(adapterLimits));
    expect(offered.every((n) => 4 * n * n <= limits)).toBe(true);
    expect(offered).toEqual(expect.arrayContaining([100, 1000, 1024, 4096]));
    expect(await page.locator('[data-path="grid.n"][data-kind="number"] input').count()).toBe(1);

    // Past the largest size offered, or (all offered) correlated noise on the largest grid, whose inverse covariance needs complex buffers of 8n² bytes.
    const largest = offered[offered.length - 1];
    const input = largest < 16384
      ? { ...presets.irreversible, grid: { n: 2 * largest, length: 2 * largest } }
      : { ...presets.irreversible, grid: { n: largest, length: largest }, noise: { amplitude: 0.02, correlationLength: 1 } };
    expect(8 * largest * largest).toBeGreaterThan(limits);
    const config = parseConfig(input);
    await page.goto('about:blank');
    const started = Date.now();
    await page.goto(`${server.url}/main.html?steps=1${configToHash(config)}`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, null, { timeout: 60_000 });
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(await text('config-error')).toMatch(
      new RegExp(`^the requested config was refused, running the default preset instead: .*${config.grid.n}² cells × 1 replica\\(s\\).* need storage buffers of [\\d.]+ MiB; this adapter's (maxStorageBufferBindingSize|maxBufferSize) is [\\d.]+ MiB`),
    );
    expect(await page.locator('[data-testid="field-canvas"]').getAttribute('data-n')).toBe(String(presets.irreversible.grid.n));
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

describe('the front page in Chromium', () => {
  it('lists the presets that show the physics, links those that exist and disables the others', async () => {
    await page.goto(`${server.url}/index.html`);
    const items = page.locator('[data-testid="physics-presets"] li');
    await expect.poll(() => items.first().getAttribute('data-available')).not.toBeNull();
    const names = await items.evaluateAll((li) => li.map((e) => (e as HTMLElement).dataset.preset));
    expect(names).toEqual(['equilibrium', 'irreversible', 'noise-stripe', 'gain-balanced', 'pinned-bump']);
    for (const name of names) {
      const item = page.locator(`[data-preset="${name}"]`);
      const exists = (presetNames as string[]).includes(name!);
      expect(await item.getAttribute('data-available'), name).toBe(String(exists));
      expect(await item.locator('a').count(), name).toBe(exists ? 1 : 0);
      if (exists) expect(await item.locator('a').getAttribute('href')).toMatch(new RegExp(`^\\./main\\.html\\?preset=${name}(&|$)`));
      else expect(await item.textContent()).toMatch(/not in this build yet/);
    }
    await page.screenshot({ path: `${OUTPUT}/front-page.png` });
  });
});

describe('the benchmark page in Chromium', () => {
  it('runs the smoke benchmark on the browser\'s adapter and prints its table', async () => {
    const p = await demo.browser.newPage();
    try {
      await p.goto(`${server.url}/bench.html?autostart&mode=smoke`);
      await p.waitForFunction(() => /^(done|failed)/.test(document.querySelector('[data-testid="bench-status"]')?.textContent ?? ''), null, { timeout: 120_000 });
      expect(await p.locator('[data-testid="bench-status"]').textContent()).toBe('done');
      const report = await p.locator('[data-testid="bench-report"]').textContent();
      expect(report).toMatch(/roofline \((GPU timestamps|wall time)\): copy bandwidth [\d.]+ [kMG]?B\/s/);
      // Columns: engine | convolution (drift kernel and column workgroup) | estimator | grid | radius | cell-steps/s …
      expect(report).toMatch(/\| amari-ep GPU \| stencil \(separable 32×4\/8\) \| yes \| 32² \| 2 \| [\d.]+ [kM]? \[/);
      expect(report).toMatch(/\| amari-ep GPU \| stencil \(separable 32×4\/8\) \| no \| 32² \| 2 \| [\d.]+ [kM]? \[/);
      // A user's run (auto) and the temporal-blocking row, checked against one-step fields like the others.
      expect(report).toMatch(/\| amari-ep GPU \| auto \(separable \d+×\d+\/\d+\) \| yes \| 32² \| 2 \| [\d.]+ [kM]? \[/);
      expect(report).toMatch(/\| amari-ep GPU \| stencil-2d \(tiled, temporal blocking T=2\) \| no \| 32² \| 2 \| [\d.]+ [kM]? \[/);
      expect(report).toMatch(/\| amari-ep CPU \(float64\) \| 2-D stencil \| yes \| 32² \| 2 \| /);
    } finally {
      await p.close();
    }
  });
});
