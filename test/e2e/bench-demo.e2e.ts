import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemo } from '../../bench/demo/demo-browser.js';
import { DemoMismatch, measureDemo } from '../../bench/demo/measure-demo.js';
import { rowProblems } from '../../bench/demo/row-checks.js';
import { parseConfig } from '../../src/config/load.js';
import { DEFAULT_PRESET, presets } from '../../src/config/presets.js';
import { assertRunnable } from '../../src/run/preflight.js';

/** bench:demo's measurement (bench/demo/measure-demo.ts) against the built demo, in Debian's Chromium. */
let demo: Awaited<ReturnType<typeof openDemo>>;
let browser: Browser;

beforeAll(async () => {
  demo = await openDemo();
  browser = demo.browser;
});

afterAll(async () => {
  await demo?.close();
});

describe('bench:demo checks that the page runs what it asked for', () => {
  it('fails, naming both grids and the refusal, when the page falls back to the 64² default', async () => {
    // The original bug: a link the page refuses runs the default preset, and the bench measured that.
    // A slope of 1.5 under a kernel of integral 1 has no stationary state, so the page refuses it.
    const unstable = { ...presets.irreversible, grid: { n: 128, length: 128 }, transfer: { type: 'linear' as const, slope: 1.5 } };
    expect(() => assertRunnable(parseConfig(unstable))).toThrow(/stationary|unstable/i);
    expect(presets[DEFAULT_PRESET].grid.n).toBe(64);

    const measured = measureDemo(browser, demo.url, { config: unstable, stepsPerFrame: 1, seconds: 2, frames: 2, timeoutSeconds: 120 });
    await expect(measured).rejects.toThrow(DemoMismatch);
    await expect(measured).rejects.toThrow(/^asked for 128², but the page runs 64² with another config \(grid\.n: asked 128, runs 64; .*transfer\.slope: asked 1\.5, runs 0\.8.*\); the page says: "the requested config was refused/);
  });

  it('measures a 64² page that runs the config asked, with rates that agree', async () => {
    const config = { ...presets.irreversible, grid: { n: 64, length: 64 }, seed: 7 };
    const row = await measureDemo(browser, demo.url, { config, stepsPerFrame: 3, seconds: 4, frames: 5, timeoutSeconds: 120 });
    expect(row).toMatchObject({ grid: '64²', cells: 64 ** 2, stepsPerFrame: 3, adapter: expect.stringMatching(/\S/) });
    expect(row.seconds).toBeGreaterThanOrEqual(4);
    expect(row.stepsPerSecond).toBeGreaterThan(0);
    expect(row.cellStepsPerSecond).toBeCloseTo(row.stepsPerSecond * 64 ** 2, 6);
    expect(rowProblems(row)).toEqual([]);
  });
});
