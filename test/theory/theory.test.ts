import { describe, expect, it } from 'vitest';
import { denseTheory } from '../../src/theory/dense.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { TheoryNotApplicable } from '../../src/theory/modes.js';
import { shiftedGaussian, shiftedMexicanHat, smallLinear } from '../helpers.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

const shifted = shiftedGaussian;
const mexicanHat = shiftedMexicanHat;

describe('Fourier theory against the dense matrix formulas (docs/model.md §5)', () => {
  it.each([
    ['shifted Gaussian', smallLinear({ kernel: shifted })],
    ['shifted mexican hat', smallLinear({ kernel: mexicanHat })],
    ['shifted Gaussian, correlated noise', smallLinear({ kernel: shifted, noise: { amplitude: 0.05, correlationLength: 1 } })],
    ['shifted Gaussian, coarse dt', smallLinear({ kernel: shifted, dt: 0.4 })],
    ['shifted Gaussian, correlated noise with a white floor', smallLinear({ kernel: shifted, noise: { amplitude: 0.05, correlationLength: 1, whiteFraction: 0.2 } })],
  ])('%s: σ, σ_dt and the cell variance agree to 1e-9', (_name, config) => {
    const f = fourierTheory(config);
    const d = denseTheory(config);
    expect(f.eprContinuous).toBeGreaterThan(0);
    expect(rel(f.eprContinuous!, d.eprContinuous!)).toBeLessThan(1e-9);
    expect(rel(f.eprDiscrete!, d.eprDiscrete!)).toBeLessThan(1e-9);
    expect(rel(f.cellVariance!, d.cellVariance!)).toBeLessThan(1e-9);
    expect(d.equilibrium).toBe(false);
  });

  it('symmetric kernel, uniform noise: σ = 0 in both, and detailed balance holds', () => {
    const config = smallLinear();
    const f = fourierTheory(config);
    const d = denseTheory(config);
    expect(f.eprContinuous).toBe(0);
    expect(f.eprDiscrete).toBe(0);
    expect(Math.abs(d.eprContinuous!)).toBeLessThan(1e-9);
    expect(Math.abs(d.eprDiscrete!)).toBeLessThan(1e-9);
    expect(rel(f.cellVariance!, d.cellVariance!)).toBeLessThan(1e-9);
    expect(d.equilibrium).toBe(true);
  });

  it('symmetric kernel with non-uniform noise is already out of equilibrium', () => {
    const config = smallLinear();
    const diffusion = Float64Array.from({ length: 64 }, (_, i) => 0.05 * (1 + 0.5 * Math.sin(i)));
    const d = denseTheory(config, { diffusion });
    expect(d.equilibrium).toBe(false);
    expect(d.eprContinuous).toBeGreaterThan(1e-6);
    expect(d.eprDiscrete).toBeGreaterThan(1e-6);
  });

  it('σ does not depend on the noise amplitude; the variance scales with it', () => {
    const a = fourierTheory(smallLinear({ kernel: shifted }));
    const b = fourierTheory(smallLinear({ kernel: shifted, noise: { amplitude: 0.2, correlationLength: 0 } }));
    expect(rel(a.eprDiscrete!, b.eprDiscrete!)).toBeLessThan(1e-12);
    expect(rel(b.cellVariance! / a.cellVariance!, 4)).toBeLessThan(1e-12);
  });

  it('σ_dt tends to σ as dt → 0', () => {
    const coarse = fourierTheory(smallLinear({ kernel: shifted, dt: 0.1 }));
    const fine = fourierTheory(smallLinear({ kernel: shifted, dt: 0.001 }));
    expect(coarse.eprDiscrete! - coarse.eprContinuous!).toBeGreaterThan(0);
    expect(rel(fine.eprDiscrete!, fine.eprContinuous!)).toBeLessThan(
      rel(coarse.eprDiscrete!, coarse.eprContinuous!) / 50,
    );
  });

  it('the mode spectrum sums to the rates', () => {
    const f = fourierTheory(smallLinear({ kernel: mexicanHat }));
    expect(rel(f.spectrum.discrete.reduce((a, b) => a + b, 0), f.eprDiscrete!)).toBeLessThan(1e-12);
  });

  it('reports instability with the worst mode and the stable dt', () => {
    const f = fourierTheory(smallLinear({ kernel: shifted, dt: 3 }));
    expect(f.stability.continuous.stable).toBe(true);
    expect(f.stability.discrete.stable).toBe(false);
    expect(f.eprDiscrete).toBeNull();
    expect(f.stability.discrete.dtMax).toBeLessThan(3);
    const ok = fourierTheory(smallLinear({ kernel: shifted, dt: f.stability.discrete.dtMax * 0.99 }));
    expect(ok.stability.discrete.stable).toBe(true);
  });

  it('refuses nonlinear transfers', () => {
    const config = smallLinear({ transfer: { type: 'tanh', gain: 1, threshold: 0 } });
    expect(() => fourierTheory(config)).toThrow(TheoryNotApplicable);
    expect(() => fourierTheory(config)).toThrow(/linear transfer only.*tanh/);
  });
});
