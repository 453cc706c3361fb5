import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { batchKey, checkBatchable, memberSlice } from '../../src/gpu/batch.js';
import { batchCapacity, batchFootprint } from '../../src/gpu/batch-capacity.js';
import { engineFootprint, type FootprintOptions } from '../../src/gpu/engine-footprint.js';
import { GpuEngine, type GpuEngineOptions } from '../../src/gpu/gpu-engine.js';
import { statisticsBase } from '../helpers.js';
import { useGpuDevice } from './device-fixture.js';

/**
 * Sweep points as replicas of one engine (GpuEngine.createBatch): each member
 * reads its own coefficients per replica and draws its solo run's Philox
 * numbers, and workgroups never mix replicas, so every member's field,
 * entropy block sums (per replica) and density map are its solo run's, bit
 * for bit, on the same adapter.
 */
const gpu = useGpuDevice();

const base: ConfigInput = { ...statisticsBase, grid: { n: 16, length: 16 } };
const uniformMembers: ConfigInput[] = [
  base,
  { ...base, noise: { amplitude: 0.02, correlationLength: 0 }, input: 0.3 },
  { ...base, noise: { amplitude: 0.1, correlationLength: 0 }, transfer: { type: 'linear', slope: 0.5 } },
];
const mapMembers: ConfigInput[] = [
  { ...base, input: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.5, outside: 0 }, noise: { amplitude: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.2, outside: 0.01 }, correlationLength: 0 } },
  { ...base, input: { pattern: 'bump', center: [4, 8], sigma: 2, base: 0.1, peak: 0.4 }, noise: { amplitude: { pattern: 'stripe', axis: 'y', center: 8, width: 4, inside: 0.05, outside: 0.02 }, correlationLength: 0 } },
];

// Sigmoid fields of different gains about one threshold (the initial field is the base's).
const gainMembers: ConfigInput[] = [2, 3, 4].map((gain) => ({ ...base, transfer: { type: 'sigmoid', gain, threshold: 0.5 } }));

// The step's constants: dt, τ and the seed, each member its own (the noise amplitude too).
const stepMembers: ConfigInput[] = [
  base,
  { ...base, dt: 0.02, seed: 11 },
  { ...base, tau: 2, seed: 12, noise: { amplitude: 0.1, correlationLength: 0 } },
];

const REPLICAS = 2;
const CELLS = 16 * 16;

interface Observed {
  field: Float64Array;
  density: Float64Array;
  /** Per block, the per-replica sums. */
  replicaSums: number[][];
}

/** Unobserved steps (temporal blocking runs these where asked), then observed ones. */
async function observe(engine: GpuEngine): Promise<Observed> {
  await engine.advance(8);
  const ep = await engine.observe(entropyProduction(10));
  await engine.advance(30);
  return { field: await engine.readField(), density: await ep.density(), replicaSums: ep.blocks().replicaSums! };
}

async function solo(config: Config, options: GpuEngineOptions): Promise<Observed> {
  const engine = await GpuEngine.create(gpu.device, gpu.description, config, REPLICAS, options);
  try {
    return await observe(engine);
  } finally {
    engine.dispose();
  }
}

const cases: [string, ConfigInput[], GpuEngineOptions][] = [
  ['uniform D, h, slope; separable stencil, fused update', uniformMembers, { convolution: 'stencil' }],
  ['uniform D, h, slope; FFT convolution', uniformMembers, { convolution: 'fft' }],
  ['uniform D, h, slope; 2-D stencil with temporal blocking', uniformMembers, { convolution: 'stencil-2d', temporalBlocking: 'on' }],
  ['maps of D and h; separable stencil', mapMembers, { convolution: 'stencil' }],
  ['sigmoid gains; separable stencil', gainMembers, { convolution: 'stencil' }],
  ['dt, τ and seed; separable stencil, fused update', stepMembers, { convolution: 'stencil' }],
  ['dt, τ and seed; separate update pass', stepMembers, { convolution: 'stencil', fuseUpdate: false }],
  ['dt, τ and seed; FFT convolution', stepMembers, { convolution: 'fft' }],
  ['dt, τ and seed; 2-D stencil with temporal blocking', stepMembers, { convolution: 'stencil-2d', temporalBlocking: 'on' }],
];

