import { describe, expect, it } from 'vitest';
import { gridOf, kernelRadii } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Engine } from '../../src/engine/engine.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { GpuEngine, type DriftVariant, type GpuEngineOptions } from '../../src/gpu/gpu-engine.js';
import { fitsTile } from '../../src/gpu/layout/tiles.js';
import { useGpuDevice } from './device-fixture.js';
import { relativeFieldDifference } from '../../src/numeric/compare.js';
import { mockDevice } from './mock-device.js';

/**
 * The GPU engine on the grids of docs/model.md §7 that are not n×n powers of
 * two: sizes that are not multiples of a tile or of 4 and grids narrower than
 * a tile, rectangles with Δx ≠ Δy, and rings (ny = 1). Each case runs the GPU
 * engine and the CPU reference from the same config and seed, two replicas
 * (the replica stride is nx·ny), 300 steps from a zero field, observing the
 * entropy production: fields to 1e-4 of the field's scale, the entropy sums
 * per block to 1e-3 and the entropy density map to 1e-3, as in
 * gpu-engine.test.ts (float32 against float64).
 */
const gpu = useGpuDevice();

const base: ConfigInput = {
  grid: { n: 12, length: 12 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0.7, -0.4] },
  input: 0.1,
  noise: { amplitude: 0.02, correlationLength: 0 },
  dt: 0.05,
  seed: 3,
  initial: { type: 'zero' },
};

const ringKernel: ConfigInput['kernel'] = { type: 'gaussian', amplitude: 1, sigma: 1, shift: 0.5 };

/** The grids every path runs on; cells of 1 unless said (a stencil of radius 5 on the squares). */
const grids: [string, Partial<ConfigInput>][] = [
  ['12²', { grid: { n: 12, length: 12 } }],
  ['13²', { grid: { n: 13, length: 13 } }],
  ['20²', { grid: { n: 20, length: 20 } }],
  // Δx = 0.5, Δy = 0.65: radii (5, 4) from R = 2.5.
  ['24 × 10, Δx ≠ Δy', { grid: { n: [24, 10], length: [12, 6.5] }, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0.7, -0.4], radius: 2.5 } }],
  // Δx = 0.5: radius 9 cells.
  ['a ring of 64 cells', { grid: { n: 64, length: 32, dimensions: 1 }, kernel: ringKernel }],
];

/** Correlated noise that fits each grid (λ ≥ Δ, 2r + 1 ≤ n on each axis), with a white floor the float32 estimator can invert. */
const correlated = (grid: Partial<ConfigInput>, lambda: number): Partial<ConfigInput> => ({
  ...grid,
  noise: { amplitude: 0.02, correlationLength: lambda, whiteFraction: 0.05 },
});

interface Observed {
  field: Float64Array;
  sums: number[];
  density: Float64Array;
}

async function run(engine: Engine, steps: number): Promise<Observed> {
  const ep = await engine.observe(entropyProduction(100));
  await engine.advance(steps);
  return { field: await engine.readField(), sums: ep.blocks().sums, density: await ep.density() };
}

/**
 * GPU (on the paths `options` ask for) and CPU from one config, 2 replicas,
 * 300 steps: fields, entropy sums and density compared; `variant`, the drift
 * kernel that must have run.
 */
async function expectAgreement(config: Config, options: Pick<GpuEngineOptions, 'convolution' | 'noiseShaping'>, variant?: DriftVariant): Promise<void> {
  const g = await GpuEngine.create(gpu.device, gpu.description, config, 2, options);
  try {
    expect(g.convolution).toBe(options.convolution === 'stencil-2d' ? 'stencil' : options.convolution);
    if (variant) expect(g.driftVariant).toBe(variant);
    expect(g.noiseShaping).toBe(options.noiseShaping ?? 'stencil');
    const [a, b] = [await run(g, 300), await run(new CpuEngine(config, 2), 300)];
    expect(a.field).toHaveLength(2 * gridOf(config).cells);
    expect(relativeFieldDifference(a.field, b.field)).toBeLessThan(1e-4);
    expect(a.sums).toHaveLength(3);
    a.sums.forEach((s, k) => expect(Math.abs(s - b.sums[k]), `block ${k}`).toBeLessThan(1e-3 * Math.abs(b.sums[k])));
    expect(relativeFieldDifference(a.density, b.density)).toBeLessThan(1e-3);
  } finally {
    g.dispose();
  }
}

