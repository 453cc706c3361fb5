/**
 * The live demo's frame rate in headless Chromium (WebGPU on SwiftShader where
 * there is no GPU): loads the built demo (npm run build:demo) with the
 * irreversible field at each grid size (Δx = Δy = 1; a size is n or nx×ny),
 * checks that the page runs exactly that config, and prints one Markdown row
 * per size. Exits 1 when a page ran something else, did not start, or gave
 * numbers that disagree.
 *
 *   npm run bench:demo -- [--n 256,1000,1024,4096x256,2048] [--steps 1] [--seconds 20] [--frames 3] [--timeout 600]
 *
 * Each size is measured over at least --seconds and --frames (whole frames),
 * after the first step; --timeout bounds the start and the measurement each.
 */
import { parseArgs } from 'node:util';
import { presets } from '../src/config/presets.js';
import { demoTable, type TableRow } from './demo/demo-table.js';
import { openDemo } from './demo/demo-browser.js';
import { parseGridList, sizeName, unitGrid } from './demo/grid-list.js';
import { measureDemo } from './demo/measure-demo.js';
import { rowProblems } from './demo/row-checks.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '256,1024,2048' },
    steps: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '20' },
    frames: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '600' },
  },
});
const demo = await openDemo();
const rows: TableRow[] = [];
const problems: string[] = [];
try {
  for (const size of parseGridList(values.n)) {
    const config = { ...presets.irreversible, grid: unitGrid(size) };
    const name = sizeName(size);
    try {
      const row = await measureDemo(demo.browser, demo.url, {
        config,
        stepsPerFrame: Number(values.steps),
        seconds: Number(values.seconds),
        frames: Number(values.frames),
        timeoutSeconds: Number(values.timeout),
      });
      rows.push(row);
      for (const p of rowProblems(row)) problems.push(`${name}: ${p}`);
    } catch (e) {
      rows.push({ grid: name, failed: (e as Error).message });
      problems.push(`${name}: ${(e as Error).message}`);
    }
    console.error(`measured ${name}`);
  }
} finally {
  await demo.close();
}
console.log(
  `The irreversible preset on each grid (Δx = Δy = 1), measured over at least ${values.seconds} s and ${values.frames} whole frames after the first step. ` +
    `Overall rates: the page's step and frame counters over that wall time (cell-steps/s = steps/s × cells). ` +
    `Stepping only: the page's #throughput readout (a frame's stepping without drawing), as cell-steps over stepping time of the frames sampled.\n`,
);
console.log(demoTable(rows));
if (problems.length) {
  console.error(`bench:demo failed:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exitCode = 1;
}
