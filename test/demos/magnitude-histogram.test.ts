import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINS, binBounds, MagnitudeHistogram } from '../../demos/src/magnitude-histogram.js';
import { withErrorScopes } from '../../src/gpu/errors.js';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';

/**
 * The density's colour range from a GPU histogram (shaders/magnitude-histogram.wgsl)
 * against the float64 percentile of the same float32 values, sorted on the host.
 */
let gpu: AcquiredDevice;
let histogram: MagnitudeHistogram;
const buffers: GPUBuffer[] = [];
beforeAll(async () => {
  gpu = await requestNodeDevice();
  histogram = new MagnitudeHistogram(gpu.device);
});
afterAll(() => {
  histogram?.destroy();
  for (const b of buffers) b.destroy();
  gpu?.device.destroy();
});

function upload(values: Float32Array<ArrayBuffer>): GPUBuffer {
  const b = gpu.device.createBuffer({ size: values.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  gpu.device.queue.writeBuffer(b, 0, values);
  buffers.push(b);
  return b;
}

/** The element at ⌊q·(n − 1)⌋ of the sorted |v|, in float64: what Simulation did with a full read-back. */
function sortedPercentile(values: Float32Array, count: number, q: number): number {
  const magnitudes = Float64Array.from(values.subarray(0, count), Math.abs).sort();
  return magnitudes[Math.floor(q * (count - 1))];
}

/** A small seeded generator (mulberry32): the test's data, not the model's noise. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Signed values spread over 40 octaves (log-uniform), with exact zeros and a few subnormals. */
function spread(n: number, seed: number): Float32Array<ArrayBuffer> {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, (_, i) => {
    if (i % 97 === 0) return 0;
    if (i % 1013 === 0) return 1e-40;
    const magnitude = 2 ** (40 * random() - 25);
    return random() < 0.5 ? -magnitude : magnitude;
  });
}

describe('the GPU magnitude histogram', () => {
  it('has exact, ordered bins a quarter octave wide', () => {
    expect(binBounds(0)).toEqual({ lower: 0, upper: 2 ** -126 * 2 ** -23 * 2 ** 21 });
    // 1.0 is 0x3f800000: bin 0x3f800000 >> 21 = 508, [1, 1.25).
    expect(binBounds(508)).toEqual({ lower: 1, upper: 1.25 });
    expect(binBounds(511)).toEqual({ lower: 1.75, upper: 2 });
    expect(binBounds(BINS - 5).upper).toBe(Infinity);
  });

  it.each([
    ['65 536 + 123 values (not a whole number of workgroups)', 65_536 + 123, 65_536 + 123],
    ['a 1024² field (a grid stride of many values per thread)', 1024 * 1024, 1024 * 1024],
    ['the first 300 of a longer buffer (replica 0 of several)', 300, 4096],
  ])('gives the percentiles a host sort gives, to within one bin: %s', async (_, count, length) => {
    const values = spread(length, count);
    const buffer = upload(values);
    const counts = await withErrorScopes(gpu.device, 'the histogram test', () => histogram.counts(buffer, count));
    expect(counts).toHaveLength(BINS);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(count);
    for (const q of [0, 0.5, 0.9, 0.99, 1]) {
      const exact = sortedPercentile(values, count, q);
      const { lower, upper, value } = await histogram.percentile(buffer, count, q);
      expect(exact, `q = ${q}`).toBeGreaterThanOrEqual(lower);
      expect(exact, `q = ${q}`).toBeLessThan(upper);
      // One bin: at most a quarter octave; the middle within 12.5% of the exact value (or both 0).
      if (lower > 2 ** -126) expect(upper / lower).toBeLessThanOrEqual(1.25);
      if (exact > 2 ** -126) expect(Math.abs(value - exact) / exact).toBeLessThanOrEqual(0.125);
    }
  });

  it('counts every value into the bin its bit pattern names', async () => {
    // A few values at and next to bin edges, where a log2 could round across them.
    const values = Float32Array.of(1, Math.fround(1.25) - 2 ** -22, 1.25, -1.5, 2, -2, 0, -0, 3.999);
    const counts = await histogram.counts(upload(values), values.length);
    const expected = new Uint32Array(BINS);
    for (const v of values) {
      const b = Array.from({ length: BINS }, (__, i) => i).find((i) => Math.abs(v) >= binBounds(i).lower && Math.abs(v) < binBounds(i).upper)!;
      expected[b]++;
    }
    expect(Array.from(counts)).toEqual(Array.from(expected));
  });
});
