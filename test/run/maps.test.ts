import { describe, expect, it } from 'vitest';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { simulate, type TheoryComparison } from '../../src/run/simulate.js';
import { denseTheory } from '../../src/theory/dense.js';

/**
 * The estimator with maps (docs/model.md §8) against the dense theory, on the CPU
 * reference: 16² grids, fixed seeds, 20000 measured steps, tolerances in
 * standard errors.
 */
async function measure(config: ReturnType<typeof parseConfig>, replicas = 1) {
  const result = await simulate(new CpuEngine(config, replicas), { steps: 20000, burnIn: 500, blocks: 50 });
  return { ...result, theory: result.theory as TheoryComparison };
}

const stripe = () => presetConfig('noise-stripe');
const withNoise = (noise: ConfigInput['noise']) => parseConfig({ ...structuredClone(presets['noise-stripe']), noise });

describe('maps: entropy production estimate against the dense theory (CPU reference)', () => {
  it('symmetric kernel with a noise-amplitude stripe: within 3 standard errors of σ_dt, far above 0; the density lights up at the edges', async () => {
    const r = await measure(stripe());
    // A map along x: the Fourier-block theory, equal to the dense one (test/theory/fourier-blocks.test.ts).
    expect(r.theory.method).toBe('fourier-blocks');
    expect(r.theory.equilibrium).toBe(false);
    expect(r.theory.eprDiscrete).toBeGreaterThan(5);
    expect(Math.abs(r.epr.estimate - r.theory.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
    expect(r.epr.estimate).toBeGreaterThan(10 * r.epr.stderr);
    expect(Math.abs(r.cellVariance.estimate - r.theory.cellVariance!)).toBeLessThan(4 * r.cellVariance.stderr);
    // The measured density map follows the theory's, which is concentrated at the stripe's edges.
    const { map, comparison } = r.eprDensityTheory!;
    expect(comparison.correlation).toBeGreaterThan(0.9);
    // Inside the stripe 6 ≤ x < 10 and far from it, next to nothing; the quiet cells beside its edges (x = 5, 10) produce it.
    const column = (x: number) => map[8 * 16 + x];
    expect(column(5)).toBeGreaterThan(10 * (Math.abs(column(1)) + Math.abs(column(7)) + Math.abs(column(14))));
    expect(column(10)).toBeCloseTo(column(5), 12);
    const cellArea = 1;
    expect(map.reduce((a, b) => a + b, 0) * cellArea).toBeCloseTo(r.theory.eprDiscrete!, 9);
  });

  it('the same kernel with uniform noise: within 3 standard errors of 0', async () => {
    const r = await measure(withNoise({ amplitude: 0.05 }));
    expect(r.theory.method).toBe('fourier');
    expect(r.theory.equilibrium).toBe(true);
    expect(r.theory.eprDiscrete).toBe(0);
    expect(Math.abs(r.epr.estimate)).toBeLessThan(3 * r.epr.stderr);
  });

  it('correlated noise with the amplitude stripe applied after the correlation: within 3 standard errors of σ_dt', async () => {
    const config = withNoise({ ...structuredClone(presets['noise-stripe'].noise), correlationLength: 1, whiteFraction: 0.1 });
    const r = await measure(config);
    expect(r.theory.eprDiscrete).toBeGreaterThan(1);
    expect(Math.abs(r.epr.estimate - r.theory.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
    expect(r.epr.estimate).toBeGreaterThan(5 * r.epr.stderr);
  });

  it('symmetric kernel, gain map g and noise D ∝ 1/g: equilibrium, σ = 0, the estimate within 3 standard errors of 0', async () => {
    const config = presetConfig('gain-balanced');
    const r = await measure(config);
    expect(r.theory.method).toBe('dense');
    expect(r.theory.equilibrium).toBe(true);
    expect(Math.abs(r.theory.eprDiscrete!)).toBeLessThan(1e-12);
    expect(Math.abs(r.epr.estimate)).toBeLessThan(3 * r.epr.stderr);
    expect(Math.abs(r.cellVariance.estimate - r.theory.cellVariance!)).toBeLessThan(4 * r.cellVariance.stderr);
    // With uniform noise instead the same gain map is out of equilibrium.
    const uniform = denseTheory(parseConfig({ ...structuredClone(presets['gain-balanced']), noise: { amplitude: 0.02 } }));
    expect(uniform.equilibrium).toBe(false);
    expect(uniform.eprDiscrete!).toBeGreaterThan(0);
  });
});
