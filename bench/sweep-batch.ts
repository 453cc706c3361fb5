/**
 * A sweep batched against the same sweep one point at a time (`sweep --batch
 * auto` and `--batch off`), on the GPU engine in Node:
 *
 *   npm run bench:sweep                        16 points of noise.amplitude on 32², 2000 + 200 steps
 *   npm run bench:sweep -- --grid 64 --points 32 --steps 4000 --replicas 2
 *   --out DIR                                  where the JSON and Markdown go (default bench-results/)
 *
 * Both sweeps run the same points with the same options into fresh folders;
 * the benchmark refuses to report unless their sweep.csv files are equal
 * byte for byte (the batch changes no number). It reports each sweep's wall
 * time (engine set-up included: that is what a user waits for), points and
 * cell steps per second, the batch sizes, and the speed-up.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/load.js';
import { presets } from '../src/config/presets.js';
import { evenlySpaced, runSweep, type BatchMode, type SweepPlan } from '../src/sweep/index.js';

export interface SweepBenchOptions {
  grid: number;
  points: number;
  steps: number;
  burnIn: number;
  replicas: number;
}

export interface SweepBenchRow {
  batch: BatchMode;
  seconds: number;
  pointsPerSecond: number;
  cellStepsPerSecond: number;
  /** The batch sizes the sweep ran, in order (1: alone). */
  batches: number[];
  note: string;
}

export interface SweepBenchReport {
  date: string;
  options: SweepBenchOptions;
  rows: SweepBenchRow[];
  speedup: number;
}

/** The sweep: the irreversible preset on a grid² of side `grid`, noise.amplitude at `points` values. */
function plan(o: SweepBenchOptions): SweepPlan {
  const base = parseConfig({ ...structuredClone(presets.irreversible), grid: { n: o.grid, length: o.grid } });
  return {
    base,
    params: [{ path: 'noise.amplitude', values: evenlySpaced(0.01, 0.1, o.points) }],
    options: {
      steps: o.steps, burnIn: o.burnIn, replicas: o.replicas, blocks: 20, backend: 'gpu', convolution: 'stencil', noiseShaping: 'stencil', spectrumSamples: 0, curvePoints: 0,
    },
  };
}

async function timed(o: SweepBenchOptions, batch: BatchMode, dir: string): Promise<SweepBenchRow> {
  const notes: string[] = [];
  const sizes: number[] = [];
  const started = performance.now();
  await runSweep(plan(o), dir, {
    batch,
    onPoint: (e) => {
      if (!e.run) return;
      notes.push(e.run.note);
      sizes.push(e.run.batch);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  // A batch of b points reports b events in a row.
  const batches: number[] = [];
  for (let i = 0; i < sizes.length; i += sizes[i]) batches.push(sizes[i]);
  return {
    batch,
    seconds,
    pointsPerSecond: o.points / seconds,
    cellStepsPerSecond: (o.points * o.replicas * o.grid * o.grid * (o.steps + o.burnIn)) / seconds,
    batches,
    note: notes[0] ?? '',
  };
}

export async function benchSweepBatch(o: SweepBenchOptions, log: (line: string) => void = () => {}): Promise<SweepBenchReport> {
  const dir = mkdtempSync(join(tmpdir(), 'amari-bench-sweep-'));
  const rows: SweepBenchRow[] = [];
  for (const batch of ['off', 'auto'] as const) {
    log(`sweep --batch ${batch}: ${o.points} points on ${o.grid}²`);
    rows.push(await timed(o, batch, join(dir, batch)));
  }
  const [off, auto] = ['off', 'auto'].map((b) => readFileSync(join(dir, b, 'sweep.csv')));
  if (!off.equals(auto)) throw new Error(`the batched sweep's sweep.csv differs from the one-at-a-time sweep's (${dir}): the batch changed a number`);
  return { date: new Date().toISOString(), options: o, rows, speedup: rows[0].seconds / rows[1].seconds };
}

export function sweepBenchMarkdown(r: SweepBenchReport): string {
  const o = r.options;
  const lines = [
    `# Sweep batching: ${o.points} points on ${o.grid}² × ${o.replicas} replica(s), ${o.burnIn} + ${o.steps} steps`,
    '',
    `${r.rows[1].note}`,
    '',
    '| --batch | wall (s) | points/s | cell steps/s | batches |',
    '|---|---:|---:|---:|---|',
    ...r.rows.map((row) => `| ${row.batch} | ${row.seconds.toFixed(2)} | ${row.pointsPerSecond.toFixed(2)} | ${row.cellStepsPerSecond.toExponential(3)} | ${row.batch === 'off' ? `${row.batches.length} × 1` : row.batches.join(', ')} |`),
    '',
    `Speed-up of auto over off: ${r.speedup.toFixed(2)}×; sweep.csv equal byte for byte.`,
    '',
  ];
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      grid: { type: 'string', default: '32' }, points: { type: 'string', default: '16' }, steps: { type: 'string', default: '2000' },
      'burn-in': { type: 'string', default: '200' }, replicas: { type: 'string', default: '1' }, out: { type: 'string', default: 'bench-results' },
    },
  });
  const o: SweepBenchOptions = {
    grid: Number(values.grid), points: Number(values.points), steps: Number(values.steps), burnIn: Number(values['burn-in']), replicas: Number(values.replicas),
  };
  for (const [k, v] of Object.entries(o)) if (!(Number.isInteger(v) && v >= (k === 'burnIn' ? 0 : k === 'points' || k === 'steps' ? 2 : 1))) throw new RangeError(`--${k}: ${v} is not an allowed count`);
  const report = await benchSweepBatch(o, (line) => process.stderr.write(`${line}\n`));
  const markdown = sweepBenchMarkdown(report);
  mkdirSync(values.out!, { recursive: true });
  const stem = join(values.out!, `sweep-batch-${report.date.replace(/[:.]/g, '-')}`);
  writeFileSync(`${stem}.json`, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(`${stem}.md`, markdown);
  console.log(markdown);
  console.log(`wrote ${stem}.json, ${stem}.md`);
}
