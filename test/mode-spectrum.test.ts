import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../src/engine/cpu-engine.js';
import { CpuEntropyProduction } from '../src/estimators/cpu-entropy-production.js';
import { SpectrumSampler } from '../src/estimators/mode-spectrum.js';
import { fourierTheory } from '../src/theory/fourier.js';
import { shiftedGaussian, smallLinear } from './helpers.js';

describe('mode-resolved entropy production (Parseval split of spec §4)', () => {
  it('the shells of one step add up to that step\'s total Σ_i s_i / dt', async () => {
    const config = smallLinear({ kernel: shiftedGaussian, initial: { type: 'random', std: 0.3 } });
    const engine = new CpuEngine(config, 1);
    const total = new CpuEntropyProduction(config, 1, 1);
    const sampler = new SpectrumSampler(config);
    engine.observe(total);
    engine.observe({ onStep: (v) => sampler.add(v.u.slice(), v.uNext.slice()) });
    await engine.advance(1);
    const { sums } = await total.blocks();
    const shells = sampler.result(null).data as number[];
    expect(shells.reduce((a, b) => a + b, 0)).toBeCloseTo(sums[0] / config.dt, 8);
  });

  it('averaged over a run, each low shell approaches the theory\'s σ_dt(k)', async () => {
    const config = smallLinear({ kernel: shiftedGaussian, grid: { n: 16, length: 16 } });
    const engine = new CpuEngine(config, 1);
    await engine.advance(400);
    const sampler = new SpectrumSampler(config);
    const perSample: number[][] = [];
    engine.observe({
      onStep: (v) => {
        const one = new SpectrumSampler(config);
        one.add(v.u.slice(), v.uNext.slice());
        perSample.push(one.result(null).data as number[]);
        sampler.add(v.u.slice(), v.uNext.slice());
      },
    });
    await engine.advance(4000);
    const theory = sampler.result(fourierTheory(config)).theory as number[];
    // Batch means over 40 blocks of 100 steps for shells 1..3, where σ(k) is largest.
    for (const shell of [1, 2, 3]) {
      const blocks = Array.from({ length: 40 }, (_, b) => perSample.slice(b * 100, (b + 1) * 100).reduce((a, s) => a + s[shell], 0) / 100);
      const mean = blocks.reduce((a, b) => a + b, 0) / blocks.length;
      const se = Math.sqrt(blocks.reduce((a, b) => a + (b - mean) ** 2, 0) / (blocks.length - 1) / blocks.length);
      expect(theory[shell]).toBeGreaterThan(3 * se);
      expect(Math.abs(mean - theory[shell])).toBeLessThan(3 * se);
    }
  });
});
