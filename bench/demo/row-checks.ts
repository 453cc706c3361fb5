import type { DemoRow } from './measure-demo.js';

/**
 * How far the page's stepping-only rate may fall below the overall one.
 * Stepping is part of each frame, so over the same frames stepping-only ≥
 * overall; but the readout is sampled on some frames only (a few per second,
 * or three in all at 2048²), and on a shared CPU single frames vary by tens of
 * percent: 20% below the overall rate is noise, more is a readout that
 * measures something else.
 */
export const STEPPING_SHORTFALL = 0.8;

/**
 * Why the numbers of a row disagree with each other, or nothing. Steps and
 * frames come from one counter each, read together: each frame makes
 * stepsPerFrame steps, plus one now and then where the page samples the mode
 * spectrum (grids up to 256², every 10th frame).
 */
export function rowProblems(row: DemoRow): string[] {
  const problems: string[] = [];
  const perFrame = row.stepsPerSecond / row.framesPerSecond;
  if (!(perFrame >= row.stepsPerFrame * (1 - 1e-9) && perFrame <= row.stepsPerFrame + 1)) {
    problems.push(`${perFrame.toFixed(2)} steps per frame, asked ${row.stepsPerFrame} (the page clamps it to 1…500)`);
  }
  if (!Number.isFinite(row.steppingCellStepsPerSecond)) {
    problems.push('the page shows no stepping-only throughput (#throughput)');
  } else if (row.steppingCellStepsPerSecond < STEPPING_SHORTFALL * row.cellStepsPerSecond) {
    problems.push(
      `stepping-only ${mega(row.steppingCellStepsPerSecond)} M cell-steps/s (the page's #throughput) is below ` +
        `${STEPPING_SHORTFALL} × the overall ${mega(row.cellStepsPerSecond)} M from the step counter over wall time`,
    );
  }
  return problems;
}

export const mega = (x: number): string => (x / 1e6).toPrecision(3);
