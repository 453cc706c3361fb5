import { describe, expect, it } from 'vitest';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { simulate, type TheoryComparison } from '../../src/run/simulate.js';
import { rectangleInput, ringInput } from './geometries.js';

/**
 * The estimator of docs/model.md §4 against the exact rate σ_dt of the
 * Euler–Maruyama chain (§5) on the grids of §7 that are not squares, as
 * test/run/statistics.test.ts does on squares: fixed seeds, tolerances in
 * standard errors, and the errors' calibration over seeds (the convention of
 * test/estimators/mode-spectrum.test.ts: the rms of (estimate − theory)/s.e.
 * between 0.5 and 1.6).
 */
async function measure(input: ConfigInput, seed: number, replicas: number, steps: number) {
  const config = parseConfig({ ...input, seed });
  const result = await simulate(new CpuEngine(config, replicas), { steps, burnIn: 500, blocks: 50, spectrumSamples: 0, spaceTimeRows: 0 });
  return { ...result, theory: result.theory as TheoryComparison };
}

/** (estimate − σ_dt)/s.e. over seeds 1..runs. */
async function zScores(input: ConfigInput, runs: number, steps: number): Promise<number[]> {
  const z: number[] = [];
  for (let seed = 1; seed <= runs; seed++) {
    const r = await measure(input, seed, 1, steps);
    z.push((r.epr.estimate - r.theory.eprDiscrete!) / r.epr.stderr);
  }
  return z;
}

const rms = (z: number[]) => Math.sqrt(z.reduce((a, x) => a + x * x, 0) / z.length);

describe.each([
  ['a ring of 64 cells', ringInput],
  ['a 24 × 10 rectangle', rectangleInput],
])('entropy production on %s against theory (CPU reference)', (name, input) => {
  it('within 3 standard errors of σ_dt, cell variance within 3 standard errors of its theory', async () => {
    const r = await measure(input, 7, 4, 20000);
    expect(r.theory.method).toBe('fourier');
    expect(r.theory.eprDiscrete).toBeGreaterThan(0);
    expect(r.epr.stderr).toBeLessThan(0.1 * r.theory.eprDiscrete!);
    expect(Math.abs(r.epr.estimate - r.theory.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
    expect(Math.abs(r.cellVariance.estimate - r.theory.cellVariance!)).toBeLessThan(3 * r.cellVariance.stderr);
  });

  it('the local density map, times the cell area, sums to the estimate; the density is the estimate over the domain', async () => {
    const r = await measure(input, 3, 1, 2000);
    const { area, domain } = gridOf(r.config);
    expect(r.eprDensity.reduce((a, b) => a + b, 0) * area).toBeCloseTo(r.epr.estimate, 8);
    expect(r.epr.density).toBeCloseTo(r.epr.estimate / domain, 12);
  });

  it('its standard errors are calibrated over 8 seeds', async () => {
    const z = await zScores(input, 8, 10000);
    console.log(`${name}: rms of (estimate − σ_dt)/s.e. over 8 seeds = ${rms(z).toFixed(3)}`);
    expect(rms(z)).toBeGreaterThan(0.5);
    expect(rms(z)).toBeLessThan(1.6);
  });
});
