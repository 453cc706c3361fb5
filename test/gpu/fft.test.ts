import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuFft2 } from '../../src/gpu/passes/fft/fft.js';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';
import { FFT2 } from '../../src/numeric/fft2.js';

let gpu: AcquiredDevice;
beforeAll(async () => {
  gpu = await requestNodeDevice();
});
afterAll(() => gpu?.device.destroy());

/** A reproducible complex test field of R×n×n values (interleaved re, im). */
function field(n: number, replicas: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(2 * replicas * n * n);
  let x = 12345;
  for (let i = 0; i < out.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x / 2 ** 32 - 0.5;
  }
  return out;
}

async function transform(input: Float32Array<ArrayBuffer>, n: number, replicas: number, passes: boolean[], forceGlobal = false): Promise<Float32Array> {
  const { device } = gpu;
  const buffer = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  const read = device.createBuffer({ size: input.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const fft = await GpuFft2.create(device, n, replicas, buffer, { forceGlobal });
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
    return new Float32Array(read.getMappedRange().slice(0));
  } finally {
    fft.destroy();
    buffer.destroy();
    read.destroy();
  }
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, scale = 1): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] * scale - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}

describe('GPU FFT', () => {
  it.each([
    [16, 2, false],
    [64, 1, false],
    [64, 2, true],
    [256, 1, true],
  ])('%i² × %i replicas (global stages: %s): forward equals the CPU FFT (fft.js, float64)', async (n, replicas, forceGlobal) => {
    const input = field(n, replicas);
    const out = await transform(input, n, replicas, [false], forceGlobal);
    const N = n * n;
    const expected = new Float64Array(2 * replicas * N);
    const cpu = new FFT2(n);
    for (let r = 0; r < replicas; r++) {
      const re = Float64Array.from({ length: N }, (_, i) => input[2 * (r * N + i)]);
      const im = Float64Array.from({ length: N }, (_, i) => input[2 * (r * N + i) + 1]);
      cpu.forward(re, im);
      for (let i = 0; i < N; i++) [expected[2 * (r * N + i)], expected[2 * (r * N + i) + 1]] = [re[i], im[i]];
    }
    expect(relativeError(out, expected)).toBeLessThan(1e-6);
  });

  it('1024²: forward then inverse returns the field to 1e-5 relative', async () => {
    const n = 1024;
    const input = field(n, 1);
    const out = await transform(input, n, 1, [false, true]);
    expect(relativeError(out, input, 1 / (n * n))).toBeLessThan(1e-5);
  });
});
