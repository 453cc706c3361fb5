/**
 * Times the dense theory of maps (docs/model.md §8) at 16² and 32² on one core:
 *   npx tsx bench/dense-theory.ts
 */
import { parseConfig } from '../src/config/load.js';
import type { ConfigInput } from '../src/config/schema.js';
import { assertRunnable } from '../src/run/preflight.js';
import { linearTheory } from '../src/theory/linear.js';

const base = (n: number): ConfigInput => ({
  grid: { n, length: n },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
  input: 0.1,
  noise: { amplitude: { pattern: 'stripe', axis: 'x', center: n / 2, width: n / 4, inside: 0.2, outside: 0.01 } },
  dt: 0.05,
});

const cases: [string, ConfigInput][] = [];
for (const n of [16, 32]) {
  cases.push([`${n}² noise stripe, white`, base(n)]);
  cases.push([`${n}² noise stripe, correlated λ = 1.5, w = 0.1`, { ...base(n), noise: { ...(base(n).noise as object), correlationLength: 1.5, whiteFraction: 0.1 } as ConfigInput['noise'] }]);
  cases.push([
    `${n}² 2-D maps: random slope, bump noise, shifted kernel`,
    {
      ...base(n),
      kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1, 0.5] },
      transfer: { type: 'linear', slope: { pattern: 'random', mean: 0.7, std: 0.1, correlationLength: 3, seed: 2 } },
      noise: { amplitude: { pattern: 'bump', center: [n / 3, (2 * n) / 3], sigma: n / 8, base: 0.02, peak: 0.1 } },
    },
  ]);
}
for (const [name, input] of cases) {
  const config = parseConfig(input);
  let t0 = performance.now();
  assertRunnable(config);
  const preflight = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const t = linearTheory(config);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `${name.padEnd(58)} theory ${seconds.toFixed(1).padStart(5)} s  (preflight ${preflight.toFixed(1)} s)  ` +
      `σ = ${t.eprContinuous?.toPrecision(6)}  σ_dt = ${t.eprDiscrete?.toPrecision(6)}  residual ${t.equilibriumResidual.toExponential(2)}`,
  );
}
