import type { Browser, Page } from 'playwright-core';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { configToHash } from '../../demos/src/url-state.js';
import { configDifferences } from './config-differences.js';
import { gridName } from './grid-list.js';

export interface DemoRequest {
  config: ConfigInput;
  stepsPerFrame: number;
  /** The shortest measurement, in wall time after the first step… */
  seconds: number;
  /** …and the fewest frames it spans: at 2048² on SwiftShader one frame takes tens of seconds. */
  frames: number;
  /** The longest wait for the first step, and again for the measurement. */
  timeoutSeconds: number;
}

export interface DemoRow {
  /** The grid as the table writes it: "1024²", "4096 × 256", "a ring of 256 cells". */
  grid: string;
  cells: number;
  stepsPerFrame: number;
  /** From loading the page to the first frame that had stepped. */
  startSeconds: number;
  /** Wall time measured: whole frames, from the end of one to the end of another. */
  seconds: number;
  framesPerSecond: number;
  stepsPerSecond: number;
  /** stepsPerSecond × cells, from the same step counter over the same wall time. */
  cellStepsPerSecond: number;
  /**
   * The page's #throughput readout (a frame's stepping alone, without drawing),
   * averaged over the frames sampled as their cell-steps over their stepping
   * time: the harmonic mean, since each frame makes as many steps.
   */
  steppingCellStepsPerSecond: number;
  adapter: string;
}

/** The page runs something other than what was asked (a refused link falls back to the default preset), or does not run at all. */
export class DemoMismatch extends Error {}

/**
 * Opens the built demo at `url` (main.html's folder) with `request.config` in
 * the link, checks that the page runs that config (its running-config readout,
 * demos/src/running-readout.ts) before and after, and counts the steps and
 * frames it makes over whole frames. Throws DemoMismatch when the page
 * refused the config, runs another, or does not step in time.
 */
export async function measureDemo(browser: Browser, url: string, request: DemoRequest): Promise<DemoRow> {
  const asked = parseConfig(request.config);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  try {
    const loaded = Date.now();
    await page.goto(`${url}/main.html?steps=${request.stepsPerFrame}${configToHash(request.config)}`);
    const start = await nextFrame(page, -1, (f) => f.steps > 0, request.timeoutSeconds, `asked for ${gridName(asked)}, but the page made no step`);
    const startSeconds = (Date.now() - loaded) / 1000;
    await checkRunning(page, asked);
    const stepping: number[] = [];
    let end = start;
    while (end.time - start.time < request.seconds * 1000 || end.frames - start.frames < request.frames) {
      end = await nextFrame(page, end.frames, () => true, request.timeoutSeconds, `the page stopped drawing at ${gridName(asked)} after ${end.frames} frames`);
      stepping.push(end.stepping);
    }
    await checkRunning(page, asked);
    if (end.steps === start.steps) {
      throw new DemoMismatch(`the page drew ${end.frames - start.frames} frames at ${gridName(asked)} but made no step${await bannerNote(page)}`);
    }
    const seconds = (end.time - start.time) / 1000;
    const stepsPerSecond = (end.steps - start.steps) / seconds;
    return {
      grid: gridName(asked),
      cells: gridOf(asked).cells,
      stepsPerFrame: request.stepsPerFrame,
      startSeconds,
      seconds,
      framesPerSecond: (end.frames - start.frames) / seconds,
      stepsPerSecond,
      cellStepsPerSecond: stepsPerSecond * gridOf(asked).cells,
      steppingCellStepsPerSecond: harmonicMean(stepping),
      adapter: (await page.locator('#adapter').textContent()) ?? '',
    };
  } finally {
    await page.close();
  }
}

/** What the page shows as one frame ends: its counters, when it was drawn, and its stepping-only readout. */
interface Frame {
  frames: number;
  steps: number;
  /** performance.now() at the frame, ms. */
  time: number;
  /** The #throughput readout ("0.173 M cell-steps/s") in cell-steps/s, NaN when it shows none. */
  stepping: number;
}

/** The first frame after frame number `after` that passes `ok`; on a timeout, DemoMismatch with `what` and the page's banner. */
async function nextFrame(page: Page, after: number, ok: (f: Frame) => boolean, timeoutSeconds: number, what: string): Promise<Frame> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    const frame = await page.evaluate((): Frame | null => {
      const readout = document.querySelector<HTMLElement>('[data-testid="running-config"]');
      if (!readout) return null;
      const stepping = /^\s*([-+0-9.e]+) M cell-steps\/s/.exec(document.getElementById('throughput')?.textContent ?? '');
      return {
        frames: Number(readout.dataset.frames),
        steps: Number(document.querySelector('[data-testid="step-count"]')?.textContent),
        time: Number(readout.dataset.time),
        stepping: stepping ? Number(stepping[1]) * 1e6 : NaN,
      };
    });
    if (frame && frame.frames > after && ok(frame)) return frame;
    if (Date.now() > deadline) throw new DemoMismatch(`${what} within ${timeoutSeconds} s${await bannerNote(page)}`);
    await page.waitForTimeout(100);
  }
}

/** Throws DemoMismatch naming both grids and the differences when the page runs another config than `asked`. */
async function checkRunning(page: Page, asked: Config): Promise<void> {
  const text = await page.evaluate(() => document.querySelector('[data-testid="running-config"]')?.textContent ?? null);
  if (text === null) throw new DemoMismatch('the page has no running-config readout: an old build? (npm run build:demo)');
  const running = JSON.parse(text);
  const differences = configDifferences(asked, running);
  if (differences.length === 0) return;
  const shown = differences.slice(0, 6).join('; ') + (differences.length > 6 ? `; and ${differences.length - 6} more` : '');
  throw new DemoMismatch(
    `asked for ${gridName(asked)}, but the page runs ${gridName(parseConfig(running))} with another config (${shown})${await bannerNote(page)}`,
  );
}

/** The page's refusal banner (#config-error), or the page that replaces it when WebGPU fails, quoted, when it shows one. */
async function bannerNote(page: Page): Promise<string> {
  for (const id of ['config-error', 'webgpu-error']) {
    const banner = page.locator(`[data-testid="${id}"]`);
    const text = (await banner.isVisible()) ? (await banner.textContent())?.trim() : '';
    if (text) return `; the page says: "${text}"`;
  }
  return '';
}

function harmonicMean(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  return finite.length ? finite.length / finite.reduce((sum, v) => sum + 1 / v, 0) : NaN;
}