const config = (over: Partial<ConfigInput>) => parseConfig({ ...base, ...over });

/** Grids past one tile along an axis, not multiples of it: the tiled, separable and direct kernels' partial tiles. */
const tiledGrids: [string, Partial<ConfigInput>][] = [
  ...grids,
  // Wider than a tile and not a multiple of it (or of 4) along x, two tile rows along y.
  ['37 × 18', { grid: { n: [37, 18], length: [37, 18] } }],
  // Three of the ring's 512-cell tiles, the last partial.
  ['a ring of 1100 cells', { grid: { n: 1100, length: 550, dimensions: 1 }, kernel: ringKernel }],
];

const wideGrids: [string, Partial<ConfigInput>][] = [
  // Δx = 0.5, Δy = 1: radii (17, 9), the x radius past the tile's halo.
  ['40 × 20, Δx ≠ Δy', { grid: { n: [40, 20], length: [20, 20] }, kernel: { type: 'gaussian', amplitude: 1, sigma: 2, shift: [0.5, 1], radius: 8.5 } }],
  ['a ring of 64 cells', { grid: { n: 64, length: 32, dimensions: 1 }, kernel: { ...ringKernel, radius: 10 } }],
  // Nine of the ring's 128-cell workgroups, the last partial.
  ['a ring of 1100 cells', { grid: { n: 1100, length: 550, dimensions: 1 }, kernel: { ...ringKernel, radius: 10 } }],
];

describe('GPU engine on any grid against the CPU reference, 300 steps from a zero field', () => {
  it.each(tiledGrids)('%s: the separable stencil (the stencil path\'s default)', async (_name, over) => {
    await expectAgreement(config(over), { convolution: 'stencil' }, 'separable');
  });

  it.each(wideGrids)('%s: the separable stencil, radius above MAX_TILED_RADIUS', async (_name, over) => {
    await expectAgreement(config(over), { convolution: 'stencil' }, 'separable');
  });

  it.each(tiledGrids)('%s: the tiled 2-D stencil', async (_name, over) => {
    const c = config(over);
    expect(fitsTile(kernelRadii(c))).toBe(true);
    await expectAgreement(c, { convolution: 'stencil-2d' }, 'tiled');
  });

  it.each(wideGrids)('%s: the direct 2-D stencil (a radius above MAX_TILED_RADIUS)', async (_name, over) => {
    const c = config(over);
    expect(fitsTile(kernelRadii(c))).toBe(false);
    await expectAgreement(c, { convolution: 'stencil-2d' }, 'direct');
  });

  it.each([
    ...grids,
    // 67 is prime: Bluestein's transform along the ring.
    ['a ring of 67 cells', { grid: { n: 67, length: 33.5, dimensions: 1 }, kernel: ringKernel }],
  ] as [string, Partial<ConfigInput>][])('%s: the FFT convolution', async (_name, over) => {
    await expectAgreement(config(over), { convolution: 'fft' });
  });

  it.each<[string, Partial<ConfigInput>]>([
    ['12²', correlated(grids[0][1], 1.5)],
    ['13²', correlated(grids[1][1], 1.5)],
    // Noise radii (5, 4).
    ['24 × 10, Δx ≠ Δy', correlated(grids[3][1], 0.8)],
    // Noise radius 6; the y filter [1] is skipped.
    ['a ring of 64 cells', correlated(grids[4][1], 1)],
  ])('%s: correlated noise by the separable filter and by FFT shaping; the estimator\'s inverse covariance by FFT', async (_name, over) => {
    const c = config(over);
    for (const noiseShaping of ['stencil', 'fft'] as const) {
      await expectAgreement(c, { convolution: 'stencil', noiseShaping });
    }
  });
});

