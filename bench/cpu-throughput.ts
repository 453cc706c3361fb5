/**
 * Throughput of the CPU reference engine: cell-steps per second of the full
 * step (noise, convolution, update) and of the step with the entropy estimator
 * attached, at 256² with a radius-4 stencil (81 taps) unless told otherwise.
 *
 *   npm run bench:cpu -- [--n 256] [--radius 4] [--steps 40] [--repeats 5]
 *
 * Each figure is the median of the repeats, min and max beside it; a warm-up
 * run is not timed. Every repeat checks its own output: a field that did not
 * change or is not finite fails the benchmark.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config/load.js';
import { entropyProduction } from '../src/estimators/entropy-production/index.js';
import { CpuEngine } from '../src/cpu/cpu-engine.js';
import { checkField } from './core/measure-engine.js';
import { repeat } from './core/stats.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '256' },
    radius: { type: 'string', default: '4' },
    steps: { type: 'string', default: '40' },
    repeats: { type: 'string', default: '5' },
  },
});
const n = Number(values.n);
const radius = Number(values.radius);
const steps = Number(values.steps);
const repeats = Number(values.repeats);

const config = parseConfig({
  grid: { n, length: n },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: radius / 4, shift: [0.5, 0], radius },
  input: 0.1,
  noise: { amplitude: 0.02 },
  dt: 0.05,
  seed: 1,
  initial: { type: 'fixed-point' },
});

async function timeOnce(withEstimator: boolean): Promise<number> {
  const engine = new CpuEngine(config, 1);
  const before = await engine.readField();
  const estimator = withEstimator ? await engine.observe(entropyProduction(steps)) : undefined;
  const t0 = performance.now();
  await engine.advance(steps);
  const seconds = (performance.now() - t0) / 1000;
  checkField(before, await engine.readField());
  if (estimator) {
    const { sums } = estimator.blocks();
    if (!sums.every(Number.isFinite)) throw new Error('benchmark output check: entropy sums are not finite');
  }
  return (n * n * steps) / seconds;
}

const rows = [];
for (const withEstimator of [false, true]) {
  // repeat() runs one untimed warm-up (JIT and caches) before the repeats.
  const cellStepsPerSecond = await repeat(repeats, () => timeOnce(withEstimator));
  rows.push({ n, radius, taps: (2 * radius + 1) ** 2, steps, estimator: withEstimator, cellStepsPerSecond });
}
const fmt = (x: number) => `${(x / 1e6).toFixed(2)}M`;
console.log(`CPU reference engine, ${n}² cells, stencil radius ${radius}, ${steps} steps × ${repeats} repeats (node ${process.version})`);
console.log('| estimator | cell-steps/s median | min | max |');
console.log('|---|---|---|---|');
for (const r of rows) {
  const c = r.cellStepsPerSecond;
  console.log(`| ${r.estimator ? 'attached' : 'none'} | ${fmt(c.median)} | ${fmt(c.min)} | ${fmt(c.max)} |`);
}
console.log(JSON.stringify(rows));
