import { describe, expect, it } from 'vitest';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { GpuEngine, type GpuEngineOptions } from '../../src/gpu/gpu-engine.js';
import { TEMPORAL_STEPS } from '../../src/gpu/layout/tiles.js';
import { useGpuDevice } from './device-fixture.js';

/**
 * Temporal blocking (passes/temporal/temporal.wgsl) against the one-step
 * 'stencil-2d' path (update_white, then the tiled drift) on the same GPU,
 * config and seed. Each cell's u_{n+1} and F(u_{n+1}) are the same
 * expressions of the same values, the convolution's products summed in the
 * same order, so the field after the steps is bit for bit the same; and so is
 * the drift the engine is left with, which a later observed (one-step)
 * stretch reads: its field and entropy sums must match too. Windows of an
 * odd number of steps leave a remainder to the one-step kernels; the grids
 * put tile edges and wraps where a wrong halo or owner test would show.
 */
const gpu = useGpuDevice();

const STEPS = 23;
/** Odd: each window is TEMPORAL_STEPS-step dispatches and one single step. */
const WINDOW = 7;
const OBSERVED = 10;

/** A mexican hat of radius 8 cells: a 64² region, the whole of workgroup memory at two steps. */
const base: ConfigInput = {
  grid: { n: 48, length: 48 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'mexican-hat', excitation: { amplitude: 1.5, sigma: 1 }, inhibition: { amplitude: 1, sigma: 1.5 }, shift: [0.6, -0.9] },
  input: 0.1,
  noise: { amplitude: 0.05, correlationLength: 0 },
  dt: 0.05,
  seed: 11,
  initial: { type: 'random', std: 0.3 },
};

/** A shifted Gaussian of radius 3 cells. */
const narrow: ConfigInput['kernel'] = { type: 'gaussian', amplitude: 0.9, sigma: 1, shift: [1.5, -0.5], radius: 3 };

async function run(config: ConfigInput, temporalBlocking: GpuEngineOptions['temporalBlocking']) {
  const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig(config), 2, { convolution: 'stencil-2d', windowSteps: WINDOW, temporalBlocking });
  try {
    await engine.advance(STEPS);
    const field = await engine.readField();
    // Observed steps run one at a time from the state the blocked ones left.
    const entropy = await engine.observe(entropyProduction(5));
    await engine.advance(OBSERVED);
    return { blockedSteps: engine.blockedSteps, step: engine.stepIndex, field, after: await engine.readField(), sums: entropy.blocks().sums };
  } finally {
    engine.dispose();
  }
}

function firstDiffering(a: Float64Array, b: Float64Array): number {
  return a.findIndex((v, i) => !Object.is(v, b[i]));
}

describe('temporal blocking equals the one-step 2-D stencil bit for bit', () => {
  it.each<[string, ConfigInput]>([
    ['48², mexican hat, shifted, radius 8 (the widest that fits)', base],
    ['40 × 24: partial tiles along both axes', { ...base, grid: { n: [40, 24], length: [40, 30] }, kernel: narrow }],
    ['20 × 12: a grid smaller than one tile and its halo', { ...base, grid: { n: [20, 12], length: [20, 18] }, kernel: narrow }],
    ['tanh transfer', { ...base, transfer: { type: 'tanh', gain: 1.3, threshold: 0.1 } }],
    ['a noise map (the noise stripe preset)', { ...(presetConfig('noise-stripe') as ConfigInput), grid: { n: 32, length: 32 } }],
  ])('%s', async (_name, config) => {
    const blocked = await run(config, 'on');
    const single = await run(config, 'off');
    expect([blocked.blockedSteps, single.blockedSteps]).toEqual([TEMPORAL_STEPS, 1]);
    expect(blocked.step).toBe(STEPS + OBSERVED);
    expect(firstDiffering(blocked.field, single.field), 'first cell differing after the blocked steps').toBe(-1);
    expect(firstDiffering(blocked.after, single.after), 'first cell differing after the observed steps').toBe(-1);
    expect(blocked.sums).toEqual(single.sums);
    // The steps moved the field (a kernel that wrote nothing would not).
    const start = await startField(config);
    expect(blocked.field.some((v, i) => v !== start[i])).toBe(true);
  });

  it('auto takes one or the other by timing, and either way steps the same field', async () => {
    const config: ConfigInput = { ...base, grid: { n: [40, 24], length: [40, 30] }, kernel: narrow };
    const auto = await run(config, 'auto');
    const single = await run(config, 'off');
    expect([1, TEMPORAL_STEPS]).toContain(auto.blockedSteps);
    expect(firstDiffering(auto.after, single.after)).toBe(-1);
  });

  it('applies only to white noise, a 2-D grid and the tiled 2-D stencil whose halo fits', async () => {
    const cases: [ConfigInput, GpuEngineOptions][] = [
      [base, { convolution: 'stencil' }], // separable
      [base, { convolution: 'fft' }],
      [{ ...base, noise: { amplitude: 0.05, correlationLength: 1.5 } }, { convolution: 'stencil-2d' }],
      [{ ...base, grid: { n: 96, length: 48, dimensions: 1 }, kernel: { ...base.kernel, shift: 0.8 } } as ConfigInput, { convolution: 'stencil-2d' }],
      // Radius 12: a halo of 24 cells each side exceeds workgroup memory.
      [{ ...base, kernel: { ...narrow, sigma: 4, radius: 12 } }, { convolution: 'stencil-2d' }],
      [base, { convolution: 'stencil-2d', temporalBlocking: 'off' }],
    ];
    for (const [config, options] of cases) {
      const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig(config), 1, { temporalBlocking: 'on', ...options });
      expect(engine.blockedSteps).toBe(1);
      engine.dispose();
    }
  });
});

async function startField(config: ConfigInput): Promise<Float64Array> {
  const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig(config), 2, { convolution: 'stencil-2d' });
  try {
    return await engine.readField();
  } finally {
    engine.dispose();
  }
}
