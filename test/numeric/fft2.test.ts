import { describe, expect, it } from 'vitest';
import { FFT2, stencilSpectrum } from '../../src/numeric/fft2.js';
import { makeStencil } from '../../src/model/stencil.js';
import { lineTransform } from '../../src/numeric/fft-lines.js';
import { directDft, directDft2, relativeError, testValues } from './direct-dft.js';

describe('FFT2', () => {
  it('equals the direct 2-D DFT and inverts to the input', () => {
    const n = 8;
    const re = Float64Array.from({ length: n * n }, (_, i) => Math.sin(i * 1.3) + (i % 5));
    const im = Float64Array.from({ length: n * n }, (_, i) => Math.cos(i * 0.7));
    const fr = re.slice();
    const fi = im.slice();
    const fft = new FFT2(n);
    fft.forward(fr, fi);
    for (const [p, q] of [[0, 0], [1, 0], [3, 5], [7, 7]]) {
      let sr = 0, si = 0;
      for (let iy = 0; iy < n; iy++) for (let ix = 0; ix < n; ix++) {
        const phase = (-2 * Math.PI * (p * ix + q * iy)) / n;
        const [a, b] = [re[iy * n + ix], im[iy * n + ix]];
        sr += a * Math.cos(phase) - b * Math.sin(phase);
        si += a * Math.sin(phase) + b * Math.cos(phase);
      }
      expect(fr[q * n + p]).toBeCloseTo(sr, 10);
      expect(fi[q * n + p]).toBeCloseTo(si, 10);
    }
    fft.inverse(fr, fi);
    for (let i = 0; i < n * n; i++) {
      expect(fr[i]).toBeCloseTo(re[i], 12);
      expect(fi[i]).toBeCloseTo(im[i], 12);
    }
  });

  it('gives a stencil spectrum Σ_m W[m] e^{−ik·m} with negative offsets wrapped', () => {
    const n = 8;
    const s = makeStencil(1, (mx, my) => (mx === 1 && my === 0 ? 2 : mx === -1 && my === -1 ? 0.5 : 0));
    const { re, im } = stencilSpectrum({ nx: n, ny: n }, s);
    const p = 1, q = 2;
    const k = (a: number, b: number) => (-2 * Math.PI * (p * a + q * b)) / n;
    expect(re[q * n + p]).toBeCloseTo(2 * Math.cos(k(1, 0)) + 0.5 * Math.cos(k(-1, -1)), 12);
    expect(im[q * n + p]).toBeCloseTo(2 * Math.sin(k(1, 0)) + 0.5 * Math.sin(k(-1, -1)), 12);
  });
});

/**
 * The libraries against the direct DFT, line lengths the GPU FFT test takes
 * its references from. Tolerances are what each library reaches: fft.js and
 * ndarray-fft up to a few hundred stay near 1e-14; ndarray-fft's radix-2
 * twiddles come from a recurrence whose error grows with its padded length
 * (2e-12 measured at 1000, 2.4e-11 at 3000).
 */
describe('lineTransform: any length against the direct DFT (float64)', () => {
  it.each([
    [4, 'fft.js', 1e-15],
    [12, 'ndarray-fft', 1e-14],
    [13, 'ndarray-fft', 1e-14],
    [20, 'ndarray-fft', 1e-14],
    [100, 'ndarray-fft', 1e-13],
    [127, 'ndarray-fft', 1e-13],
    [1000, 'ndarray-fft', 1e-11],
    [3000, 'ndarray-fft', 1e-10],
    [4096, 'fft.js', 1e-14],
  ] as const)('length %i (%s): forward and inverse to %d relative', (n, library, tolerance) => {
    const fft = lineTransform(n);
    expect(fft.library).toBe(library);
    // Three lines 2n apart with values 2 apart: the strides are exercised too.
    const count = 3;
    const re = testValues(2 * n * count, 1);
    const im = testValues(2 * n * count, 2);
    const [outRe, outIm] = [re.slice(), im.slice()];
    fft.lines(outRe, outIm, count, 2 * n, 2, false);
    for (let j = 0; j < count; j++) {
      const at = (k: number) => 2 * n * j + 2 * k;
      const line = { re: Float64Array.from({ length: n }, (_, k) => re[at(k)]), im: Float64Array.from({ length: n }, (_, k) => im[at(k)]) };
      const got = { re: Float64Array.from({ length: n }, (_, k) => outRe[at(k)]), im: Float64Array.from({ length: n }, (_, k) => outIm[at(k)]) };
      expect(relativeError(got, directDft(line.re, line.im))).toBeLessThan(tolerance);
    }
    // The values between the strided ones are untouched.
    expect(outRe[1]).toBe(re[1]);
    expect(outIm[2 * n + 1]).toBe(im[2 * n + 1]);
    // Inverse: the direct sum with e^{+}, divided by n.
    const [backRe, backIm] = [re.slice(0, n), im.slice(0, n)];
    fft.lines(backRe, backIm, 1, n, 1, true);
    const expected = directDft(re.slice(0, n), im.slice(0, n), true);
    expect(relativeError({ re: backRe.map((v) => v * n), im: backIm.map((v) => v * n) }, expected)).toBeLessThan(tolerance);
  });

  it('length 1 is the identity', () => {
    const [re, im] = [Float64Array.of(0.25, 7), Float64Array.of(-0.5, 9)];
    lineTransform(1).lines(re, im, 1, 2, 1, false);
    expect([...re, ...im]).toEqual([0.25, 7, -0.5, 9]);
  });
});

describe('FFT2 on rectangles', () => {
  it.each([
    [12, 20],
    [13, 8],
    [16, 5],
  ])('%i × %i: equals the direct 2-D DFT, and inverse(forward(x)) = x', (nx, ny) => {
    const re = testValues(nx * ny, 3);
    const im = testValues(nx * ny, 4);
    const fft = new FFT2(nx, ny);
    const got = { re: re.slice(), im: im.slice() };
    fft.forward(got.re, got.im);
    expect(relativeError(got, directDft2(re, im, nx, ny))).toBeLessThan(1e-14);
    fft.inverse(got.re, got.im);
    expect(relativeError(got, { re, im })).toBeLessThan(1e-14);
  });

  it('refuses arrays of the wrong size', () => {
    expect(() => new FFT2(12, 20).forward(new Float64Array(144), new Float64Array(144))).toThrow(/FFT2 12×20 takes 240 values/);
  });
});
