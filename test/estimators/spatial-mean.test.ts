import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { spatialMean } from '../../src/estimators/spatial-mean/index.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';
import { uniformFixedPoint } from '../../src/model/fixed-point.js';
import { simulate } from '../../src/run/simulate.js';
import { everyStep, shiftedGaussian, smallLinear } from '../helpers.js';

describe('spatial mean ⟨u⟩', () => {
  it('is the average of the observed fields over cells, replicas and steps', async () => {
    const config = smallLinear({ kernel: shiftedGaussian, initial: { type: 'random', std: 0.5 } });
    const engine = new CpuEngine(config, 3);
    const mean = await engine.observe(spatialMean(4));
    let total = 0;
    let count = 0;
    await engine.observe(
      everyStep((_s, _u, uNext) => {
        for (const v of uNext) total += v;
        count += uNext.length;
      }),
    );
    await engine.advance(12);
    expect(mean.estimate().mean).toBeCloseTo(total / count, 12);
    expect(mean.estimate().blocks).toBe(3);
  });

  it('run reports it, and for a linear field it agrees with the fixed point u* within 3 standard errors', async () => {
    const config = smallLinear({ kernel: shiftedGaussian, grid: { n: 16, length: 16 }, initial: { type: 'fixed-point' } });
    const result = await simulate(new CpuEngine(config, 2), { steps: 8000, burnIn: 200, spectrumSamples: 0 });
    const m = result.observed.find((o) => o.key === 'spatialMean')!;
    expect(m.stderr).toBeGreaterThan(0);
    expect(Math.abs(m.estimate - uniformFixedPoint(config))).toBeLessThan(3 * m.stderr);
  });
});

describe('spatial mean ⟨u⟩ on the GPU', () => {
  let gpu: AcquiredDevice;
  beforeAll(async () => {
    gpu = await requestNodeDevice();
  });
  afterAll(() => gpu?.device.destroy());

  it('run reports the same mean and error from both engines (float32 against float64)', async () => {
    const config = smallLinear({ kernel: shiftedGaussian, grid: { n: 16, length: 16 }, initial: { type: 'fixed-point' } });
    const plan = { steps: 600, burnIn: 20, blocks: 10, spectrumSamples: 0 };
    const cpu = await simulate(new CpuEngine(config, 2), plan);
    const engine = await GpuEngine.create(gpu.device, gpu.description, config, 2);
    try {
      const g = await simulate(engine, plan);
      const [a, b] = [cpu.observed.find((o) => o.key === 'spatialMean')!, g.observed.find((o) => o.key === 'spatialMean')!];
      expect(Math.abs(b.estimate - a.estimate)).toBeLessThan(1e-4 * Math.abs(a.estimate));
      expect(Math.abs(b.stderr - a.stderr)).toBeLessThan(1e-2 * a.stderr);
    } finally {
      engine.dispose();
    }
  });
});
