import { describe, expect, it } from 'vitest';
import { gridOf, kernelRadii } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { GpuEngine, type DriftVariant } from '../../src/gpu/gpu-engine.js';
import { fitsTile, MAX_SEPARABLE_RADIUS } from '../../src/gpu/layout/tiles.js';
import { separableTaps } from '../../src/gpu/passes/drift/separable-taps.js';
import { useGpuDevice } from './device-fixture.js';
import { engineShaders } from '../../src/gpu/shaders.js';
import { kernelStencil } from '../../src/model/kernels.js';

/**
 * The separable stencil (a row pass, then a column pass fused with the drift
 * and the observation; on a ring the fused row pass alone) against the 2-D
 * stencil (tiled, or direct past MAX_TILED_RADIUS) on the same GPU, same
 * config and seed: the field after 500 steps and the entropy block sums agree
 * to float32 rounding (tolerances below), on both kernels, with and without a
 * shift, on a square, a rectangle with Δx ≠ Δy, a ring, and wider stencils.
 */
const gpu = useGpuDevice();

const STEPS = 500;
const BLOCK = 100;
const REPLICAS = 2;
/** The unit roundoff of float32. */
const EPS32 = 2 ** -24;

const base: ConfigInput = {
  grid: { n: 64, length: 64 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
  input: 0.1,
  noise: { amplitude: 0.05, correlationLength: 0 },
  dt: 0.05,
  seed: 11,
  // Structure from the first step: a uniform field would hide a wrong tap behind the right sum.
  initial: { type: 'random', std: 0.3 },
};

type Shift = [number, number] | number;
const gaussian = (shift: Shift, more: { sigma?: number; radius?: number } = {}): ConfigInput['kernel'] =>
  ({ type: 'gaussian', amplitude: 1, sigma: more.sigma ?? 1, shift, ...(more.radius ? { radius: more.radius } : {}) });
// ΣW = 0.5: the linear field (slope 0.8) is stable.
const hat = (shift: Shift, more: { sigma?: number; radius?: number } = {}): ConfigInput['kernel'] => ({
  type: 'mexican-hat',
  excitation: { amplitude: 1.5, sigma: more.sigma ?? 1 },
  inhibition: { amplitude: 1, sigma: 2 * (more.sigma ?? 1) },
  shift,
  ...(more.radius ? { radius: more.radius } : {}),
});

const square: ConfigInput['grid'] = { n: 64, length: 64 };
// Δx = 0.5, Δy = 1.25.
const rectangle: ConfigInput['grid'] = { n: [40, 24], length: [20, 30] };
// Δx = 0.5.
const ring: ConfigInput['grid'] = { n: 96, length: 48, dimensions: 1 };

/**
 * Why these tolerances: the two paths differ only in how K f(u) is rounded
 * (float32 factors against float32 products, 2(2r + 1) sums of row and column
 * against (2r + 1)² at once, in other orders). Each step, the drift of a
 * cell then differs by about δ·max|u|, with δ = √N·ε·slope·Σ|W|/τ: N the
 * (2rx + 1)(2ry + 1) products of the 2-D sum, whose roundings ε = 2⁻²⁴ add
 * with random signs, on values up to slope·Σ|W|·max|u|. The stable field
 * (every Re a_k > 0) does not let these grow: a step's difference enters u
 * as dt·δ and decays with the slowest mode, and random ones reach about
 * √(dt/(2 a_min))·δ (0.35 δ here), so the field after 500 steps agrees to
 * FIELD_FACTOR·δ of its scale. An entropy term s_i = (a/2D)[Δ_i(F_i + F′_i) + …]
 * changes by (a/2D)·Δ_i·(δF + δF′), with Δ_i the noise increment of rms
 * √(2D dt/a), independent of the roundings: over the M = cells·steps·replicas
 * terms of a block these add as √M, so a block sum agrees to
 * ENTROPY_SIGMAS·√M·√(a dt/(2D))·2δ·max|u|. The differences measured here
 * are 0.02–0.2 of the field's bound and 0.01–0.5 of the entropy's (on a
 * ring the field is often bit for bit the same: its separable taps are the
 * 2-D stencil's row, summed in the same order). A wrong tap, term or offset
 * changes the drift by percents: with the column taps unflipped the field
 * differs by 0.15 of its scale.
 */
const FIELD_FACTOR = 4;
const ENTROPY_SIGMAS = 3;

function roundingScale(config: Config): number {
  const w = kernelStencil(config).weights;
  const absSum = w.reduce((s, v) => s + Math.abs(v), 0);
  const slope = config.transfer.type === 'linear' ? (config.transfer.slope as number) : 1;
  return Math.sqrt(w.length) * EPS32 * slope * absSum / config.tau;
}

interface Observed {
  variant: DriftVariant;
  field: Float64Array;
  sums: number[];
}

async function run(config: Config, convolution: 'stencil' | 'stencil-2d'): Promise<Observed> {
  const engine = await GpuEngine.create(gpu.device, gpu.description, config, REPLICAS, { convolution, windowSteps: BLOCK });
  try {
    const entropy = await engine.observe(entropyProduction(BLOCK));
    await engine.advance(STEPS);
    expect(engine.convolution).toBe('stencil');
    return { variant: engine.driftVariant, field: await engine.readField(), sums: entropy.blocks().sums };
  } finally {
    engine.dispose();
  }
}

async function expectSeparableEqualsTwoD(over: Partial<ConfigInput>): Promise<void> {
  const config = parseConfig({ ...base, ...over });
  expect(separableTaps(config), 'a separable kernel within MAX_SEPARABLE_RADIUS').toBeDefined();
  const separable = await run(config, 'stencil');
  const twoD = await run(config, 'stencil-2d');
  expect(separable.variant).toBe('separable');
  expect(twoD.variant).toBe(fitsTile(kernelRadii(config)) ? 'tiled' : 'direct');

  const delta = roundingScale(config);
  let scale = 0;
  let diff = 0;
  twoD.field.forEach((v, i) => {
    scale = Math.max(scale, Math.abs(v));
    diff = Math.max(diff, Math.abs(separable.field[i] - v));
  });
  expect(scale, 'a field that moved').toBeGreaterThan(0.1);
  expect(diff / scale, `field: largest difference relative to max|u| (δ = ${delta.toExponential(2)})`).toBeLessThan(FIELD_FACTOR * delta);

  const grid = gridOf(config);
  const D = config.noise.amplitude as number;
  const terms = grid.cells * BLOCK * REPLICAS;
  const entropyTolerance = ENTROPY_SIGMAS * Math.sqrt(terms) * Math.sqrt((grid.area * config.dt) / (2 * D)) * 2 * delta * scale;
  expect(separable.sums).toHaveLength(STEPS / BLOCK);
  separable.sums.forEach((s, k) => {
    expect(Math.abs(s - twoD.sums[k]), `entropy block ${k}: ${s} against ${twoD.sums[k]}`).toBeLessThan(entropyTolerance);
  });
}

describe('the separable stencil equals the 2-D stencil to float32 rounding (500 steps, 2 replicas, entropy observed)', () => {
  it.each<[string, Partial<ConfigInput>]>([
    ['64², gaussian, no shift', { grid: square, kernel: gaussian([0, 0]) }],
    ['64², gaussian, shifted', { grid: square, kernel: gaussian([1.5, -0.7]) }],
    ['64², mexican hat, no shift', { grid: square, kernel: hat([0, 0]) }],
    ['64², mexican hat, shifted', { grid: square, kernel: hat([0.6, 0.9]) }],
    // Radii (10, 4) and, for the hat, (18, 8): its 2-D stencil runs direct.
    ['40 × 24, Δx ≠ Δy, gaussian, no shift', { grid: rectangle, kernel: gaussian([0, 0]) }],
    ['40 × 24, Δx ≠ Δy, gaussian, shifted', { grid: rectangle, kernel: gaussian([0.4, 1.1]) }],
    ['40 × 24, Δx ≠ Δy, mexican hat, no shift', { grid: rectangle, kernel: hat([0, 0]) }],
    ['40 × 24, Δx ≠ Δy, mexican hat, shifted', { grid: rectangle, kernel: hat([-0.5, 0.3]) }],
    // Radius 8 or 9 (tiled), and 16 or 17 (the hat; direct).
    ['a ring of 96 cells, gaussian, no shift', { grid: ring, kernel: gaussian(0) }],
    ['a ring of 96 cells, gaussian, shifted', { grid: ring, kernel: gaussian(0.8) }],
    ['a ring of 96 cells, mexican hat, no shift', { grid: ring, kernel: hat(0) }],
    ['a ring of 96 cells, mexican hat, shifted', { grid: ring, kernel: hat(-1.1) }],
  ])('%s', async (_name, over) => {
    await expectSeparableEqualsTwoD(over);
  });

  it.each<[string, Partial<ConfigInput>]>([
    // Radius 16 on both axes: the widest tiled stencil, 33² = 1089 products per cell against 2·33 per term.
    ['64², gaussian, radius 16', { grid: square, kernel: gaussian([1, 0.5], { sigma: 3, radius: 16 }) }],
    ['64², mexican hat, radius 16', { grid: square, kernel: hat([1, -0.5], { sigma: 2, radius: 16 }) }],
    // Radius 40 on a ring: past the tiled halo (the 2-D path runs direct), within the separable one.
    ['a ring of 96 cells, mexican hat, radius 40', { grid: ring, kernel: hat(2, { sigma: 4, radius: 20 }) }],
  ])('wider: %s', async (_name, over) => {
    const config = parseConfig({ ...base, ...over });
    expect(Math.max(kernelRadii(config).x, kernelRadii(config).y)).toBeGreaterThanOrEqual(16);
    await expectSeparableEqualsTwoD(over);
  });
});

describe('where the separable stencil runs', () => {
  it('`stencil` takes it up to MAX_SEPARABLE_RADIUS and the 2-D stencil beyond; `fft` and `stencil-2d` never', async () => {
    // A ring of 1100 cells: radius MAX_SEPARABLE_RADIUS + 1 fits the ring but not the separable taps.
    const ringOf = (radius: number) => parseConfig({ ...base, grid: { n: 1100, length: 550, dimensions: 1 }, kernel: gaussian(0, { sigma: 4, radius }) });
    const widest = ringOf(MAX_SEPARABLE_RADIUS / 2);
    const wider = ringOf((MAX_SEPARABLE_RADIUS + 1) / 2);
    expect([kernelRadii(widest).x, kernelRadii(wider).x]).toEqual([MAX_SEPARABLE_RADIUS, MAX_SEPARABLE_RADIUS + 1]);
    const variants = async (config: Config, convolution: 'stencil' | 'stencil-2d' | 'fft') => {
      const engine = await GpuEngine.create(gpu.device, gpu.description, config, 1, { convolution });
      engine.dispose();
      return engine.driftVariant;
    };
    expect(await variants(widest, 'stencil')).toBe('separable');
    expect(await variants(wider, 'stencil')).toBe('direct');
    expect(await variants(widest, 'stencil-2d')).toBe('direct');
    expect(await variants(parseConfig(base), 'fft')).toBe('spectral');
  });
});

describe('GPU errors in the separable passes are thrown, never swallowed', () => {
  it.each<[string, 'drift-row-pass' | 'drift-separable']>([
    ['the row pass', 'drift-row-pass'],
    ['the column pass (the drift kernel)', 'drift-separable'],
  ])('WGSL of %s that does not compile throws with the compiler\'s line and message', async (_name, file) => {
    const planted = engineShaders[file].replace('let x = ', 'let x = undefined_name + ');
    const config = parseConfig(base);
    await expect(GpuEngine.create(gpu.device, gpu.description, config, 1, { convolution: 'stencil', shaders: { [file]: planted } })).rejects.toThrow(
      new RegExp(`WGSL compilation failed in ${file}\\.wgsl:\\n${file}\\.wgsl:\\d+:\\d+: .*undefined_name`),
    );
  });
});
