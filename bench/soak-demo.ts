/**
 * Soak test of the live demo (issue 14): runs the built demo (npm run
 * build:demo) in headless Chromium for a set time and reports, at the start,
 * every minute and at the end, the page's JS heap and its live GPU buffers;
 * then a verdict. Exits 1 when the live GPU buffers keep growing, or the page
 * errs (a page error, a console error, the error banner, a lost device) or
 * stops stepping.
 *
 *   npm run soak:demo -- [--minutes 10] [--n 256] [--steps 0] [--sample 15]
 *
 * --n: the grid (n or nx×ny, Δx = Δy = 1) of the irreversible preset;
 * --steps: steps per frame (0: the page's default for the grid);
 * --sample: seconds between samples (the verdict's resolution; the table prints one a minute).
 *
 * Heap: the main thread's V8 heap in use after a forced garbage collection
 * (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage), so garbage
 * waiting to be collected is not counted as growth.
 *
 * GPU buffers: counted in the page by wrapping GPUDevice.createBuffer and
 * GPUBuffer.destroy in a script that runs before the page's own: created,
 * destroyed, and those the page never destroyed but dropped (collected by the
 * garbage collector, which frees their memory; seen with a
 * FinalizationRegistry). Live = created − destroyed − collected: buffers some
 * object of the page still holds, with their bytes.
 */
import { parseArgs } from 'node:util';
import type { CDPSession, Page } from 'playwright-core';
import { presets } from '../src/config/presets.js';
import { configToHash } from '../demos/src/url-state.js';
import { openDemo } from './demo/demo-browser.js';
import { parseGridList, sizeName, unitGrid } from './demo/grid-list.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    n: { type: 'string', default: '256' },
    steps: { type: 'string', default: '0' },
    sample: { type: 'string', default: '15' },
  },
});
const minutes = Number(values.minutes);
const sampleSeconds = Number(values.sample);
const steps = Number(values.steps);
if (!(minutes > 0)) throw new Error(`--minutes must be a number > 0 (got "${values.minutes}")`);
if (!(sampleSeconds >= 1)) throw new Error(`--sample must be a number of seconds ≥ 1 (got "${values.sample}")`);
if (!(Number.isInteger(steps) && steps >= 0)) throw new Error(`--steps must be an integer ≥ 0, 0 for the page's default (got "${values.steps}")`);
const sizes = parseGridList(values.n);
if (sizes.length !== 1) throw new Error(`--n must be one grid (got "${values.n}")`);

/** The page's GPU buffer counts (the init script's), as read from `window.__soakBuffers`. */
interface BufferCounts {
  created: number;
  destroyed: number;
  collected: number;
  live: number;
  liveBytes: number;
}

interface Sample {
  seconds: number;
  step: number;
  frames: number;
  heapBytes: number;
  buffers: BufferCounts;
}

/**
 * Runs in the page before its scripts: counts GPU buffers as they are
 * created, destroyed, or dropped. Plain JavaScript in a string: a function
 * passed from here would carry tsx's __name() helpers into the page.
 */
const COUNT_BUFFERS = `(() => {
  if (typeof GPUDevice === 'undefined') return;
  const counts = { created: 0, destroyed: 0, collected: 0, live: 0, liveBytes: 0 };
  const sizes = new WeakMap();
  const dropped = new FinalizationRegistry((size) => {
    counts.collected++;
    counts.live--;
    counts.liveBytes -= size;
  });
  const create = GPUDevice.prototype.createBuffer;
  GPUDevice.prototype.createBuffer = function (descriptor) {
    const buffer = create.call(this, descriptor);
    counts.created++;
    counts.live++;
    counts.liveBytes += buffer.size;
    sizes.set(buffer, buffer.size);
    dropped.register(buffer, buffer.size, buffer);
    return buffer;
  };
  const destroy = GPUBuffer.prototype.destroy;
  GPUBuffer.prototype.destroy = function () {
    // A second destroy() of one buffer is allowed and frees nothing more.
    const size = sizes.get(this);
    if (size !== undefined) {
      sizes.delete(this);
      dropped.unregister(this);
      counts.destroyed++;
      counts.live--;
      counts.liveBytes -= size;
    }
    return destroy.call(this);
  };
  window.__soakBuffers = counts;
})();`;

async function sample(page: Page, cdp: CDPSession, began: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  // The registry's callbacks run in a later task than the collection.
  await page.waitForTimeout(100);
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const shown = await page.evaluate(() => ({
    step: Number(document.querySelector('[data-testid="step-count"]')?.textContent),
    frames: Number(document.querySelector('[data-testid="running-config"]')?.getAttribute('data-frames') ?? 0),
    buffers: { ...(window as unknown as { __soakBuffers: BufferCounts }).__soakBuffers },
  }));
  return { seconds: (Date.now() - began) / 1000, heapBytes: usedSize, ...shown };
}

/** What the page shows that says it went wrong: the error banner, a lost device, the fatal page. */
const pageProblems = (page: Page) =>
  // No named functions inside: tsx would wrap them in a __name() the page lacks.
  page.evaluate(() =>
    [
      ['error banner', 'config-error'],
      ['device status', 'device-status'],
      ['fatal', 'webgpu-error'],
    ]
      .map(([what, id]) => [what, document.querySelector<HTMLElement>(`[data-testid="${id}"]`)] as const)
      .filter(([, el]) => el && !el.hidden && el.textContent?.trim())
      .map(([what, el]) => `${what}: ${el!.textContent!.trim()}`),
  );

