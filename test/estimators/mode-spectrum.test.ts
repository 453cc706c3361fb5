import type { Config } from '../../src/config/schema.js';
import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { SpectrumSampler } from '../../src/estimators/mode-spectrum/sampler.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { simulate } from '../../src/run/simulate.js';
import { runSummary } from '../../src/run/summary.js';
import { everyStep, shiftedGaussian, smallLinear } from '../helpers.js';

/** Correlated noise with a white floor on 16² (the noise filter needs the room): σ(k) must weigh each mode by 1/P_k. */
const correlated = smallLinear({
  grid: { n: 16, length: 16 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.5, 0] },
  noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 },
  initial: { type: 'fixed-point' },
});

/** One step of a field: its σ(k) shells add up to the entropy observer's Σ_i s_i / dt of that step. */
async function expectShellsSumToStep(config: Config): Promise<void> {
  const engine = new CpuEngine(config, 1);
  const total = await engine.observe(entropyProduction(1));
  const sampler = new SpectrumSampler(config);
  await engine.observe(everyStep((_step, u, uNext) => sampler.add(u, uNext)));
  await engine.advance(1);
  const { sums } = total.blocks();
  const shells = sampler.result(null).data as number[];
  expect(shells.reduce((a, b) => a + b, 0)).toBeCloseTo(sums[0] / config.dt, 8);
}

describe('mode-resolved entropy production (Parseval split of docs/model.md §4)', () => {
  it('the shells of one step add up to that step\'s total Σ_i s_i / dt', async () => {
    await expectShellsSumToStep(smallLinear({ kernel: shiftedGaussian, initial: { type: 'random', std: 0.3 } }));
  });

  it('averaged over a run, each low shell approaches the theory\'s σ_dt(k)', async () => {
    const config = smallLinear({ kernel: shiftedGaussian, grid: { n: 16, length: 16 } });
    const engine = new CpuEngine(config, 1);
    await engine.advance(400);
    const sampler = new SpectrumSampler(config);
    const perSample: number[][] = [];
    await engine.observe(
      everyStep((_step, u, uNext) => {
        const one = new SpectrumSampler(config);
        one.add(u, uNext);
        perSample.push(one.result(null).data as number[]);
        sampler.add(u, uNext);
      }),
    );
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

  it('with correlated noise, the shells of one step add up to that step\'s Σ_i s_i / dt (docs/model.md §9.4)', async () => {
    await expectShellsSumToStep({ ...correlated, initial: { type: 'random', std: 0.3 } } as typeof correlated);
  });

  it('with correlated noise, the total over a run approaches the theory\'s σ_dt', async () => {
    const engine = new CpuEngine(correlated, 1);
    await engine.advance(400);
    const totals: number[] = [];
    await engine.observe(
      everyStep((_step, u, uNext) => {
        const one = new SpectrumSampler(correlated);
        one.add(u, uNext);
        totals.push((one.result(null).data as number[]).reduce((a, b) => a + b, 0));
      }),
    );
    await engine.advance(4000);
    const theory = fourierTheory(correlated).eprDiscrete!;
    const blocks = Array.from({ length: 40 }, (_, b) => totals.slice(b * 100, (b + 1) * 100).reduce((a, x) => a + x, 0) / 100);
    const mean = blocks.reduce((a, b) => a + b, 0) / blocks.length;
    const se = Math.sqrt(blocks.reduce((a, b) => a + (b - mean) ** 2, 0) / (blocks.length - 1) / blocks.length);
    console.log(`correlated noise: Σσ(k) = ${mean} ± ${se} against σ_dt = ${theory}`);
    expect(Math.abs(mean - theory)).toBeLessThan(3 * se);
  });

  it('gives each shell a batch-means standard error that is calibrated over seeds (default 400 samples)', async () => {
    const z: number[] = [];
    for (let seed = 1; seed <= 8; seed++) {
      const config = { ...correlated, noise: { amplitude: 0.05, correlationLength: 0, whiteFraction: 0 }, seed };
      const result = await simulate(new CpuEngine(config, 1), { steps: 4000, burnIn: 500, blocks: 20 });
      const shells = runSummary(result).spectrum!;
      expect(shells.samples).toBe(400);
      expect(shells.stderr).toHaveLength(shells.shell.length);
      for (const s of [1, 2, 3]) {
        expect(shells.stderr[s]).toBeGreaterThan(0);
        z.push((shells.data[s]! - shells.theory[s]!) / shells.stderr[s]!);
      }
      expect(shells.total.theory).toBeCloseTo(result.theory && 'eprDiscrete' in result.theory ? result.theory.eprDiscrete! : NaN, 12);
      expect(shells.total.stderr).toBeGreaterThan(0);
    }
    const rms = Math.sqrt(z.reduce((a, x) => a + x * x, 0) / z.length);
    console.log(`σ(k) shells 1–3 over 8 seeds: rms of (data − theory)/stderr = ${rms.toFixed(3)}`);
    expect(rms).toBeGreaterThan(0.5);
    expect(rms).toBeLessThan(1.6);
  });

  it('keeps between 20 and 40 batches of consecutive samples, whatever their number', () => {
    const config = smallLinear({ kernel: shiftedGaussian, initial: { type: 'random', std: 0.3 } });
    const sampler = new SpectrumSampler(config);
    const u = new Float64Array(64).map((_, i) => Math.sin(i));
    const uNext = u.map((v, i) => v + 0.01 * Math.cos(3 * i));
    expect(sampler.result(null).stderr[1]).toBeNull();
    sampler.add(u, uNext);
    sampler.add(u, uNext);
    // Identical samples: no scatter between batches.
    expect(sampler.result(null).stderr[1]).toBe(0);
    for (let i = 2; i < 39; i++) sampler.add(u, uNext);
    expect(sampler.batchCount).toBe(39);
    sampler.add(u, uNext);
    expect(sampler.batchCount).toBe(20);
    // 103 samples: 20 batches of 4 after the 80th, then 5 more of 4 and a partial one of 3.
    for (let i = 40; i < 103; i++) sampler.add(u, uNext);
    expect(sampler.batchCount).toBe(26);
    const r = sampler.result(null);
    expect(r.stderr[1]).toBeCloseTo(0, 12);
    expect(r.total.data).toBeCloseTo((r.data as number[]).reduce((a, b) => a + b, 0), 12);
  });
});
