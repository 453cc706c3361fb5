import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { simulate } from '../../src/run/simulate.js';
import { bumpLinearisation, type BumpLinearisation } from '../../src/theory/bump.js';
import { edgeBand, pinField, pinnedBump, runPinnedChain } from '../pinned-bump.js';

/**
 * Issue 10's pinned bump, measured: the nonlinear field's entropy production
 * against the linearisation about its stationary bump. The pinning input map
 * goes through test/pinned-bump.ts's TEMPORARY chain until input maps are in
 * the config; the first test checks that chain against the CPU engine.
 */
let linearisation: BumpLinearisation | undefined;
function theory(): BumpLinearisation {
  const config = parseConfig(pinnedBump);
  return (linearisation ??= bumpLinearisation(config, { input: pinField(config) }));
}

const plan = { steps: 120_000, burnIn: 2000, blocks: 50 };

describe('pinned bump (symmetric kernel): irreversible at the bump’s edge', () => {
  it('the temporary chain is the CPU engine’s chain: same numbers for a uniform input', async () => {
    const config = parseConfig({ ...pinnedBump, noise: { amplitude: 0.2 } });
    const chain = runPinnedChain(config, new Float64Array(256).fill(config.input), { steps: 2000, burnIn: 100, blocks: 20 });
    const run = await simulate(new CpuEngine(config, 1), { steps: 2000, burnIn: 100, blocks: 20, spectrumSamples: 0 });
    expect(chain.estimate).toBeCloseTo(run.epr.estimate, 9);
    expect(chain.stderr).toBeCloseTo(run.epr.stderr, 9);
    for (let i = 0; i < 256; i++) {
      expect(chain.field[i]).toBe(run.field[i]);
      expect(chain.density[i]).toBeCloseTo(run.eprDensity[i], 9);
    }
  });

  it('the estimate is above 0 by more than 5 standard errors and agrees with the linearisation’s σ_dt', () => {
    const config = parseConfig(pinnedBump);
    const r = runPinnedChain(config, pinField(config), plan);
    const sigmaDt = theory().theory!.eprDiscrete;
    expect(r.estimate / r.stderr).toBeGreaterThan(5);
    expect(Math.abs(r.estimate - sigmaDt)).toBeLessThan(3 * r.stderr);
    // Where: the density map's mass lies at the bump's edge, as the theory's split says.
    const { inBand, bandCells } = edgeBand(theory().state.u, r.density);
    const total = r.density.reduce((a, b) => a + b, 0);
    expect(bandCells / 256).toBeLessThan(0.3);
    expect(inBand / total).toBeGreaterThan(0.6);
    expect(correlation(r.density, theory().local!)).toBeGreaterThan(0.9);
  });

  it('as the noise shrinks, the estimate approaches the linearisation’s rate: the gap closes over three amplitudes', () => {
    const sigmaDt = theory().theory!.eprDiscrete;
    const gaps = [0.5, 0.4, 0.1].map((amplitude) => {
      const config = parseConfig({ ...pinnedBump, noise: { amplitude } });
      const r = runPinnedChain(config, pinField(config), plan);
      return { amplitude, gap: r.estimate - sigmaDt, stderr: r.stderr };
    });
    const [large, middle, small] = gaps;
    expect(large.gap).toBeGreaterThan(5 * large.stderr);
    expect(large.gap).toBeGreaterThan(middle.gap);
    expect(middle.gap).toBeGreaterThan(Math.abs(small.gap));
    expect(Math.abs(small.gap)).toBeLessThan(3 * small.stderr);
  });
});

function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
