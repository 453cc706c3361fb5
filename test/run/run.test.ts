import { describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { Run } from '../../src/run/run.js';
import { simulate } from '../../src/run/simulate.js';
import { shiftedGaussian, smallLinear } from '../helpers.js';

const config = smallLinear({ kernel: shiftedGaussian });

describe('Run', () => {
  it('advanced in uneven pieces gives exactly what simulate() gives in one go', async () => {
    const whole = await simulate(new CpuEngine(config, 2), { steps: 600, burnIn: 50, blocks: 10, spectrumSamples: 20 });
    const run = new Run(new CpuEngine(config, 2), { steps: 600, burnIn: 50, blocks: 10, spectrumSamples: 20 });
    for (const piece of [7, 43, 1, 99, 250, 1000]) await run.advance(piece);
    expect(run.finished).toBe(true);
    expect(run.done).toBe(650);
    const oneGo = new Run(new CpuEngine(config, 2), { steps: 600, burnIn: 50, blocks: 10, spectrumSamples: 20 });
    await oneGo.advance(650);
    expect(run.attached!.entropy.blocks()).toEqual(oneGo.attached!.entropy.blocks());
    expect(Array.from(await run.engine.readField())).toEqual(Array.from(whole.field));
    const estimate = run.estimates().epr!;
    expect(estimate.mean).toBeCloseTo(whole.epr.estimate, 12);
    expect(estimate.stderr).toBeCloseTo(whole.epr.stderr, 12);
    expect(run.attached!.spectrum!.sampler.samples).toBe(whole.spectrum!.samples);
    expect(Array.from(run.attached!.spectrum!.sampler.modes())).toEqual(Array.from(whole.spectrum!.modes));
  });

  it('attaches its estimators when the burn-in ends, and reports complete blocks only', async () => {
    const engine = new CpuEngine(config, 1);
    const run = new Run(engine, { steps: Infinity, burnIn: 30, blockSteps: 20 });
    await run.advance(30);
    expect(run.measured).toBe(0);
    expect(run.estimates().epr).toBeNull();
    await run.advance(55);
    expect(run.measured).toBe(55);
    const e = run.estimates();
    expect(e.epr!.completeBlocks).toBe(2);
    const blocks = run.attached!.entropy.blocks();
    expect(blocks.steps).toEqual([20, 20, 15]);
    const perStep = (blocks.sums[0] + blocks.sums[1]) / 40;
    expect(e.epr!.mean).toBeCloseTo(perStep / config.dt, 12);
  });

  it('closes: its observers detach, and a new run on the same engine can attach its own', async () => {
    const engine = new CpuEngine(config, 1);
    const first = new Run(engine, { steps: Infinity, blockSteps: 10 });
    await first.advance(25);
    first.close();
    const before = first.attached!.entropy.blocks();
    const second = new Run(engine, { steps: Infinity, blockSteps: 10 });
    await second.advance(20);
    expect(first.attached!.entropy.blocks()).toEqual(before);
    expect(second.attached!.entropy.blocks().steps).toEqual([10, 10]);
  });

  it('refuses a plan that cannot produce an estimate, naming the count', () => {
    expect(() => new Run(new CpuEngine(config), { steps: 1 })).toThrow(/steps must be an integer ≥ 2 \(got 1\)/);
    expect(() => new Run(new CpuEngine(config), { steps: 100, burnIn: -1 })).toThrow(/burn-in must be an integer ≥ 0/);
    expect(() => new Run(new CpuEngine(config), { steps: Infinity })).toThrow(/open-ended run needs blockSteps/);
  });
});
