import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/config/npy.js';
import { presets } from '../../src/config/presets.js';
import { configToHash } from '../../demos/src/url-state.js';
import { useDemoPage } from './demo-page.js';

/**
 * The demo survives a lost GPU device (issue 14): window.amariDemo.loseDevice()
 * destroys the page's device mid-run, as a driver reset would lose it, and the
 * page asks for a new one and goes on from the field it kept in memory,
 * without a reload; after a few losses in a minute it gives up, saying so.
 */
const OUTPUT = 'test-output/e2e-device-loss';
const demo = useDemoPage(OUTPUT);
let page: Page;
beforeAll(() => {
  page = demo.page;
});

/** A 32² irreversible field: small, so recoveries on a software adapter take seconds. */
const config = { ...presets.irreversible, grid: { n: 32, length: 32 }, seed: 11 };
const WAIT = { timeout: 120_000, polling: 250 };

const stepCount = () => page.evaluate(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent));
const deviceStatus = (p: Page) => p.locator('[data-testid="device-status"]');

/** Loads the page afresh and waits for it to have stepped past `steps`. */
async function open(steps: number) {
  await page.goto('about:blank');
  await page.goto(`${demo.server.url}/main.html?steps=5${configToHash(config)}`);
  await page.waitForFunction((s) => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > s, steps, WAIT);
}

/** Destroys the page's device and returns the step shown at that moment. */
const loseDevice = () =>
  page.evaluate(() => {
    const step = Number(document.querySelector('[data-testid="step-count"]')?.textContent);
    window.amariDemo!.loseDevice();
    return step;
  });

/** Waits until the device status line has reported `losses` losses and is in `state`. */
const waitForState = (state: string, losses: number) =>
  page.waitForFunction(
    ([s, n]) => {
      const el = document.querySelector<HTMLElement>('[data-testid="device-status"]');
      return el?.dataset.state === s && Number(el.dataset.losses) === n;
    },
    [state, losses] as const,
    WAIT,
  );

describe('a lost GPU device', () => {
  it('is replaced without a reload: the run goes on from the kept field, and the page says so', async () => {
    await open(200);
    await expect(deviceStatus(page).isHidden()).resolves.toBe(true);
    // Something only this document holds: a reload would lose it.
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = 'before the loss'));
    // Past the first kept field (saved every 2 s at this size).
    await page.waitForTimeout(3000);
    const lostAt = await loseDevice();

    await waitForState('recovered', 1);
    const text = (await deviceStatus(page).textContent()) ?? '';
    expect(text).toMatch(/^GPU device lost \(destroyed[^)]*\); recovered from step \d+, the last field kept in memory\. The estimators start again from there\.$/);
    const restored = Number(await deviceStatus(page).getAttribute('data-step'));
    // The field kept was saved before the loss and after the first steps: not a fresh start.
    expect(restored).toBeGreaterThan(0);
    expect(restored).toBeLessThanOrEqual(lostAt);
    expect(Number(text.match(/from step (\d+)/)![1])).toBe(restored);

    // The run goes on past the step at which the device was lost.
    await page.waitForFunction((s) => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > s, lostAt + 20, WAIT);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('before the loss');
    expect(await page.locator('[data-testid="config-error"]').isHidden()).toBe(true);

    // The field on the new device, as the page downloads it: the grid's cells, all finite, not all equal (it is being driven by noise).
    const button = page.locator('.lil-controller', { has: page.locator('.lil-name', { hasText: /^field \.npy$/ }) }).locator('button');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button.click()]);
    const path = `${OUTPUT}/field-after-loss.npy`;
    await download.saveAs(path);
    const field = decodeNpy(readFileSync(path));
    expect(field.shape).toEqual([32, 32]);
    expect(Array.from(field.data).every(Number.isFinite)).toBe(true);
    expect(new Set(field.data).size).toBeGreaterThan(1);
    expect(await stepCount()).toBeGreaterThan(lostAt);
  });

  it('is given up on, with a message, at the third loss within a minute', async () => {
    await open(50);
    await loseDevice();
    await waitForState('recovered', 1);
    await loseDevice();
    await waitForState('recovered', 2);
    await expect(deviceStatus(page).textContent()).resolves.toMatch(/\[2 losses so far\]$/);
    await loseDevice();
    const fatal = page.locator('[data-testid="webgpu-error"]');
    await fatal.waitFor({ timeout: 60_000 });
    await expect(fatal.textContent()).resolves.toMatch(/^The GPU device was lost 3 times within 60 sthe page gave up recovering \(last loss: destroyed/);
    // No fourth attempt: the page stays on its message.
    await page.waitForTimeout(2000);
    await expect(fatal.isVisible()).resolves.toBe(true);
  });
});
