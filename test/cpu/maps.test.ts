import { Matrix, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { fieldArray } from '../../src/config/maps.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { stepCoefficients } from '../../src/model/coefficients.js';
import { DriftOperator } from '../../src/model/drift.js';
import { fixedPointField } from '../../src/model/fixed-point.js';
import { cellSize, kernelStencil, noiseStencil } from '../../src/model/kernels.js';
import { fillNormalPairs, fillNormals, philoxKey } from '../../src/rng/philox.js';
import { circulant } from '../../src/theory/dense.js';
import { everyStep, shiftedGaussian, smallLinear } from '../helpers.js';

/** Maps on every mappable field of the 8×8 test config. */
const mapped = (over: Partial<ConfigInput> = {}): Config =>
  smallLinear({
    kernel: shiftedGaussian,
    transfer: { type: 'linear', slope: { pattern: 'bump', center: [3, 4], sigma: 1.5, base: 0.5, peak: 0.9 } },
    input: { pattern: 'tilt', axis: 'x', base: 0.1, rate: 0.2 },
    noise: { amplitude: { pattern: 'stripe', axis: 'y', center: 4, width: 3, inside: 0.2, outside: 0.02 } },
    initial: { type: 'random', std: 0.3 },
    ...over,
  });

describe('CPU engine with maps (docs/model.md §8)', () => {
  it('the coefficients are per cell: √(2 D_i dt)/Δx, Δx²/(2 D_i), slope_i, h_i', () => {
    const config = mapped();
    const c = stepCoefficients(config);
    const D = fieldArray(config, 'noise.amplitude');
    const dx = cellSize(config);
    for (const i of [0, 17, 40]) {
      expect((c.noiseScale as Float64Array)[i]).toBe(Math.sqrt(2 * D[i] * config.dt) / dx);
      expect((c.entropyWeight as Float64Array)[i]).toBe((dx * dx) / (2 * D[i]));
    }
    expect(c.gain).toBe(fieldArray(config, 'transfer.slope'));
    expect(c.input).toBe(fieldArray(config, 'input'));
  });

  it('takes F_i = (−u_i + Σ_j K_ij slope_j u_j + h_i)/τ and the noise √(2 D_i dt)/Δx·ξ_i, white and correlated', async () => {
    for (const noise of [undefined, { correlationLength: 1, whiteFraction: 0.3 }]) {
      const base = mapped();
      const config = noise ? parseConfig({ ...base, noise: { ...base.noise, ...noise } }) : base;
      const engine = new CpuEngine(config, 1);
      const N = 64;
      const u0 = await engine.readField();
      await engine.advance(1);
      const u1 = await engine.readField();
      const K = circulant({ nx: 8, ny: 8 }, kernelStencil(config));
      const slope = fieldArray(config, 'transfer.slope');
      const h = fieldArray(config, 'input');
      const D = fieldArray(config, 'noise.amplitude');
      const Kf = K.mmul(Matrix.columnVector(Array.from(u0, (u, j) => slope[j] * u)));
      // The correlated noise: √(1 − w)·G ξ + √w ξ′, then the amplitude per cell.
      const xi = new Float64Array(N);
      const floor = new Float64Array(N);
      let eta: Float64Array;
      if (noise) {
        fillNormalPairs(xi, floor, 0, 0, 0, philoxKey(config.seed));
        const G = circulant({ nx: 8, ny: 8 }, noiseStencil(config)!);
        const Gxi = G.mmul(Matrix.columnVector(Array.from(xi)));
        eta = Float64Array.from({ length: N }, (_, i) => Math.sqrt(0.7) * Gxi.get(i, 0) + Math.sqrt(0.3) * floor[i]);
      } else {
        fillNormals(xi, 0, 0, 0, philoxKey(config.seed));
        eta = xi;
      }
      for (let i = 0; i < N; i++) {
        const F = (-u0[i] + Kf.get(i, 0) + h[i]) / config.tau;
        expect(u1[i]).toBeCloseTo(u0[i] + config.dt * F + Math.sqrt(2 * D[i] * config.dt) * eta[i], 12);
      }
    }
  });

  it.each([
    ['white noise', {}],
    ['correlated noise', { correlationLength: 1 }],
    ['correlated noise with a white floor', { correlationLength: 1, whiteFraction: 0.3 }],
  ])('%s with a noise map: Σ_i s_i is the exact log-ratio of transition densities with Q = (2dt/a)·diag(√D)·P·diag(√D)', async (_name, noise) => {
    const base = mapped();
    const config = parseConfig({ ...base, noise: { ...base.noise, ...noise } });
    const N = 64;
    const dx = cellSize(config);
    const G = noiseStencil(config);
    const w = config.noise.whiteFraction;
    const Gm = G ? circulant({ nx: 8, ny: 8 }, G) : Matrix.eye(N);
    const P = Matrix.add(Matrix.mul(Gm.mmul(Gm.transpose()), G ? 1 - w : 0), Matrix.mul(Matrix.eye(N), G ? w : 1));
    const root = Matrix.diag(Array.from(fieldArray(config, 'noise.amplitude'), Math.sqrt));
    const Qinv = inverse(Matrix.mul(root.mmul(P).mmul(root), (2 * config.dt) / (dx * dx)));
    const drift = (u: Float64Array) => {
      const out = new Float64Array(N);
      new DriftOperator(config).apply(u, out);
      return out;
    };
    const quad = (x: number[]) => {
      const m = Matrix.columnVector(x);
      return m.transpose().mmul(Qinv).mmul(m).get(0, 0);
    };
    const expected: number[] = [];
    const engine = new CpuEngine(config, 1);
    const estimator = await engine.observe(entropyProduction(1));
    await engine.observe(
      everyStep((_step, u, uNext) => {
        const [F, Fn] = [drift(u), drift(uNext)];
        const fwd = Array.from(u, (x, i) => uNext[i] - x - config.dt * F[i]);
        const bwd = Array.from(u, (x, i) => x - uNext[i] - config.dt * Fn[i]);
        expected.push(0.5 * (quad(bwd) - quad(fwd)));
      }),
    );
    await engine.advance(3);
    const { sums } = estimator.blocks();
    for (let k = 0; k < 3; k++) expect(sums[k]).toBeCloseTo(expected[k], 7);
    const density = await estimator.density();
    expect(density.reduce((a, b) => a + b, 0)).toBeCloseTo(sums.reduce((a, b) => a + b, 0), 9);
  });

  it('starts from the fixed point of the field with maps: F(u*) = 0, linear (BiCGSTAB) and sigmoid (Newton)', async () => {
    const linear = mapped({ initial: { type: 'fixed-point' } });
    const sigmoid = smallLinear({
      transfer: { type: 'sigmoid', gain: 4, threshold: 0.5 },
      input: { pattern: 'bump', center: [4, 4], sigma: 1, base: 0, peak: 0.3 },
      initial: { type: 'fixed-point' },
    });
    for (const config of [linear, sigmoid]) {
      const u = fixedPointField(config) as Float64Array;
      expect(u).toBeInstanceOf(Float64Array);
      const F = new Float64Array(64);
      new DriftOperator(config).apply(u, F);
      for (const f of F) expect(Math.abs(f)).toBeLessThan(1e-12);
      expect(Array.from(await new CpuEngine(config, 2).readField())).toEqual([...u, ...u]);
    }
    // A noise map alone leaves the fixed point uniform.
    expect(typeof fixedPointField(smallLinear({ noise: { amplitude: { pattern: 'tilt', axis: 'x', base: 0.05, rate: 0.1 } } }))).toBe('number');
  });
});
