import type { Plane, StencilWeights } from './plane.js';
import { lineTransform, type LineTransform } from './fft-lines.js';

/**
 * 2-D discrete Fourier transform of an nx×ny complex field (rows of nx values,
 * row = y, index iy·nx + ix), as separable 1-D transforms of any length
 * (fft-lines.ts: fft.js for powers of two, ndarray-fft otherwise). Forward:
 * X(p,q) = Σ x(ix,iy) e^{−2πi(p·ix/nx + q·iy/ny)} at index q·nx + p; inverse
 * divides by nx·ny so that inverse(forward(x)) = x. `new FFT2(n)` is the n×n grid.
 */
export class FFT2 {
  readonly ny: number;
  private readonly rows: LineTransform;
  private readonly columns: LineTransform;

  constructor(readonly nx: number, ny?: number) {
    this.ny = ny ?? nx;
    this.rows = lineTransform(nx);
    this.columns = this.ny === nx ? this.rows : lineTransform(this.ny);
  }

  /** In place on split re/im arrays of nx·ny values. */
  forward(re: Float64Array, im: Float64Array): void {
    this.pass(re, im, false);
  }

  inverse(re: Float64Array, im: Float64Array): void {
    this.pass(re, im, true);
  }

  private pass(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const { nx, ny } = this;
    if (re.length !== nx * ny || im.length !== nx * ny) throw new RangeError(`FFT2 ${nx}×${ny} takes ${nx * ny} values (got ${re.length}, ${im.length})`);
    // Rows (values 1 apart, rows nx apart), then columns (values nx apart, columns 1 apart).
    this.rows.lines(re, im, ny, nx, 1, inverse);
    this.columns.lines(re, im, nx, 1, nx, inverse);
  }
}

/**
 * The DFT of a stencil laid periodically onto the nx×ny torus:
 * Σ_m W[m] e^{−i(kx·mx·Δx + ky·my·Δy)} at index q·nx + p.
 * The even part of W gives the real part and the odd part the imaginary part:
 * a symmetric stencil has an imaginary part of exactly zero (and σ = 0
 * exactly), not one of rounding noise. Both parts come from one transform
 * of even + i·odd: its result E − o is real (E = FFT(even) is real and even
 * in k, FFT(odd) = i·o with o real and odd in k), so E_k = (Z_k + Z_−k)/2 and
 * o_k = (Z_−k − Z_k)/2. At 4096² each transform takes seconds on the host.
 */
export function stencilSpectrum(plane: Plane, stencil: StencilWeights): { re: Float64Array; im: Float64Array } {
  const { nx, ny } = plane;
  const even = new Float64Array(nx * ny);
  const odd = new Float64Array(nx * ny);
  const { rx, ry } = stencil;
  const weight = (mx: number, my: number) => stencil.weights[(my + ry) * stencil.sizeX + (mx + rx)];
  let symmetric = true;
  for (let my = -ry; my <= ry; my++) {
    for (let mx = -rx; mx <= rx; mx++) {
      const cell = (((my % ny) + ny) % ny) * nx + (((mx % nx) + nx) % nx);
      even[cell] += 0.5 * (weight(mx, my) + weight(-mx, -my));
      odd[cell] += 0.5 * (weight(mx, my) - weight(-mx, -my));
      symmetric &&= weight(mx, my) === weight(-mx, -my);
    }
  }
  const fft = new FFT2(nx, ny);
  if (symmetric) {
    fft.forward(even, odd);
    return { re: even, im: odd.fill(0) };
  }
  fft.forward(even, odd);
  const re = new Float64Array(nx * ny);
  const im = new Float64Array(nx * ny);
  for (let q = 0; q < ny; q++) {
    const mq = ((ny - q) % ny) * nx;
    for (let p = 0; p < nx; p++) {
      const k = q * nx + p;
      const mk = mq + ((nx - p) % nx);
      re[k] = (even[k] + even[mk]) / 2;
      im[k] = (even[mk] - even[k]) / 2;
    }
  }
  return { re, im };
}
