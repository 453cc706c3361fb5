import { describe, expect, it } from 'vitest';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { GpuEngine, type GpuEngineOptions } from '../../src/gpu/gpu-engine.js';
import { useGpuDevice } from './device-fixture.js';

/**
 * The white-noise update taken into the separable row pass (row-pass.wgsl
 * separable_rows_stepping) against the update as a pass of its own, on the
 * same GPU, config and seed. Each cell's u_{n+1} is the same expression of
 * the same values in both (update_white's), and every later pass reads the
 * same buffers, so the field after the steps is bit for bit the same, and so
 * are the entropy sums. The grids put segment edges and wraps where a wrong
 * owner test or halo would show: a row wider than one 1024-cell segment, a
 * partial segment, a grid narrower than one.
 */
const gpu = useGpuDevice();

const STEPS = 120;
const BLOCK = 40;

const base: ConfigInput = {
  grid: { n: 48, length: 48 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'mexican-hat', excitation: { amplitude: 1.5, sigma: 1 }, inhibition: { amplitude: 1, sigma: 2 }, shift: [0.6, -0.9] },
  input: 0.1,
  noise: { amplitude: 0.05, correlationLength: 0 },
  dt: 0.05,
  seed: 11,
  initial: { type: 'random', std: 0.3 },
};

/** A shifted Gaussian of radius 3 cells: it fits the short axes. */
const narrow: ConfigInput['kernel'] = { type: 'gaussian', amplitude: 0.9, sigma: 1, shift: [1.5, -0.5], radius: 3 };

async function run(config: ConfigInput, options: GpuEngineOptions, replicas = 2) {
  const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig(config), replicas, { convolution: 'stencil', windowSteps: BLOCK, ...options });
  try {
    const entropy = await engine.observe(entropyProduction(BLOCK));
    await engine.advance(STEPS);
    return { fused: engine.updateFused, variant: engine.driftVariant, field: await engine.readField(), sums: entropy.blocks().sums };
  } finally {
    engine.dispose();
  }
}

describe('the update fused into the separable row pass equals the update pass bit for bit', () => {
  it.each<[string, ConfigInput]>([
    ['48², mexican hat, shifted', base],
    ['1100 × 8: two segments per row, the second partial', { ...base, grid: { n: [1100, 8], length: [1100, 8] }, kernel: narrow }],
    ['20 × 12: a row narrower than a segment', { ...base, grid: { n: [20, 12], length: [20, 18] }, kernel: narrow }],
    ['tanh transfer', { ...base, transfer: { type: 'tanh', gain: 1.3, threshold: 0.1 } }],
    ['a noise map (the noise stripe preset)', { ...(presetConfig('noise-stripe') as ConfigInput), grid: { n: 32, length: 32 } }],
  ])('%s', async (_name, config) => {
    const fused = await run(config, {});
    const separate = await run(config, { fuseUpdate: false });
    expect([fused.variant, fused.fused, separate.fused]).toEqual(['separable', true, false]);
    const differing = fused.field.findIndex((v, i) => !Object.is(v, separate.field[i]));
    expect(differing, 'first cell differing').toBe(-1);
    expect(fused.field.some((v) => v !== 0)).toBe(true);
    expect(fused.sums).toEqual(separate.sums);
  });

  it('runs only where the row pass is the separable stencil\'s on a 2-D grid with white noise', async () => {
    const cases: [ConfigInput, GpuEngineOptions][] = [
      [base, { convolution: 'stencil-2d' }],
      [base, { convolution: 'fft' }],
      [{ ...base, noise: { amplitude: 0.05, correlationLength: 1.5 } }, {}],
      [{ ...base, grid: { n: 96, length: 48, dimensions: 1 }, kernel: { ...base.kernel, shift: 0.8 } } as ConfigInput, {}],
    ];
    for (const [config, options] of cases) {
      const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig(config), 1, { convolution: 'stencil', ...options });
      expect(engine.updateFused).toBe(false);
      engine.dispose();
    }
  });
});
