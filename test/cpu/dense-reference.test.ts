import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { fillNormalPairs, philoxKey } from '../../src/rng/philox.js';

/**
 * The CPU engine against the discrete system of docs/model.md §2–§3 written out
 * independently: dense N×N coupling and noise-filter matrices built from the
 * kernel formulas cell pair by cell pair (minimum-image displacement on the
 * torus), the Philox normals of each (cell, step, replica), and the
 * Euler–Maruyama recursion as a plain matrix–vector loop. 300 steps from a zero
 * field; the fields must agree to 1e-9 relative.
 */
function denseField(input: ConfigInput, steps: number, replicas: number): Float64Array {
  const c = parseConfig(input);
  const n = c.grid.n;
  const N = n * n;
  const dx = c.grid.length / n;
  const k = c.kernel;
  if (k.type !== 'gaussian' || c.transfer.type !== 'linear') throw new Error('the reference covers linear fields with Gaussian kernels');
  // Uniform coefficients: the configs below set numbers, not maps.
  const rc = Math.ceil((k.radius ?? Math.hypot(...k.shift) + 4 * k.sigma) / dx);
  const lambda = c.noise.correlationLength;
  const rg = Math.ceil((4 * lambda) / Math.SQRT2 / dx);
  const wrap = (d: number) => ((((d + n / 2) % n) + n) % n) - n / 2;
  const K = new Float64Array(N * N);
  const G = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const mx = wrap((i % n) - (j % n));
      const my = wrap(Math.floor(i / n) - Math.floor(j / n));
      if (Math.abs(mx) <= rc && Math.abs(my) <= rc) {
        const [x, y] = [mx * dx - k.shift[0], my * dx - k.shift[1]];
        K[i * N + j] = (dx * dx * k.amplitude * Math.exp(-(x * x + y * y) / (2 * k.sigma ** 2))) / (2 * Math.PI * k.sigma ** 2);
      }
      if (lambda > 0 && Math.abs(mx) <= rg && Math.abs(my) <= rg) {
        G[i * N + j] = (dx * dx * Math.exp(-((mx * dx) ** 2 + (my * dx) ** 2) / lambda ** 2)) / (Math.PI * lambda ** 2);
      }
    }
  }
  const slope = c.transfer.slope as number;
  const w = c.noise.whiteFraction;
  const scale = Math.sqrt(2 * (c.noise.amplitude as number) * c.dt) / dx;
  const key = philoxKey(c.seed);
  const out = new Float64Array(replicas * N);
  const xi = new Float64Array(N);
  const floor = new Float64Array(N);
  for (let r = 0; r < replicas; r++) {
    let u = new Float64Array(N);
    for (let s = 0; s < steps; s++) {
      fillNormalPairs(xi, floor, s, r, 0, key);
      const next = new Float64Array(N);
      for (let i = 0; i < N; i++) {
        let conv = 0;
        let shaped = 0;
        for (let j = 0; j < N; j++) {
          conv += K[i * N + j] * slope * u[j];
          shaped += G[i * N + j] * xi[j];
        }
        const noise = lambda > 0 ? Math.sqrt(1 - w) * shaped + Math.sqrt(w) * floor[i] : xi[i];
        next[i] = u[i] + (c.dt * (-u[i] + conv + (c.input as number))) / c.tau + scale * noise;
      }
      u = next;
    }
    out.set(u, r * N);
  }
  return out;
}

const base: ConfigInput = {
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1.1, shift: [1.3, -0.6], radius: 4.5 },
  input: 0.1,
  noise: { amplitude: 0.05 },
  dt: 0.05,
  seed: 12345,
};

describe('CPU engine against an independent dense Philox/Euler–Maruyama computation', () => {
  it.each([
    ['white noise', base],
    ['correlated noise with a white floor', { ...base, noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.2 } }],
  ])('%s: the field after 300 steps from zero agrees to 1e-9', async (_name, input) => {
    const engine = new CpuEngine(parseConfig(input), 2);
    await engine.advance(300);
    const got = await engine.readField();
    const want = denseField(input, 300, 2);
    let scale = 0;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-9 * scale);
  });
});
