import { describe, expect, it } from 'vitest';
import { GpuFft2 } from '../../src/gpu/passes/fft/fft.js';
import type { LinePlan } from '../../src/gpu/passes/fft/plan.js';
import { useGpuDevice } from './device-fixture.js';
import { FFT2 } from '../../src/numeric/fft2.js';
import { directDft2, relativeError, testValues } from '../numeric/direct-dft.js';

const gpu = useGpuDevice();

/** A reproducible complex test field of R×ny×nx values (interleaved re, im), float32 like the GPU's. */
function field(values: number, seed = 12345): Float32Array<ArrayBuffer> {
  return Float32Array.from(testValues(2 * values, seed));
}

async function transform(
  input: Float32Array<ArrayBuffer>, size: number | [number, number], replicas: number, passes: boolean[], forceGlobal = false,
): Promise<{ out: Float32Array; plans: GpuFft2['plans'] }> {
  const { device } = gpu;
  const buffer = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const read = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const fft = await GpuFft2.create(device, size, replicas, buffer, { forceGlobal });
  try {
    device.queue.writeBuffer(buffer, 0, input);
    device.pushErrorScope('validation');
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    for (const inverse of passes) fft.encode(pass, inverse);
    pass.end();
    encoder.copyBufferToBuffer(buffer, 0, read, 0, input.byteLength);
    device.queue.submit([encoder.finish()]);
    expect(await device.popErrorScope()).toBeNull();
    await read.mapAsync(GPUMapMode.READ);
    return { out: new Float32Array(read.getMappedRange().slice(0)), plans: fft.plans };
  } finally {
    fft.destroy();
    buffer.destroy();
    read.destroy();
  }
}

/** Replica r of an interleaved buffer, split into float64 re and im. */
function replica(values: ArrayLike<number>, r: number, cells: number): { re: Float64Array; im: Float64Array } {
  return {
    re: Float64Array.from({ length: cells }, (_, i) => values[2 * (r * cells + i)]),
    im: Float64Array.from({ length: cells }, (_, i) => values[2 * (r * cells + i) + 1]),
  };
}

function relativeInterleaved(a: ArrayLike<number>, b: ArrayLike<number>, scale = 1): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] * scale - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

describe('GPU FFT, square powers of two', () => {
  it.each([
    [16, 2, false],
    [64, 1, false],
    [64, 2, true],
    [256, 1, true],
  ])('%i² × %i replicas (global stages: %s): forward equals the CPU FFT (fft.js, float64)', async (n, replicas, forceGlobal) => {
    const input = field(replicas * n * n);
    const { out, plans } = await transform(input, n, replicas, [false], forceGlobal);
    expect(plans.rows.kind).toBe(forceGlobal ? 'stages' : 'radix2-shared');
    const N = n * n;
    const expected = new Float64Array(2 * replicas * N);
    const cpu = new FFT2(n);
    for (let r = 0; r < replicas; r++) {
      const { re, im } = replica(input, r, N);
      cpu.forward(re, im);
      for (let i = 0; i < N; i++) [expected[2 * (r * N + i)], expected[2 * (r * N + i) + 1]] = [re[i], im[i]];
    }
    expect(relativeInterleaved(out, expected)).toBeLessThan(1e-6);
  });

  it('1024²: forward then inverse returns the field to 1e-5 relative', async () => {
    const n = 1024;
    const input = field(n * n);
    const { out } = await transform(input, n, 1, [false, true]);
    expect(relativeInterleaved(out, input, 1 / (n * n))).toBeLessThan(1e-5);
  });
});

type Kind = LinePlan['kind'];

/**
 * Any lengths, rows and columns of different lengths, forward and inverse
 * (unnormalised, e^{+}), each replica against a float64 reference: the direct
 * 2-D DFT (test/numeric/direct-dft.ts) where both lengths are small, else the
 * CPU FFT (FFT2: ndarray-fft for these lengths, itself checked against the
 * direct DFT in test/numeric/fft2.test.ts). Each case names the path its rows
 * and its columns must take (plan.ts), so every path is exercised:
 * mixed-radix Stockham stages in workgroup memory and in global dispatches,
 * Bluestein over a shared and over a staged power of two, and length 1.
 */
describe('GPU FFT, any lengths (nx × ny)', () => {
  const cases: [number, number, number, Kind, Kind, boolean][] = [
    [12, 20, 2, 'mixed-shared', 'mixed-shared', false],
    [20, 12, 1, 'stages', 'stages', true],
    [13, 12, 2, 'bluestein', 'mixed-shared', false],
    [13, 127, 1, 'bluestein', 'bluestein', true],
    [100, 8, 1, 'mixed-shared', 'radix2-shared', false],
    [127, 4, 2, 'bluestein', 'radix2-shared', false],
    [1000, 4, 1, 'mixed-shared', 'radix2-shared', false],
    [3000, 4, 1, 'stages', 'radix2-shared', false],
    [4, 3000, 1, 'radix2-shared', 'stages', false],
    [4099, 2, 1, 'bluestein', 'radix2-shared', false],
    [64, 1, 2, 'radix2-shared', 'identity', false],
    // Rings: one row, its columns of length 1 untouched.
    [67, 1, 2, 'bluestein', 'identity', false],
    [60, 1, 1, 'stages', 'identity', true],
    [7, 5, 1, 'mixed-shared', 'mixed-shared', false],
    [2, 3, 3, 'radix2-shared', 'mixed-shared', false],
  ];

  it.each(cases)('%i × %i × %i replicas (rows: %s, columns: %s, forced global: %s): forward and inverse to 1e-5', async (nx, ny, replicas, rows, columns, forceGlobal) => {
    const cells = nx * ny;
    const input = field(replicas * cells, nx * 1000 + ny);
    for (const inverse of [false, true]) {
      const { out, plans } = await transform(input, [nx, ny], replicas, [inverse], forceGlobal);
      expect([plans.rows.kind, plans.columns.kind]).toEqual([rows, columns]);
      for (let r = 0; r < replicas; r++) {
        const x = replica(input, r, cells);
        let expected: { re: Float64Array; im: Float64Array };
        if (Math.max(nx, ny) <= 200) {
          expected = directDft2(x.re, x.im, nx, ny, inverse);
        } else {
          const cpu = new FFT2(nx, ny);
          if (inverse) {
            cpu.inverse(x.re, x.im);
            for (let i = 0; i < cells; i++) [x.re[i], x.im[i]] = [x.re[i] * cells, x.im[i] * cells];
          } else {
            cpu.forward(x.re, x.im);
          }
          expected = x;
        }
        expect(relativeError(replica(out, r, cells), expected), `${inverse ? 'inverse' : 'forward'}, replica ${r}`).toBeLessThan(1e-5);
      }
    }
  });
});
