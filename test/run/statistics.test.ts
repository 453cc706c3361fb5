import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { simulate, type TheoryComparison } from '../../src/run/simulate.js';
import { statisticsBase } from '../helpers.js';

/**
 * The estimator against the exact rate of the Euler–Maruyama chain (docs/model.md §4–§5),
 * with fixed seeds and tolerances in standard errors.
 */
const base: ConfigInput = { ...statisticsBase, grid: { n: 16, length: 16 } };

async function measure(over: Partial<ConfigInput>) {
  const config = parseConfig({ ...base, ...over });
  const result = await simulate(new CpuEngine(config, 4), { steps: 20000, burnIn: 500, blocks: 50 });
  return { ...result, theory: result.theory as TheoryComparison };
}

describe('entropy production estimate against theory (CPU reference)', () => {
  let shifted: Awaited<ReturnType<typeof measure>>;
  beforeAll(async () => {
    shifted = await measure({});
  });

  it('shifted kernel: within 3 standard errors of σ_dt; cell variance within 3%', () => {
    const r = shifted;
    expect(r.theory.eprDiscrete).toBeGreaterThan(1);
    expect(r.epr.stderr).toBeLessThan(0.05 * r.theory.eprDiscrete!);
    expect(Math.abs(r.epr.estimate - r.theory.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
    expect(Math.abs(r.cellVariance.estimate / r.theory.cellVariance! - 1)).toBeLessThan(0.03);
  });

  it('symmetric kernel: within 3 standard errors of 0', async () => {
    const r = await measure({ kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] } });
    expect(r.theory.eprDiscrete).toBe(0);
    expect(Math.abs(r.epr.estimate)).toBeLessThan(3 * r.epr.stderr);
    expect(Math.abs(r.cellVariance.estimate / r.theory.cellVariance! - 1)).toBeLessThan(0.03);
  });

  it('correlated noise, shifted kernel: within 3 standard errors of the same σ_dt', async () => {
    const r = await measure({ noise: { amplitude: 0.05, correlationLength: 1 } });
    expect(Math.abs(r.epr.estimate - r.theory.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
    expect(Math.abs(r.cellVariance.estimate / r.theory.cellVariance! - 1)).toBeLessThan(0.03);
  });

  it('smooth correlated noise (λ = 2) with a 1% white floor: within 3 standard errors of σ_dt', async () => {
    const r = await measure({ noise: { amplitude: 0.05, correlationLength: 2, whiteFraction: 0.01 } });
    expect(Math.abs(r.epr.estimate - r.theory.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
    expect(Math.abs(r.cellVariance.estimate / r.theory.cellVariance! - 1)).toBeLessThan(0.03);
  });

  it('correlated noise, symmetric kernel: within 3 standard errors of 0', async () => {
    const r = await measure({
      kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
      noise: { amplitude: 0.05, correlationLength: 1 },
    });
    expect(Math.abs(r.epr.estimate)).toBeLessThan(3 * r.epr.stderr);
  });

  it('the local density map integrates to the estimate', () => {
    const r = shifted;
    const dx2 = (16 / 16) ** 2;
    const perReplica = r.eprDensity.reduce((a, b) => a + b, 0) * dx2 / r.replicas;
    expect(perReplica).toBeCloseTo(r.epr.estimate, 8);
  });
});
