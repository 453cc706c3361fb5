import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { presets } from '../../src/config/presets.js';
import { decodeCheckpoint } from '../../src/run/checkpoint/checkpoint.js';
import { RUN_FILE } from '../../demos/src/run-file.js';
import { configToHash } from '../../demos/src/url-state.js';
import { useDemoPage } from './demo-page.js';

/**
 * "save run" and "restore run" (issue 14): the page saves its run as the
 * CLI's checkpoint file; after a reload, restoring that file goes on from the
 * saved step with the estimators' blocks restored; a damaged file is refused
 * in one line on the page's error banner, the running field untouched.
 */
const OUTPUT = 'test-output/e2e-save-restore';
const demo = useDemoPage(OUTPUT);
let page: Page;
beforeAll(() => {
  page = demo.page;
});

/** A 32² irreversible field: small, so a software adapter gets past the burn-in to whole blocks in seconds. */
const config = { ...presets.irreversible, grid: { n: 32, length: 32 }, seed: 7 };
const WAIT = { timeout: 300_000, polling: 250 };

const number = (id: string) => page.evaluate((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent), id);
const button = (name: string) => page.locator('.lil-controller', { has: page.locator('.lil-name', { hasText: new RegExp(`^${name}$`) }) }).locator('button');

async function open() {
  await page.goto('about:blank');
  await page.goto(`${demo.server.url}/main.html?steps=100${configToHash(config)}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, undefined, WAIT);
}

describe('saving and restoring a run in the demo', () => {
  it('restores a saved run after a reload: the step goes on from the saved one and the blocks continue', async () => {
    await open();
    // Past the burn-in, with a few complete blocks of the estimate.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="epr-blocks"]')?.textContent) >= 3, undefined, WAIT);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), button('save run').click()]);
    expect(download.suggestedFilename()).toBe(RUN_FILE);
    const path = `${OUTPUT}/${RUN_FILE}`;
    await download.saveAs(path);
    const bytes = readFileSync(path);
    // The CLI's own reader takes it: a run checkpoint of the page's config, one replica, open-ended, with its accumulators.
    const saved = decodeCheckpoint(bytes);
    expect(saved.kind).toBe('run');
    expect(saved.replicas).toBe(1);
    expect(saved.config.grid).toMatchObject({ n: 32 });
    expect(saved.config.seed).toBe(7);
    expect(saved.run.plan.steps).toBe(Infinity);
    expect(saved.backend.kind).toBe('gpu');
    const step = saved.run.engine.stepIndex;
    // Complete blocks of the saved estimate (as the page counts them: those of the run's block length).
    const blocks = saved.run.observers!.entropy.blocks.steps.filter((s) => s === saved.run.plan.blockSteps).length;
    expect(blocks).toBeGreaterThanOrEqual(3);
    expect(step).toBeGreaterThan(saved.run.plan.burnIn);

    // A fresh page starts again from step 0 with no blocks.
    await open();
    expect(await number('step-count')).toBeLessThan(step);
    await page.setInputFiles('#restore-file', path);
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid="step-count"]')?.textContent) >= s, step, WAIT);
    expect(await page.locator('[data-testid="config-error"]').isHidden()).toBe(true);
    // The blocks the saved run had completed are there at once (a fresh run would have none this early), and more follow.
    const restoredBlocks = await number('epr-blocks');
    expect(restoredBlocks).toBeGreaterThanOrEqual(blocks);
    expect(Number.isFinite(await number('epr-estimate'))).toBe(true);
    await page.waitForFunction((b) => Number(document.querySelector('[data-testid="epr-blocks"]')?.textContent) > b, restoredBlocks, WAIT);

    // A damaged file (one byte of its arrays flipped): refused in one line, the run goes on.
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 5] ^= 0xff;
    const before = await number('step-count');
    await page.setInputFiles('#restore-file', { name: RUN_FILE, mimeType: 'application/octet-stream', buffer: damaged });
    const banner = page.locator('[data-testid="config-error"]');
    await banner.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await banner.textContent()).toBe(
      `restore refused, still running the last good config: ${RUN_FILE}: damaged: its arrays do not match their checksum`,
    );
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > s, before, WAIT);
  });
});
