import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { useGpuDevice } from './device-fixture.js';
import { simulate, type RunOptions } from '../../src/run/simulate.js';
import { expectIdentical, interruptedRun } from '../run/checkpoint-helpers.js';

/**
 * Checkpoints on the GPU engine: a run stopped after a checkpoint and resumed
 * on a fresh engine of the same adapter ends bit for bit as an uninterrupted
 * one (float32 field and maps saved exactly; σ(k)'s per-mode sums still on the
 * device saved as they are).
 */
const gpu = useGpuDevice();

const base: ConfigInput = {
  grid: { n: 32, length: 32 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.2, 0.4], radius: 4 },
  input: 0.1,
  noise: { amplitude: 0.05 },
  dt: 0.05,
  seed: 11,
};

describe('checkpoints on the GPU engine', () => {
  const plan: RunOptions = { steps: 400, burnIn: 40, blocks: 8 };
  const cases: [string, ConfigInput, 'stencil' | 'fft'][] = [
    ['white noise, stencil', base, 'stencil'],
    ['correlated noise, FFT convolution', { ...base, noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 } }, 'fft'],
  ];
  for (const [name, input, convolution] of cases) {
    it(`${name}: stopped after a checkpoint and resumed on a fresh engine, ends bit for bit as an uninterrupted run`, async () => {
      const config = parseConfig(input);
      const make = () => GpuEngine.create(gpu.device, gpu.description, config, 2, { convolution, windowSteps: 32 });
      const engine = await make();
      const whole = await simulate(engine, plan);
      engine.dispose();
      expect(whole.spectrum?.samples).toBeGreaterThan(0);
      // Every 66 steps (pieces of 2 steps): the third checkpoint is in the measured steps, mid-window.
      const { result, checkpoint } = await interruptedRun(make, plan, 66, 3);
      expect(checkpoint.run.observers?.spectrum?.where).toBe('device');
      expectIdentical(result, whole);
    }, 120_000);
  }
});