/** Least-squares slope of y against x (per unit of x); 0 with fewer than two points. */
function slope(points: [number, number][]): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * Whether a count keeps growing: over the second half of the run it ends
 * higher than it was at half time and rose in at least 3/4 of the sample
 * intervals (at least two). A leak of a buffer per frame or per block rises in
 * every interval; a one-off (the estimators attaching after the burn-in, a
 * theory arriving) rises in one.
 */
function keepsGrowing(counts: number[]): boolean {
  const half = counts.slice(Math.floor((counts.length - 1) / 2));
  if (half.length < 3) return false;
  let rises = 0;
  for (let i = 1; i < half.length; i++) if (half[i] > half[i - 1]) rises++;
  return half[half.length - 1] > half[0] && rises >= Math.max(2, Math.ceil(0.75 * (half.length - 1)));
}

const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(2);

const size = sizes[0];
const config = { ...presets.irreversible, grid: unitGrid(size) };
const demo = await openDemo();
const problems: string[] = [];
const samples: Sample[] = [];
try {
  const page = await demo.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.addInitScript({ content: COUNT_BUFFERS });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // The static server has no favicon: the browser's 404 for it is no error of the page.
    if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`console error: ${m.text()}`);
  });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${demo.url}/main.html${steps ? `?steps=${steps}` : ''}${configToHash(config)}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, null, { timeout: 600_000, polling: 500 });
  if (!(await page.evaluate(() => '__soakBuffers' in window))) throw new Error('the page has no WebGPU (GPUDevice is missing): nothing to count');
  const began = Date.now();
  samples.push(await sample(page, cdp, began));
  console.error(`soaking ${sizeName(size)} for ${minutes} min (${await page.locator('#adapter').textContent()})`);
  const end = began + minutes * 60_000;
  while (Date.now() < end && !problems.length) {
    await page.waitForTimeout(Math.min(sampleSeconds * 1000, end - Date.now()));
    samples.push(await sample(page, cdp, began));
    for (const problem of await pageProblems(page)) problems.push(problem);
  }
  const [first, last] = [samples[0], samples[samples.length - 1]];
  if (last.step <= first.step) problems.push(`the page made no step in ${last.seconds.toFixed(0)} s (step ${first.step} at the start, ${last.step} at the end)`);
} finally {
  await demo.close();
}

// The table: the start, the sample nearest each whole minute, and the end.
const rows = samples.filter((s, i) => i === 0 || i === samples.length - 1 || Math.floor(s.seconds / 60) > Math.floor(samples[i - 1].seconds / 60));
console.log(`The demo (irreversible preset, ${sizeName(size)}, Δx = 1) in headless Chromium for ${minutes} min; heap after a forced GC; live GPU buffers = created − destroyed − collected undestroyed.\n`);
console.log('| time (s) | step | frames | JS heap (MiB) | live GPU buffers | live GPU MiB | created | destroyed | collected undestroyed |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const s of rows) {
  const b = s.buffers;
  console.log(`| ${s.seconds.toFixed(0)} | ${s.step} | ${s.frames} | ${MiB(s.heapBytes)} | ${b.live} | ${MiB(b.liveBytes)} | ${b.created} | ${b.destroyed} | ${b.collected} |`);
}
if (samples.length >= 2) {
  const [first, last] = [samples[0], samples[samples.length - 1]];
  const perMinute = (f: (s: Sample) => number) => 60 * slope(samples.slice(Math.floor((samples.length - 1) / 2)).map((s) => [s.seconds, f(s)]));
  const growing = keepsGrowing(samples.map((s) => s.buffers.live));
  console.log(
    `\nGPU buffers: ${first.buffers.live} live (${MiB(first.buffers.liveBytes)} MiB) at the start, ${last.buffers.live} (${MiB(last.buffers.liveBytes)} MiB) at the end; ` +
      `${perMinute((s) => s.buffers.live).toFixed(2)} buffers/min and ${MiB(perMinute((s) => s.buffers.liveBytes))} MiB/min over the second half: ${growing ? 'KEEPS GROWING' : 'bounded'}.`,
  );
  console.log(
    `JS heap: ${MiB(first.heapBytes)} MiB at the start, ${MiB(last.heapBytes)} MiB at the end; ${MiB(perMinute((s) => s.heapBytes))} MiB/min over the second half` +
      `${keepsGrowing(samples.map((s) => s.heapBytes)) ? ' (rising in most samples: look closer)' : ''}.`,
  );
  console.log(`Buffers created over the run: ${last.buffers.created - first.buffers.created} (${((60 * (last.buffers.created - first.buffers.created)) / Math.max(1, last.seconds)).toFixed(1)}/min), of which the page dropped ${last.buffers.collected - first.buffers.collected} without destroy().`);
  if (growing) problems.push('the live GPU buffers kept growing over the second half of the run');
}
if (problems.length) {
  console.error(`soak:demo failed:\n${[...new Set(problems)].map((p) => `  ${p}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log('Verdict: no page error, the run stepped throughout, GPU buffers bounded.');
}
