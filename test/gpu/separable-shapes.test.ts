import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { forgetConvolutionChoices } from '../../src/gpu/convolution-choice.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { DEFAULT_SEPARABLE_SHAPE, SEPARABLE_SHAPES, shapeLabel, type SeparableShape } from '../../src/gpu/layout/tiles.js';
import { useGpuDevice } from './device-fixture.js';

/**
 * Every column shape `auto` may tune to (SEPARABLE_SHAPES) against the
 * default on the same GPU, config and seed: only the partition of the grid
 * into workgroups and threads differs (threads per workgroup, cells per
 * thread), never a cell's arithmetic (each thread sums its cells' column taps
 * in the same order whatever its workgroup and window length), so the field
 * after the steps is bit for bit the same. The entropy block sums add the
 * same per-cell terms in another grouping (per workgroup, then across
 * workgroups): they agree to the rounding of float32 summation order.
 */
const gpu = useGpuDevice();

const STEPS = 200;
const BLOCK = 50;
const REPLICAS = 2;
/**
 * How far apart two orders of the same float32 sums may put a block sum,
 * relative to it: 256 ε (ε = 2⁻²⁴, float32's unit roundoff). The terms are
 * added per thread, then in a tree per workgroup, then across workgroups;
 * a change of shape regroups the last two, so the difference is some ε of
 * the sum (0.1–1.2 ε measured on llvmpipe), with room for an adapter's own
 * order. A cell or a workgroup partial lost or counted twice moves a sum by
 * about 1/workgroups of it (≥ 1/64 here), far outside this.
 */
const SUM_ORDER = 256 * 2 ** -24;

const base: ConfigInput = {
  grid: { n: 64, length: 64 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  // A mexican hat, shifted: two terms, and asymmetric taps, so a misplaced cell shows.
  kernel: { type: 'mexican-hat', excitation: { amplitude: 1.5, sigma: 1 }, inhibition: { amplitude: 1, sigma: 2 }, shift: [0.6, -0.9] },
  input: 0.1,
  noise: { amplitude: 0.05, correlationLength: 0 },
  dt: 0.05,
  seed: 7,
  initial: { type: 'random', std: 0.3 },
};

interface Run {
  shape: SeparableShape | undefined;
  field: Float64Array;
  sums: number[];
}

async function run(config: ConfigInput, shape: SeparableShape): Promise<Run> {
  const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig(config), REPLICAS, { convolution: 'stencil', separableShape: shape, windowSteps: BLOCK });
  try {
    expect(engine.driftVariant).toBe('separable');
    const entropy = await engine.observe(entropyProduction(BLOCK));
    await engine.advance(STEPS);
    return { shape: engine.separableShape, field: await engine.readField(), sums: entropy.blocks().sums };
  } finally {
    engine.dispose();
  }
}

describe('every separable column shape gives the default shape\'s field bit for bit', () => {
  it.each<[string, ConfigInput['grid']]>([
    ['64²', { n: 64, length: 64 }],
    // Neither axis a multiple of any tile: partial workgroups along both.
    ['37 × 18', { n: [37, 18], length: [37, 27] }],
  ])('%s', async (_name, grid) => {
    const config = { ...base, grid };
    const reference = await run(config, DEFAULT_SEPARABLE_SHAPE);
    expect(reference.shape).toEqual(DEFAULT_SEPARABLE_SHAPE);
    for (const shape of SEPARABLE_SHAPES.slice(1)) {
      const other = await run(config, shape);
      expect(other.shape).toEqual(shape);
      const differing = other.field.findIndex((v, i) => !Object.is(v, reference.field[i]));
      expect(differing, `${shapeLabel(shape)}: first cell differing from ${shapeLabel(DEFAULT_SEPARABLE_SHAPE)}`).toBe(-1);
      expect(other.sums).toHaveLength(STEPS / BLOCK);
      other.sums.forEach((s, k) => {
        const r = reference.sums[k];
        expect(Math.abs(r), 'an entropy sum well away from 0').toBeGreaterThan(0);
        expect(Math.abs(s - r) / Math.abs(r), `${shapeLabel(shape)}, entropy block ${k}: ${s} against ${r}`).toBeLessThanOrEqual(SUM_ORDER);
      });
    }
  });

  it('a ring has no column pass: a shape asked for changes nothing, and the engine reports none', async () => {
    const config = { ...base, grid: { n: 96, length: 48, dimensions: 1 as const }, kernel: { ...base.kernel, shift: 0.8 } } as ConfigInput;
    const reference = await run(config, DEFAULT_SEPARABLE_SHAPE);
    expect(reference.shape).toBeUndefined();
    for (const shape of SEPARABLE_SHAPES.slice(1)) {
      const other = await run(config, shape);
      expect(other.field).toEqual(reference.field);
      expect(other.sums).toEqual(reference.sums);
    }
  });
});

describe('the engine runs the shape `auto` chose', () => {
  it('a cached "stencil 16×8/8" builds the column pass of 16 × 8 threads of 8 cells, and the engine\'s note says so', async () => {
    forgetConvolutionChoices();
    const stored: string[] = [];
    const cache = { load: () => 'stencil 16×8/8' as const, store: (_k: string, v: string) => void stored.push(v) };
    const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig(base), 1, { convolution: 'auto', convolutionCache: cache });
    try {
      expect(engine.convolution).toBe('stencil');
      expect(engine.separableShape).toEqual([16, 8, 8]);
      expect(engine.convolutionNote).toBe('cached for this adapter; column workgroup 16×8/8');
      expect(stored).toEqual([]);
    } finally {
      engine.dispose();
      forgetConvolutionChoices();
    }
  });
});
