import { Matrix, determinant, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { gridOf } from '../../src/config/geometry.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { cellSize, kernelStencil } from '../../src/model/kernels.js';
import { relax, type Measured } from '../../src/run/relax.js';
import { circulant } from '../../src/theory/dense.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { relaxationTheory } from '../../src/theory/relaxation.js';
import { shiftedGaussian, smallLinear } from '../helpers.js';

const relaxing = (over: Partial<ConfigInput> = {}) => smallLinear({ kernel: shiftedGaussian, initial: { type: 'zero' }, ...over });

describe('relaxation theory (docs/model.md §6)', () => {
  it('matches covariance propagation with dense matrices, mean included, step by step', () => {
    const config = relaxing({ grid: { n: 4, length: 4 }, kernel: { ...shiftedGaussian, radius: 1 } });
    const N = 16;
    const steps = 30;
    const t = relaxationTheory(config, steps);
    const K = circulant(gridOf(config), kernelStencil(config));
    const A = Matrix.div(Matrix.sub(Matrix.eye(N), Matrix.mul(K, 0.8)), config.tau);
    const M = Matrix.sub(Matrix.eye(N), Matrix.mul(A, config.dt));
    const Sigma = Matrix.mul(Matrix.eye(N), (2 * config.dt * (config.noise.amplitude as number)) / cellSize(config) ** 2);
    const SigmaInv = inverse(Sigma);
    const b = Matrix.columnVector(new Array(N).fill((config.dt * (config.input as number)) / config.tau));
    const I = Matrix.eye(N);
    const B = Matrix.sub(I, M.mmul(M));
    let C = Matrix.zeros(N, N);
    let m = Matrix.zeros(N, 1);
    for (let n = 0; n < steps; n++) {
      const v = Matrix.sub(B.mmul(m), Matrix.add(I, M).mmul(b));
      const quad = Matrix.add(B.mmul(C).mmul(B.transpose()), M.mmul(Sigma).mmul(M.transpose()));
      const flow = (0.5 * (SigmaInv.mmul(quad).trace() + v.transpose().mmul(SigmaInv).mmul(v).get(0, 0) - N)) / config.dt;
      expect(t.flow[n]).toBeCloseTo(flow, 9);
      C = Matrix.add(M.mmul(C).mmul(M.transpose()), Sigma);
      m = Matrix.add(M.mmul(m), b);
      if (n >= 1) {
        const eig = Math.log(determinant(C)) / 2 + (N / 2) * Math.log(2 * Math.PI * Math.E);
        expect(t.entropy[n + 1]).toBeCloseTo(eig, 8);
      }
    }
  });

  it('σ_n is positive and decreases to σ_dt; Φ_n tends to σ_dt too', () => {
    const config = relaxing();
    const t = relaxationTheory(config, 4000);
    const sigma = fourierTheory(config).eprDiscrete!;
    for (let n = 1; n < 4000; n++) expect(t.production[n]).toBeGreaterThan(0);
    expect(t.production[3999]).toBeCloseTo(sigma, 8);
    expect(t.flow[3999]).toBeCloseTo(sigma, 8);
    expect(t.production[10]).toBeGreaterThan(t.production[100]);
  });
});

describe('ensemble balance from a zero field (CPU reference, 256 replicas)', () => {
  const within = (q: Measured, k: number) => Math.abs(q.value - q.theory!) < k * q.stderr;

  it('S_n, dS/dt, Φ_n and σ_n lie within 3 standard errors of theory at every record; σ_n ≥ 0 within error', async () => {
    const result = await relax(new CpuEngine(relaxing({ seed: 3 }), 256), { steps: 200, recordEvery: 20 });
    expect(result.rows).toHaveLength(10);
    for (const row of result.rows) {
      expect(within(row.entropy, 3)).toBe(true);
      if (!row.interval) continue;
      const { entropyRate, flow, production } = row.interval;
      for (const q of [entropyRate, flow, production]) expect(within(q, 3)).toBe(true);
      expect(production.value + 3 * production.stderr).toBeGreaterThan(0);
      expect(production.stderr).toBeLessThan(0.1 * production.theory!);
    }
  });

  it('over 12 seeds the standardised errors have mean 0 and spread 1 (no bias, honest errors)', async () => {
    const z: Record<string, number[]> = { entropy: [], entropyRate: [], flow: [], production: [] };
    for (let seed = 11; seed <= 22; seed++) {
      const { rows } = await relax(new CpuEngine(relaxing({ seed }), 64), { steps: 200, recordEvery: 20 });
      for (const row of rows) {
        z.entropy.push((row.entropy.value - row.entropy.theory!) / row.entropy.stderr);
        if (!row.interval) continue;
        for (const key of ['entropyRate', 'flow', 'production'] as const) {
          const q = row.interval[key];
          z[key].push((q.value - q.theory!) / q.stderr);
        }
      }
    }
    for (const values of Object.values(z)) {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const rms = Math.sqrt(values.reduce((a, b) => a + b * b, 0) / values.length);
      // Records of one run are correlated: allow the mean 4/√(runs) rather than 3/√(values).
      expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(12));
      expect(rms).toBeGreaterThan(0.7);
      expect(rms).toBeLessThan(1.4);
    }
  });
});

describe('ensemble entropy of a nonlinear field', () => {
  it('says that the Gaussian S is only an upper bound on the Shannon entropy (sigmoid), and nothing for a linear field', async () => {
    const sigmoid = relaxing({ transfer: { type: 'sigmoid', gain: 2, threshold: 0.3 }, initial: { type: 'random', std: 0.5 } });
    const result = await relax(new CpuEngine(sigmoid, 8), { steps: 20, recordEvery: 10 });
    expect(result.entropyNote).toMatch(/transfer\.type = "sigmoid".*not Gaussian.*S is an upper bound on its Shannon entropy/);
    expect(result.entropyNote).toMatch(/dS\/dt and σ = dS\/dt \+ Φ .* are not bounds/);
    const linear = await relax(new CpuEngine(relaxing(), 8), { steps: 20, recordEvery: 10 });
    expect(linear.entropyNote).toBeNull();
  });
});

describe('ensemble entropy with a noise map', () => {
  it('says that S from Fourier mode variances is only an upper bound when a map breaks translation invariance', async () => {
    const striped = relaxing({
      noise: { amplitude: { pattern: 'stripe', axis: 'x', center: 4, width: 2, inside: 0.2, outside: 0.02 }, correlationLength: 0 },
    });
    const result = await relax(new CpuEngine(striped, 8), { steps: 20, recordEvery: 10 });
    expect(result.entropyNote).toMatch(/map of noise\.amplitude.*not translation-invariant.*upper bound on the Shannon entropy/);
  });
});