describe('a batch of configs against each config run alone', () => {
  it.each(cases)('%s: fields, entropy block sums and density maps bit for bit', async (_name, inputs, options) => {
    const members = inputs.map((i) => parseConfig(i));
    const engine = await GpuEngine.createBatch(gpu.device, gpu.description, members, REPLICAS, options);
    let batch: Observed;
    try {
      expect(engine.replicas).toBe(members.length * REPLICAS);
      batch = await observe(engine);
    } finally {
      engine.dispose();
    }
    const fields: Float64Array[] = [];
    for (const [m, config] of members.entries()) {
      const alone = await solo(config, options);
      expect(memberSlice(batch.field, m, REPLICAS, CELLS)).toEqual(alone.field);
      expect(memberSlice(batch.density, m, REPLICAS, CELLS)).toEqual(alone.density);
      expect(batch.replicaSums.map((block) => block.slice(m * REPLICAS, (m + 1) * REPLICAS))).toEqual(alone.replicaSums);
      fields.push(alone.field);
    }
    // The members really differ (a batch that ignored per-replica coefficients could not pass the above).
    expect(fields[1]).not.toEqual(fields[0]);
  });
});

describe('what may share a batch', () => {
  const [a, b] = uniformMembers.map((i) => parseConfig(i));

  it("noise amplitude, input and the transfer's slope or gain may differ; the key ignores them", () => {
    expect(batchKey(a)).toBe(batchKey(b));
    expect(() => checkBatchable([a, b])).not.toThrow();
  });

  it('any other difference is refused, naming what may vary', () => {
    const otherKernel = parseConfig({ ...base, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1, 0] } });
    expect(batchKey(otherKernel)).not.toBe(batchKey(a));
    expect(() => checkBatchable([a, otherKernel])).toThrow(/batch member 2 differs from member 1 in more than noise.amplitude, input, the transfer's slope or gain .*, dt \(not beside a noise map\), tau and seed/);
  });

  it('a number and a map of the same coefficient do not batch', () => {
    const mapped = parseConfig(mapMembers[0]);
    expect(batchKey(mapped)).not.toBe(batchKey(a));
    expect(() => checkBatchable([a, mapped])).toThrow(/differs from member 1/);
  });

  it('correlated noise is refused', () => {
    const correlated = parseConfig({ ...base, noise: { amplitude: 0.05, correlationLength: 1 } });
    expect(batchKey(correlated)).toBeUndefined();
    expect(() => checkBatchable([correlated, correlated])).toThrow(/a batch needs white noise/);
  });
});

describe('the memory of a batch', () => {
  const options: FootprintOptions = { path: 'stencil', noiseShaping: 'stencil', windowSteps: 16, observers: 'none' };
  // 64²: a replica-major map of 6 replicas is 96 KiB, above the footprint's bound for the small rest.
  const members = mapMembers.map((i) => parseConfig({ ...i, grid: { n: 64, length: 64 }, }));
  const three = [...members, members[0]];

  it('batchFootprint covers the buffers a batch engine makes, its replica-major maps included', async () => {
    const device = gpu.device;
    const create = device.createBuffer.bind(device);
    let bytes = 0;
    device.createBuffer = (descriptor: GPUBufferDescriptor) => {
      bytes += descriptor.size;
      return create(descriptor);
    };
    try {
      gpu.keep(await GpuEngine.createBatch(device, gpu.description, three, REPLICAS, { convolution: 'stencil', windowSteps: 16 }));
    } finally {
      device.createBuffer = create;
    }
    const footprint = batchFootprint(three[0], REPLICAS, 3, options, device.limits);
    // As engine-footprint.test.ts: the exact parts (all but the bound for the small rest) within what was made, the whole covering it.
    const small = engineFootprint(three[0], 3 * REPLICAS, options, device.limits).parts.find(([what]) => what === 'uniforms, taps and tables (bound)')![1];
    expect(bytes).toBeGreaterThanOrEqual(footprint - small);
    expect(bytes).toBeLessThanOrEqual(footprint);
  });

  it('batchCapacity: the most members within a budget, 0 where none fits', () => {
    const limits = gpu.device.limits;
    const three = batchFootprint(members[0], REPLICAS, 3, options, limits);
    expect(batchCapacity(members[0], REPLICAS, 10, options, limits, three)).toBe(3);
    expect(batchCapacity(members[0], REPLICAS, 10, options, limits, three - 1)).toBe(2);
    expect(batchCapacity(members[0], REPLICAS, 2, options, limits, three)).toBe(2);
    expect(batchCapacity(members[0], REPLICAS, 10, options, limits, 1024)).toBe(0);
  });
});
