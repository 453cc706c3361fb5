import { describe, expect, it } from 'vitest';
import { GpuFft2 } from '../../src/gpu/passes/fft/fft.js';
import { packRadices, planLine, smoothRadices } from '../../src/gpu/passes/fft/plan.js';
import { chirp, chirpKernelSpectrum, twiddles } from '../../src/gpu/passes/fft/tables.js';
import { lineTransform } from '../../src/numeric/fft-lines.js';
import { directDft, relativeError, testValues } from '../numeric/direct-dft.js';
import { mockDevice } from './mock-device.js';

/** The GPU FFT's plans and host tables, with no GPU. */
describe('GPU FFT plans', () => {
  it.each([
    [1, { kind: 'identity', n: 1 }],
    [4, { kind: 'radix2-shared', n: 4, log2n: 2 }],
    [2048, { kind: 'radix2-shared', n: 2048, log2n: 11 }],
    [4096, { kind: 'stages', n: 4096, radices: [4, 4, 4, 4, 4, 4] }],
    [8192, { kind: 'stages', n: 8192, radices: [4, 4, 4, 4, 4, 4, 2, 1] }],
    [12, { kind: 'mixed-shared', n: 12, radices: [4, 3] }],
    [20, { kind: 'mixed-shared', n: 20, radices: [4, 5] }],
    [100, { kind: 'mixed-shared', n: 100, radices: [4, 5, 5] }],
    [1000, { kind: 'mixed-shared', n: 1000, radices: [4, 2, 5, 5, 5] }],
    [1024 - 16, { kind: 'mixed-shared', n: 1008, radices: [4, 4, 3, 3, 7] }],
    [1050, { kind: 'stages', n: 1050, radices: [2, 3, 5, 5, 7, 1] }],
    [2016, { kind: 'stages', n: 2016, radices: [4, 4, 2, 3, 3, 7] }],
    [3000, { kind: 'stages', n: 3000, radices: [4, 2, 3, 5, 5, 5] }],
    [3087, { kind: 'stages', n: 3087, radices: [3, 3, 7, 7, 7, 1] }],
    [13, { kind: 'bluestein', n: 13, padded: 32, inner: { kind: 'radix2-shared', n: 32, log2n: 5 } }],
    [127, { kind: 'bluestein', n: 127, padded: 256, inner: { kind: 'radix2-shared', n: 256, log2n: 8 } }],
    [1024 + 1, { kind: 'bluestein', n: 1025, padded: 4096, inner: { kind: 'stages', n: 4096, radices: [4, 4, 4, 4, 4, 4] } }],
  ])('length %i', (n, plan) => {
    expect(planLine(n)).toEqual(plan);
  });

  it('forceGlobal sends every length that would stay in workgroup memory to the stages', () => {
    expect(planLine(12, { forceGlobal: true })).toEqual({ kind: 'stages', n: 12, radices: [4, 3] });
    expect(planLine(64, { forceGlobal: true })).toEqual({ kind: 'stages', n: 64, radices: [4, 4, 4, 1] });
    expect(planLine(13, { forceGlobal: true })).toEqual({ kind: 'bluestein', n: 13, padded: 32, inner: { kind: 'stages', n: 32, radices: [4, 4, 2, 1] } });
  });

  it('radices multiply to the length; a prime factor above 7 has none', () => {
    for (let n = 2; n <= 5000; n++) {
      const radices = smoothRadices(n);
      let m = n;
      for (const p of [2, 3, 5, 7]) while (m % p === 0) m /= p;
      expect(radices === undefined, `${n}`).toBe(m !== 1);
      if (radices) expect(radices.reduce((a, b) => a * b, 1)).toBe(n);
    }
  });

  it('packs radices 4 bits each, first stage lowest', () => {
    expect(packRadices([4, 2, 5])).toBe(4 + 2 * 16 + 5 * 256);
    expect(() => packRadices(Array(9).fill(2))).toThrow(/9 stages/);
  });

  it('refuses a length that is not a positive integer', () => {
    expect(() => planLine(0)).toThrow(/positive integer/);
    expect(() => planLine(12.5)).toThrow(/positive integer/);
  });
});

