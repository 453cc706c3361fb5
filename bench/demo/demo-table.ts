import type { DemoRow } from './measure-demo.js';
import { mega } from './row-checks.js';

/** A measured row, or a size whose measurement failed and why. */
export type TableRow = DemoRow | { grid: string; failed: string };

/** The rows as a Markdown table: the start-up, the overall rates from the step and frame counters over whole frames, then the page's stepping-only readout. */
export function demoTable(rows: TableRow[]): string {
  const lines = [
    '| grid | first step after | steps/frame | frames/s | steps/s | M cell-steps/s (overall) | M cell-steps/s (stepping only, page readout) | adapter |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    if ('failed' in row) {
      lines.push(`| ${row.grid} | failed: ${row.failed.replace(/\|/g, '\\|')} | | | | | | |`);
      continue;
    }
    const fixed = (x: number) => x.toPrecision(3);
    lines.push(
      `| ${row.grid} | ${row.startSeconds.toFixed(0)} s | ${row.stepsPerFrame} | ${fixed(row.framesPerSecond)} | ${fixed(row.stepsPerSecond)} | ${mega(row.cellStepsPerSecond)} | ` +
        `${mega(row.steppingCellStepsPerSecond)} | ${row.adapter} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
