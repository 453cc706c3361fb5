import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFromHash, configToHash } from '../../demos/src/url-state.js';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { useDemoPage, type DemoPage } from './demo-page.js';

/** The demo on grids that are not n×n powers of two (docs/model.md §7): a ring's space-time strip, 100², a rectangle. */
const SCREENSHOTS = 'test-output/screenshots';

const demo = useDemoPage(SCREENSHOTS);
let page: Page;
let server: DemoPage['server'];
beforeAll(() => {
  page = demo.page;
  server = demo.server;
});

const text = async (id: string) => (await page.locator(`[data-testid="${id}"]`).textContent())?.trim() ?? '';
const steps = async () => Number(await text('step-count'));
/** Frames the page has drawn (demos/src/running-readout.ts). */
const frames = async () => Number(await page.locator('[data-testid="running-config"]').getAttribute('data-frames'));
const canvas = () => page.locator('[data-testid="field-canvas"]');

/** Loads a page of the demo afresh and waits for it to step. */
async function open(query: string, config: ConfigInput) {
  await page.goto('about:blank');
  await page.goto(`${server.url}/main.html?${query}${configToHash(config)}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="step-count"]')?.textContent) > 0, null, { timeout: 60_000 });
}

/** The canvas as drawn now, decoded. */
async function canvasPixels(path?: string) {
  return PNG.sync.read(await canvas().screenshot(path ? { path } : {}));
}

/** The share of pixels whose colour differs between two pictures of one size. */
function changed(a: PNG, b: PNG): number {
  let differ = 0;
  for (let i = 0; i < a.data.length; i += 4) if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) differ++;
  return differ / (a.data.length / 4);
}

describe('the live demo on any grid', () => {
  it('draws a ring as a space-time strip that scrolls as the field steps', async () => {
    const ring: ConfigInput = presets.ring;
    expect(parseConfig(ring).grid).toEqual({ n: 256, length: 128, dimensions: 1 });
    await open('steps=5&view=field', ring);
    expect(await text('config-error')).toBe('');
    expect(await canvas().getAttribute('data-grid')).toBe('a ring of 256 cells');
    expect(await text('panel-titles')).toMatch(/^field u\(x, t\): the last 256 frames, newest at the bottom$/);
    // Some frames in, then a few more: the newest rows come in at the bottom and the picture moves up.
    await expect.poll(frames, { timeout: 60_000 }).toBeGreaterThan(20);
    const before = await canvasPixels();
    const [stepsBefore, framesBefore] = [await steps(), await frames()];
    await expect.poll(frames, { timeout: 60_000 }).toBeGreaterThan(framesBefore + 10);
    const after = await canvasPixels(`${SCREENSHOTS}/ring-strip.png`);
    expect(await steps()).toBeGreaterThan(stepsBefore);
    expect(changed(before, after)).toBeGreaterThan(0.05);
    // A picture of the field, not one colour: rows differ from row to row and cells within a row.
    expect(new Set(Array.from({ length: after.data.length / 4 }, (_, i) => after.data[4 * i] * 65536 + after.data[4 * i + 1] * 256 + after.data[4 * i + 2])).size).toBeGreaterThan(50);
    await page.locator('[data-path="view"] select').selectOption('side by side');
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${SCREENSHOTS}/ring-page.png` });
  });

  it('runs a 100² grid typed into the free entry beside the size list, and a 200 × 100 rectangle drawn twice as wide as tall', async () => {
    await open('steps=5', presets.irreversible);
    const offered = (await page.locator('[data-path="grid.n"][data-kind="choice"] select option').allTextContents()).map(Number);
    expect(offered).toEqual(expect.arrayContaining([64, 100, 128, 1000, 1024]));
    const entry = page.locator('[data-path="grid.n"][data-kind="number"] input');
    await entry.fill('100');
    await entry.press('Enter');
    const linkGrid = async () => parseConfig(configFromHash(new URL(page.url()).hash)).grid;
    await expect.poll(linkGrid, { timeout: 60_000 }).toEqual({ n: 100, length: 64, dimensions: 2 });
    await expect.poll(() => canvas().getAttribute('data-n'), { timeout: 60_000 }).toBe('100');
    const running = await steps();
    await expect.poll(steps, { timeout: 60_000 }).toBeGreaterThan(running);
    expect(await text('config-error')).toBe('');

    await open('steps=5&view=field', { ...presets.irreversible, grid: { n: [200, 100], length: [200, 100] } });
    expect(await text('config-error')).toBe('');
    expect(await canvas().getAttribute('data-grid')).toBe('200 × 100');
    // The panel takes the domain's shape, 2:1, and the field fills it (view-transform.ts: the domain fits whole at zoom 1).
    const aspect = async () => {
      const box = (await canvas().boundingBox())!;
      return Math.round((10 * box.width) / box.height) / 10;
    };
    await expect.poll(aspect, { timeout: 10_000 }).toBe(2);
    await page.screenshot({ path: `${SCREENSHOTS}/rectangle-200x100.png` });
  });
});