describe('GPU FFT tables (float64 on the host, float32 uploaded)', () => {
  it('twiddles are e^{−2πi·m/n} and the chirp e^{−iπ·j²/n}, rounded once to float32', () => {
    const n = 1000;
    const tw = twiddles(n);
    const w = chirp(n);
    for (const m of [0, 1, 250, 333, 999]) {
      expect(tw[2 * m]).toBe(Math.fround(Math.cos((2 * Math.PI * m) / n)));
      expect(tw[2 * m + 1]).toBe(Math.fround(-Math.sin((2 * Math.PI * m) / n)));
      // j² reduced mod 2n: the angle of j = 999 is π·(998001 mod 2000)/1000.
      expect(w[2 * m]).toBeCloseTo(Math.cos((Math.PI * m * m) / n), 6);
      expect(w[2 * m + 1]).toBeCloseTo(-Math.sin((Math.PI * m * m) / n), 6);
    }
  });

  // Bluestein holds for any length (1000 is planned as mixed radix, but the algebra is the same).
  it.each([13, 127, 1000])('Bluestein from the uploaded tables equals the direct DFT of length %i to float32 accuracy', (n) => {
    // The GPU's steps, in float64 on the host, with the float32 tables it uploads.
    const padded = 2 ** Math.ceil(Math.log2(2 * n - 1));
    const w = chirp(n);
    const kernel = chirpKernelSpectrum(n, padded);
    const x = { re: testValues(n, 5), im: testValues(n, 6) };
    const re = new Float64Array(padded);
    const im = new Float64Array(padded);
    for (let j = 0; j < n; j++) {
      re[j] = x.re[j] * w[2 * j] - x.im[j] * w[2 * j + 1];
      im[j] = x.re[j] * w[2 * j + 1] + x.im[j] * w[2 * j];
    }
    const fft = lineTransform(padded);
    fft.lines(re, im, 1, padded, 1, false);
    for (let k = 0; k < padded; k++) {
      [re[k], im[k]] = [re[k] * kernel[2 * k] - im[k] * kernel[2 * k + 1], re[k] * kernel[2 * k + 1] + im[k] * kernel[2 * k]];
    }
    // The GPU's inverse is unnormalised (the kernel carries 1/padded); the library's divides by padded.
    fft.lines(re, im, 1, padded, 1, true);
    const got = { re: new Float64Array(n), im: new Float64Array(n) };
    for (let k = 0; k < n; k++) {
      const [a, b] = [re[k] * padded, im[k] * padded];
      got.re[k] = a * w[2 * k] - b * w[2 * k + 1];
      got.im[k] = a * w[2 * k + 1] + b * w[2 * k];
    }
    expect(relativeError(got, directDft(x.re, x.im))).toBeLessThan(1e-6);
  });
});

describe('GPU FFT buffers beside the data', () => {
  it('none for lines in workgroup memory; the data\'s size for staged lines; padded lines for Bluestein', () => {
    expect(GpuFft2.scratchBytes(1024, 2)).toBe(0);
    expect(GpuFft2.scratchBytes([12, 20], 1)).toBe(0);
    expect(GpuFft2.scratchBytes([3000, 4], 2)).toBe(8 * 3000 * 4 * 2);
    // Rows of 13 padded to 32 (4 rows × 2 replicas).
    expect(GpuFft2.scratchBytes([13, 4], 2)).toBe(8 * 32 * 4 * 2);
    // Rows of 13 padded to 32 (127 rows), columns of 127 padded to 256 (13 columns): one work buffer, the larger.
    expect(GpuFft2.scratchBytes([13, 127], 2)).toBe(Math.max(8 * 32 * 127 * 2, 8 * 256 * 13 * 2));
    // 4099 pads to 16384, which runs in stages: a work buffer and its scratch.
    expect(GpuFft2.scratchBytes([4099, 2], 1)).toBe(2 * 8 * 16384 * 2);
    // A ring of 67: one row padded to 256; its columns of length 1 need nothing.
    expect(GpuFft2.scratchBuffers([67, 1], 2)).toEqual({ scratch: 0, work: 8 * 256 * 1 * 2, workScratch: 0 });
  });

  it('a ring\'s one row of 262144 values transforms (no lines along y); a column of more than 65535 lines is refused', async () => {
    const { device } = mockDevice();
    const ring = await GpuFft2.create(device, [262144, 1], 2, device.createBuffer({ size: 8 * 262144 * 2, usage: GPUBufferUsage.STORAGE }));
    expect([ring.plans.rows.kind, ring.plans.columns.kind]).toEqual(['stages', 'identity']);
    ring.destroy();
    await expect(GpuFft2.create(device, [70000, 2], 1, device.createBuffer({ size: 8 * 140000, usage: GPUBufferUsage.STORAGE }))).rejects.toThrow(
      /GPU FFT: 70000×2 × 1 replicas needs more than 65535 workgroups along one dispatch dimension/,
    );
  });

  it('refuses, before allocating, a work buffer larger than the device binds', async () => {
    const { device } = mockDevice();
    const n = 3001;
    const data = device.createBuffer({ size: 8 * n * n, usage: GPUBufferUsage.STORAGE });
    // 3001 pads to 8192: 8 B × 8192 × 3001 lines = 188 MiB > the mock's 128 MiB.
    await expect(GpuFft2.create(device, n, 1, data)).rejects.toThrow(
      /GPU FFT of 3001×3001 × 1 replicas: Bluestein's work buffer needs 188 MiB, more than this device binds \(128 MiB\)/,
    );
  });
});
