import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { presetConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { kernelStencil } from '../../src/model/kernels.js';
import { stencilSum } from '../../src/model/stencil.js';
import { transferFunction } from '../../src/model/transfer.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { LinearisationUnavailable, linearTheory } from '../../src/theory/linear.js';
import { classifyFixedPoints, uniformLinearisation } from '../../src/theory/linearisation.js';
import { TheoryNotApplicable } from '../../src/theory/modes.js';

const sigmoid: ConfigInput = {
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'sigmoid', gain: 4, threshold: 0.5 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.5, 0] },
  input: 0.1,
  noise: { amplitude: 0.01 },
  dt: 0.05,
  seed: 2,
};

describe('linearisation at a uniform fixed point', () => {
  it('is the Fourier theory of the linear config with slope f′(u*)', () => {
    const config = parseConfig(sigmoid);
    const lin = uniformLinearisation(config);
    const theory = linearTheory(config);
    const S = stencilSum(kernelStencil(config));
    // u* is a fixed point and the slope is f′(u*).
    const f = transferFunction(config.transfer);
    expect(Math.abs(-lin.fixedPoint + S * f(lin.fixedPoint) + 0.1)).toBeLessThan(1e-12);
    const e = 1e-6;
    expect(lin.slope).toBeCloseTo((f(lin.fixedPoint + e) - f(lin.fixedPoint - e)) / (2 * e), 7);
    // The same numbers as a linear config written by hand with that slope.
    const linear = fourierTheory(parseConfig({ ...sigmoid, transfer: { type: 'linear', slope: lin.slope } }));
    expect(lin.unstable).toBeUndefined();
    expect(theory.method).toBe('fourier');
    expect(theory.linearisation?.about).toBe('uniform fixed point');
    expect(theory.eprContinuous).toBeGreaterThan(0);
    expect(theory.eprContinuous).toBeCloseTo(linear.eprContinuous!, 10);
    expect(theory.eprDiscrete).toBeCloseTo(linear.eprDiscrete!, 10);
    expect(theory.cellVariance).toBeCloseTo(linear.cellVariance!, 12);
    expect(theory.equilibrium).toBe(false);
    // The equivalent linear field has its fixed point at u*.
    expect((lin.config.input as number) / (1 - lin.slope * S)).toBeCloseTo(lin.fixedPoint, 12);
  });

  it('is an equilibrium for a symmetric kernel: the linearised coupling f′(u*)·K is symmetric', () => {
    const t = linearTheory(parseConfig({ ...sigmoid, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] } }));
    expect(t.eprContinuous).toBe(0);
    expect(t.eprDiscrete).toBe(0);
    expect(t.equilibrium).toBe(true);
  });

  it('classifies each fixed point in every mode: a mexican hat leaves the quiet state stable to uniform but not to patterned perturbations', () => {
    const bump = presetConfig('bump');
    const points = classifyFixedPoints(bump);
    expect(points.length).toBeGreaterThan(0);
    for (const p of points) {
      // k = 0 is one of the modes: stable in every mode implies stable to uniform perturbations.
      if (p.stable) expect(p.uniformStable).toBe(true);
    }
    const lin = uniformLinearisation(bump);
    const chosen = points.find((p) => p.uniformStable)!;
    expect(lin.fixedPoint).toBe(chosen.u);
    expect(chosen.stable).toBe(false);
    expect(lin.unstable).toMatch(/no stationary linear theory: the linearisation at u\* = .* has a growing mode/);
    // linearTheory gives no rates, and says why, with the linearisation.
    let error: unknown;
    try {
      linearTheory(bump);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LinearisationUnavailable);
    expect((error as LinearisationUnavailable).message).toBe(lin.unstable);
    expect((error as LinearisationUnavailable).linearisation.about).toBe('uniform fixed point');
  });

  it('with a noise map: the theory of maps (Fourier blocks along one axis, else dense) of the linear config with slope f′(u*)', () => {
    const stripe = { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.02, outside: 0.005 } as const;
    const disc = { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.02, outside: 0.005 } as const;
    for (const [amplitude, method] of [[stripe, 'fourier-blocks'], [disc, 'dense']] as const) {
      const config = parseConfig({ ...sigmoid, noise: { amplitude } });
      const t = linearTheory(config);
      expect(t.method).toBe(method);
      expect(t.linearisation?.about).toBe('uniform fixed point');
      const lin = uniformLinearisation(config);
      const linear = linearTheory(parseConfig({ ...sigmoid, transfer: { type: 'linear', slope: lin.slope }, noise: { amplitude } }));
      expect(linear.method).toBe(method);
      expect(t.eprDiscrete).toBeCloseTo(linear.eprDiscrete!, 9);
    }
  });

  it('refuses a linear config (its theory is exact)', () => {
    expect(() => uniformLinearisation(parseConfig({ ...sigmoid, transfer: { type: 'linear', slope: 0.5 } }))).toThrow(TheoryNotApplicable);
  });
});