describe('maps on a rectangle and a ring (per-cell coefficients at iy·nx + ix)', () => {
  const stripe = (axis: 'x' | 'y', center: number) => ({ pattern: 'stripe', axis, center, width: 2, inside: 0.05, outside: 0.01 }) as const;
  it.each<[string, Partial<ConfigInput>]>([
    ['24 × 10, a noise stripe along y and a slope stripe along x', {
      ...grids[3][1],
      noise: { amplitude: stripe('y', 3), correlationLength: 0 },
      transfer: { type: 'linear', slope: { pattern: 'stripe', axis: 'x', center: 4, width: 3, inside: 0.6, outside: 0.8 } },
    }],
    ['a ring of 64 cells, a noise stripe, correlated noise', { ...grids[4][1], noise: { amplitude: stripe('x', 10), correlationLength: 1, whiteFraction: 0.05 } }],
  ])('%s', async (_name, over) => {
    await expectAgreement(config(over), { convolution: 'stencil' });
  });
});

describe('GPU engine on a ring', () => {
  it('saves a state of shape [n], continues from it as if never stopped, and refuses a state of another shape', async () => {
    const c = config({ grid: { n: 64, length: 32, dimensions: 1 }, kernel: ringKernel });
    const engines = await Promise.all([0, 1, 2].map(() => GpuEngine.create(gpu.device, gpu.description, c, 1)));
    try {
      const [straight, first, resumed] = engines;
      await straight.advance(60);
      await first.advance(35);
      const state = await first.saveState();
      expect(state.shape).toEqual([64]);
      await resumed.restoreState(state);
      await resumed.advance(25);
      expect(Array.from(await resumed.readField())).toEqual(Array.from(await straight.readField()));
      await expect(resumed.restoreState({ ...state, shape: [8, 8] })).rejects.toThrow(/shape \[8, 8\] cannot be restored into an engine of 1 of shape \[64\]/);
    } finally {
      for (const e of engines) e.dispose();
    }
  });
});

describe('dispatch shapes on the largest grids (a recording device, no GPU)', () => {
  it.each<[string, ConfigInput['grid'], ConfigInput['kernel']]>([
    // MAX_RING_N: 262144 cells in one row; 8-wide workgroups make 32768 along x, the FFT's lines are its one row.
    ['a ring of 262144 cells', { n: 262144, length: 131072, dimensions: 1 }, ringKernel],
    ['16384 × 16', { n: [16384, 16], length: [16384, 16] }, { type: 'gaussian', amplitude: 1, sigma: 0.4, shift: [0.2, 0] }],
  ])('%s: every pass (stencil and FFT, both noise shapings, observed) stays within 65535 workgroups per dimension', async (_name, grid, kernel) => {
    for (const [convolution, noiseShaping] of [['stencil', 'stencil'], ['fft', 'fft']] as const) {
      const { device, dispatches } = mockDevice();
      const c = config({ grid, kernel, noise: { amplitude: 0.02, correlationLength: 1, whiteFraction: 0.05 } });
      const engine = await GpuEngine.create(device, 'mock', c, 2, { convolution, noiseShaping, windowSteps: 2 });
      await engine.observe(entropyProduction(2));
      await engine.advance(2);
      expect(dispatches.length).toBeGreaterThan(0);
      const largest = dispatches.reduce((m, [x, y, z]) => Math.max(m, x, y, z), 0);
      expect(largest, `${convolution} convolution, ${noiseShaping} noise shaping`).toBeLessThanOrEqual(65535);
      engine.dispose();
    }
  });
});
