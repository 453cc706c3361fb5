import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairedCheck } from '../../bench/core/gpu-rows.js';
import { gpuMaker, measureEngine } from '../../bench/core/measure-engine.js';
import { benchConfig } from '../../bench/core/plan.js';
import { checkSameDynamics, SAME_FIELD_TOLERANCE } from '../../bench/core/same-dynamics.js';
import { parseConfig } from '../../src/config/load.js';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';

describe('the no-estimator row checks it stepped the same dynamics as the with-estimator row', () => {
  it('accepts the same field and float32 rounding, refuses a planted mismatch, a NaN and another shape', () => {
    const field = Float64Array.from({ length: 64 }, (_, i) => 0.5 + 0.01 * Math.sin(i));
    expect(checkSameDynamics(field, Float64Array.from(field), 'same')).toBe(0);
    const rounded = field.map((v) => Math.fround(v));
    expect(checkSameDynamics(field, rounded, 'rounded')).toBeLessThan(SAME_FIELD_TOLERANCE);
    // One cell off by a noise increment (√(2D·dt) ≈ 0.045 in the benchmark's config): another step, another seed.
    const planted = Float64Array.from(field);
    planted[17] += 0.045;
    expect(() => checkSameDynamics(field, planted, 'planted')).toThrow(/planted.*did not step the same dynamics/);
    const nan = Float64Array.from(field);
    nan[3] = NaN;
    expect(() => checkSameDynamics(field, nan, 'nan')).toThrow(/did not step the same dynamics/);
    expect(() => checkSameDynamics(field, field.subarray(1), 'shape')).toThrow(/63 cells/);
  });

  describe('on the GPU', () => {
    let gpu: AcquiredDevice;
    beforeAll(async () => {
      gpu = await requestNodeDevice();
    });
    afterAll(() => gpu?.device.destroy());

    const options = { steps: 3, warmup: 3, repeats: 2 };
    const config = benchConfig(32, 2);

    it('the separable stencil: with and without the estimator, the same field', async () => {
      const make = gpuMaker(gpu.device, gpu.description, config, 'stencil');
      const a = await measureEngine(make, config, { ...options, estimator: true });
      const b = await measureEngine(make, config, { ...options, estimator: false });
      expect(pairedCheck(a, b, 'separable')).toBeLessThan(SAME_FIELD_TOLERANCE);
    });

    it('refuses a no-estimator run of another seed, or one step more', async () => {
      const a = await measureEngine(gpuMaker(gpu.device, gpu.description, config, 'stencil'), config, { ...options, estimator: true });
      const reseeded = parseConfig({ ...config, seed: 2 });
      const other = await measureEngine(gpuMaker(gpu.device, gpu.description, reseeded, 'stencil'), reseeded, { ...options, estimator: false });
      expect(() => pairedCheck(a, other, 'planted seed')).toThrow(/planted seed.*did not step the same dynamics/);
      const longer = await measureEngine(gpuMaker(gpu.device, gpu.description, config, 'stencil'), config, { ...options, warmup: options.warmup + 1, estimator: false });
      expect(() => pairedCheck(a, longer, 'planted step')).toThrow(/did not step the same dynamics/);
    });

    it('refuses a pair whose rows ran different drift kernels', async () => {
      const a = await measureEngine(gpuMaker(gpu.device, gpu.description, config, 'stencil'), config, { ...options, estimator: true });
      const b = await measureEngine(gpuMaker(gpu.device, gpu.description, config, 'stencil-2d'), config, { ...options, estimator: false });
      expect(() => pairedCheck(a, b, 'mixed')).toThrow(/separable drift ran with the estimator, the tiled one without/);
    });
  });
});
