import { describe, expect, it } from 'vitest';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { stationaryState } from '../../src/model/bump.js';
import { simulate, type RunResult, type TheoryComparison } from '../../src/run/simulate.js';
import { edgeBand } from '../helpers.js';

/**
 * Issue 10's pinned bump (preset `pinned-bump`), measured on the CPU engine:
 * the nonlinear field's entropy production against the rate of the
 * linearisation about its stationary bump, which `run` compares it with
 * (src/theory/linear.ts → ./bump.ts). Fixed seeds; tolerances in standard errors.
 */
const withNoise = (amplitude: number): Config =>
  parseConfig({ ...structuredClone(presets['pinned-bump']), noise: { amplitude, correlationLength: 0 } });

function run(config: Config, steps: number): Promise<RunResult> {
  return simulate(new CpuEngine(config, 1), { steps, burnIn: 2000, blocks: 50, spectrumSamples: 0 });
}

function linearisation(r: RunResult): TheoryComparison {
  const t = r.theory;
  if ('unavailable' in t) throw new Error(`no theory: ${t.unavailable}`);
  return t;
}

describe('pinned bump (symmetric kernel): irreversible at the bump’s edge', () => {
  it('the estimate is above 0 by more than 5 standard errors and agrees with the linearisation’s σ_dt; its density lies at the edge', async () => {
    const config = presetConfig('pinned-bump');
    const r = await run(config, 100_000);
    const t = linearisation(r);
    expect(t.linearisation?.about).toBe('stationary bump');
    expect(t.method).toBe('dense');
    expect(t.equilibrium).toBe(false);
    expect(t.cellVariance).toBeNull();
    expect(r.epr.estimate / r.epr.stderr).toBeGreaterThan(5);
    expect(Math.abs(r.epr.estimate - t.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
    // Where: the measured density map's mass lies at the bump's edge, as the theory's split says.
    const { inBand, bandCells } = edgeBand(stationaryState(config).u, r.eprDensity);
    const total = r.eprDensity.reduce((a, b) => a + b, 0);
    expect(bandCells / 256).toBeLessThan(0.3);
    expect(inBand / total).toBeGreaterThan(0.6);
    expect(r.eprDensityTheory!.comparison.correlation).toBeGreaterThan(0.9);
  }, 40_000);

  it('as the noise shrinks, the estimate approaches the linearisation’s rate: the gap closes over three amplitudes', async () => {
    const runs = [];
    for (const amplitude of [0.8, 0.5, 0.1]) runs.push(await run(withNoise(amplitude), 60_000));
    // The linearisation's rate does not depend on D (C ∝ D, 𝒟⁻¹ ∝ 1/D).
    const sigmaDt = linearisation(runs[0]).eprDiscrete!;
    for (const r of runs) expect(linearisation(r).eprDiscrete).toBeCloseTo(sigmaDt, 9);
    const [large, middle, small] = runs.map((r) => ({ gap: r.epr.estimate - sigmaDt, stderr: r.epr.stderr }));
    const apart = (a: typeof large, b: typeof large) => 3 * Math.hypot(a.stderr, b.stderr);
    expect(large.gap).toBeGreaterThan(5 * large.stderr);
    expect(large.gap - middle.gap).toBeGreaterThan(apart(large, middle));
    expect(middle.gap - Math.abs(small.gap)).toBeGreaterThan(apart(middle, small));
    expect(Math.abs(small.gap)).toBeLessThan(3 * small.stderr);
  }, 60_000);
});
