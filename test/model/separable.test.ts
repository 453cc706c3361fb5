import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { kernelStencil } from '../../src/model/kernels.js';
import { separableKernel, separableWeights } from '../../src/model/separable.js';

const config = (grid: ConfigInput['grid'], kernel: ConfigInput['kernel']) =>
  parseConfig({
    grid, kernel, tau: 1, transfer: { type: 'linear', slope: 0.5 }, input: 0, noise: { amplitude: 0.01, correlationLength: 0 }, dt: 0.05, seed: 1,
  });

const gaussian = (shift: [number, number] | number): ConfigInput['kernel'] => ({ type: 'gaussian', amplitude: 1.3, sigma: 1.7, shift });
const hat = (shift: [number, number] | number, radius?: number): ConfigInput['kernel'] => ({
  type: 'mexican-hat', excitation: { amplitude: 2, sigma: 1 }, inhibition: { amplitude: 1.2, sigma: 2.5 }, shift, ...(radius ? { radius } : {}),
});

describe('separableKernel: the synaptic stencil as outer products of 1-D factors (float64)', () => {
  it.each<[string, ConfigInput['grid'], ConfigInput['kernel'], number]>([
    ['gaussian on 64², unshifted', { n: 64, length: 64 }, gaussian([0, 0]), 1],
    ['gaussian on 64², shifted', { n: 64, length: 48 }, gaussian([1.5, -0.7]), 1],
    ['mexican hat on 64², shifted', { n: 64, length: 64 }, hat([0.6, 0.9]), 2],
    ['gaussian on 40 × 24, Δx ≠ Δy', { n: [40, 24], length: [20, 30] }, gaussian([0.4, 1.1]), 1],
    ['mexican hat on 40 × 24, Δx ≠ Δy, a radius of its own', { n: [40, 24], length: [20, 30] }, hat([-0.5, 0.3], 6), 2],
    ['gaussian on a ring', { n: 96, length: 48, dimensions: 1 }, gaussian(0.8), 1],
    ['mexican hat on a ring', { n: 96, length: 48, dimensions: 1 }, hat(-1.1), 2],
  ])('%s: Σ weight·fx[mx]·fy[my] equals kernelStencil to rounding', (_name, grid, kernel, rank) => {
    const c = config(grid, kernel);
    const stencil = kernelStencil(c);
    const s = separableKernel(c)!;
    expect([s.rx, s.ry]).toEqual([stencil.rx, stencil.ry]);
    expect(s.terms).toHaveLength(rank);
    for (const t of s.terms) {
      expect(t.fx).toHaveLength(stencil.sizeX);
      expect(t.fy).toHaveLength(stencil.sizeY);
    }
    const rebuilt = separableWeights(s);
    // exp(a)·exp(b) against exp(a + b), and the scale multiplied in another
    // order: a few float64 roundings of each term, relative to the largest
    // term (the mexican hat's two terms cancel where its weights cross 0).
    const largest = Math.max(...s.terms.map((t) => Math.abs(t.weight) * Math.max(...t.fx) * Math.max(...t.fy)));
    let worst = 0;
    for (let k = 0; k < rebuilt.length; k++) worst = Math.max(worst, Math.abs(rebuilt[k] - stencil.weights[k]));
    expect(worst / largest).toBeLessThan(1e-15);
  });

  it('a mexican hat whose two widths are equal is one Gaussian of amplitude Ae − Ai (rank 1)', () => {
    const c = config({ n: 32, length: 32 }, { type: 'mexican-hat', excitation: { amplitude: 2, sigma: 1.5 }, inhibition: { amplitude: 0.5, sigma: 1.5 }, shift: [0.5, 0] });
    const s = separableKernel(c)!;
    expect(s.terms).toHaveLength(1);
    const stencil = kernelStencil(c);
    const rebuilt = separableWeights(s);
    for (let k = 0; k < rebuilt.length; k++) expect(rebuilt[k]).toBeCloseTo(stencil.weights[k], 15);
  });
});
