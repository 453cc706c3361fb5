import { Matrix, inverse } from 'ml-matrix';
import { gridOf } from '../../src/config/geometry.js';
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { DriftOperator } from '../../src/model/drift.js';
import { cellSize, kernelStencil, noiseStencil } from '../../src/model/kernels.js';
import { PeriodicConvolver, makeStencil, stencilWeight } from '../../src/model/stencil.js';
import { fillNormals, philoxKey } from '../../src/rng/philox.js';
import { circulant } from '../../src/theory/dense.js';
import { everyStep, shiftedGaussian, smallLinear } from '../helpers.js';

const shifted = shiftedGaussian;

/** (K v)_i = Σ_m W[m] v_{i−m}, written the slow obvious way. */
function naiveConvolve(n: number, W: (mx: number, my: number) => number, r: number, v: Float64Array): Float64Array {
  const out = new Float64Array(n * n);
  for (let iy = 0; iy < n; iy++) for (let ix = 0; ix < n; ix++) {
    let s = 0;
    for (let my = -r; my <= r; my++) for (let mx = -r; mx <= r; mx++) {
      s += W(mx, my) * v[(((iy - my) % n) + n) % n * n + ((((ix - mx) % n) + n) % n)];
    }
    out[iy * n + ix] = s;
  }
  return out;
}

describe('PeriodicConvolver', () => {
  it('equals the naive periodic sum for an asymmetric stencil', () => {
    const n = 8;
    const W = (mx: number, my: number) => Math.sin(1 + mx * 0.7 + my * 1.9) + 0.1 * mx;
    const v = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i * 0.37) * (i % 3));
    const out = new Float64Array(n * n);
    new PeriodicConvolver({ nx: n, ny: n }, makeStencil(3, W)).apply(v, out);
    const expected = naiveConvolve(n, W, 3, v);
    for (let i = 0; i < n * n; i++) expect(out[i]).toBeCloseTo(expected[i], 12);
  });
});

describe('CpuEngine', () => {
  it('takes the Euler–Maruyama step of docs/model.md §2 with the Philox noise of docs/model.md §3', async () => {
    const config = smallLinear({ kernel: shifted, initial: { type: 'random', std: 0.3 } });
    const engine = new CpuEngine(config, 2);
    const n = gridOf(config).nx;
    const N = n * n;
    const u0 = await engine.readField();
    await engine.advance(1);
    const u1 = await engine.readField();
    const s = kernelStencil(config);
    const W = (mx: number, my: number) => stencilWeight(s, mx, my);
    const dx = cellSize(config);
    for (let r = 0; r < 2; r++) {
      const u = u0.subarray(r * N, (r + 1) * N);
      const Kf = naiveConvolve(n, W, s.rx, u.map((x) => 0.8 * x));
      const xi = new Float64Array(N);
      fillNormals(xi, 0, r, 0, philoxKey(config.seed));
      for (let i = 0; i < N; i++) {
        const F = (-u[i] + Kf[i] + (config.input as number)) / config.tau;
        const expected = u[i] + config.dt * F + (Math.sqrt(2 * (config.noise.amplitude as number) * config.dt) / dx) * xi[i];
        expect(u1[r * N + i]).toBeCloseTo(expected, 12);
      }
    }
  });

  it('is deterministic for a seed; replicas and seeds differ', async () => {
    const config = smallLinear({ kernel: shifted });
    const run = async (c = config) => {
      const e = new CpuEngine(c, 2);
      await e.advance(50);
      return e.readField();
    };
    const [a, b] = [await run(), await run()];
    expect(Array.from(a)).toEqual(Array.from(b));
    const N = gridOf(config).cells;
    expect(Array.from(a.subarray(0, N))).not.toEqual(Array.from(a.subarray(N)));
    const other = await run(smallLinear({ kernel: shifted, seed: 4 }));
    expect(Array.from(other)).not.toEqual(Array.from(a));
  });

  it('continues bit for bit from a saved state', async () => {
    const config = smallLinear({ kernel: shifted });
    const straight = new CpuEngine(config, 1);
    await straight.advance(40);
    const first = new CpuEngine(config, 1);
    await first.advance(25);
    const resumed = new CpuEngine(config, 1);
    await resumed.restoreState(await first.saveState());
    await resumed.advance(15);
    expect(resumed.stepIndex).toBe(40);
    expect(Array.from(await resumed.readField())).toEqual(Array.from(await straight.readField()));
  });

  it('starts from the uniform fixed point u* = h/(1 − slope·ΣW)', async () => {
    const config = smallLinear({ initial: { type: 'fixed-point' } });
    const S = kernelStencil(config).weights.reduce((a, b) => a + b, 0);
    const field = await new CpuEngine(config).readField();
    expect(field[5]).toBeCloseTo((config.input as number) / (1 - 0.8 * S), 14);
  });
});

describe('entropy production of one step (docs/model.md §4)', () => {
  /** ln p(u′|u) − ln p(u|u′) for Gaussian steps of covariance Σ, by dense linear algebra. */
  interface Step { u: Float64Array; uNext: Float64Array; drift: Float64Array; driftNext: Float64Array }
  function denseLogRatio(view: Step, sigmaInv: Matrix, dt: number, N: number): number {
    const fwd = new Float64Array(N);
    const bwd = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      fwd[i] = view.uNext[i] - view.u[i] - dt * view.drift[i];
      bwd[i] = view.u[i] - view.uNext[i] - dt * view.driftNext[i];
    }
    const quad = (x: Float64Array) => {
      const m = Matrix.columnVector(Array.from(x));
      return m.transpose().mmul(sigmaInv).mmul(m).get(0, 0);
    };
    return 0.5 * (quad(bwd) - quad(fwd));
  }

  it.each([
    ['white noise', smallLinear({ kernel: shifted })],
    ['correlated noise', smallLinear({ kernel: shifted, noise: { amplitude: 0.05, correlationLength: 1 } })],
    ['correlated noise with a white floor', smallLinear({ kernel: shifted, noise: { amplitude: 0.05, correlationLength: 1, whiteFraction: 0.3 } })],
  ])('%s: Σ_i s_i equals the exact log-ratio of transition densities', async (_name, config) => {
    const N = gridOf(config).cells;
    const dx = cellSize(config);
    const G = noiseStencil(config);
    const Gm = G ? circulant(gridOf(config), G) : Matrix.eye(N);
    const w = config.noise.whiteFraction;
    const GGt = Matrix.add(Matrix.mul(Gm.mmul(Gm.transpose()), 1 - w), Matrix.mul(Matrix.eye(N), w));
    const sigma = Matrix.mul(GGt, (2 * (config.noise.amplitude as number) * config.dt) / (dx * dx));
    const sigmaInv = inverse(sigma);
    const engine = new CpuEngine(config, 1);
    const estimator = await engine.observe(entropyProduction(1));
    const expected: number[] = [];
    const driftOf = (u: Float64Array) => {
      const out = new Float64Array(N);
      new DriftOperator(config).apply(u, out);
      return out;
    };
    await engine.observe(
      everyStep((_step, u, uNext) => expected.push(denseLogRatio({ u, uNext, drift: driftOf(u), driftNext: driftOf(uNext) }, sigmaInv, config.dt, N))),
    );
    await engine.advance(3);
    const { sums } = estimator.blocks();
    expect(sums).toHaveLength(3);
    for (let k = 0; k < 3; k++) expect(sums[k]).toBeCloseTo(expected[k], 6);
    const density = await estimator.density();
    expect(density.reduce((a, b) => a + b, 0)).toBeCloseTo(sums.reduce((a, b) => a + b, 0), 9);
  });
});
