/**
 * Times the theories of maps (docs/model.md §8) on one core:
 *   npx tsx bench/dense-theory.ts          # both
 *   npx tsx bench/dense-theory.ts dense    # the dense theory at 16² and 32² (2-D maps)
 *   npx tsx bench/dense-theory.ts blocks   # the Fourier-block theory of one-axis maps at 64², 128², 256²
 * Each row gives the wall time and the CPU time of this process (they differ when
 * the machine is shared).
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

const which = process.argv[2] ?? 'all';
const cases: [string, ConfigInput][] = [];
if (which === 'all' || which === 'dense') {
  for (const n of [16, 32]) {
    cases.push([
      `${n}² 2-D maps: disc noise, white`,
      { ...base(n), noise: { amplitude: { pattern: 'disc', center: [n / 2, n / 2], radius: n / 4, inside: 0.2, outside: 0.01 } } },
    ]);
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
}
if (which === 'all' || which === 'blocks') {
  for (const n of [64, 128, 256]) {
    cases.push([`${n}² noise stripe along x, symmetric kernel (real blocks)`, base(n)]);
    cases.push([`${n}² noise stripe, correlated λ = 1.5, w = 0.1`, { ...base(n), noise: { ...(base(n).noise as object), correlationLength: 1.5, whiteFraction: 0.1 } as ConfigInput['noise'] }]);
    cases.push([`${n}² noise stripe, kernel shifted by 1.5 along y (complex blocks)`, { ...base(n), kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 1.5] } }]);
  }
}
for (const [name, input] of cases) {
  const config = parseConfig(input);
  let t0 = performance.now();
  assertRunnable(config);
  const preflight = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const t = linearTheory(config);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0).user / 1e6;
  console.log(
    `${name.padEnd(66)} ${t.method.padEnd(14)} ${seconds.toFixed(1).padStart(5)} s (CPU ${cpu.toFixed(1).padStart(5)} s; preflight ${preflight.toFixed(1)} s)  ` +
      `σ = ${t.eprContinuous?.toPrecision(6)}  σ_dt = ${t.eprDiscrete?.toPrecision(6)}  residual ${t.equilibriumResidual.toExponential(2)}`,
  );
}
