import { describe, expect, it } from 'vitest';
import { FFT2, stencilSpectrum } from '../../src/numeric/fft2.js';
import { makeStencil } from '../../src/model/stencil.js';

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
    const { re, im } = stencilSpectrum(n, s);
    const p = 1, q = 2;
    const k = (a: number, b: number) => (-2 * Math.PI * (p * a + q * b)) / n;
    expect(re[q * n + p]).toBeCloseTo(2 * Math.cos(k(1, 0)) + 0.5 * Math.cos(k(-1, -1)), 12);
    expect(im[q * n + p]).toBeCloseTo(2 * Math.sin(k(1, 0)) + 0.5 * Math.sin(k(-1, -1)), 12);
  });
});
