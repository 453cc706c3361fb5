import FFT from 'fft.js';

/**
 * 2-D discrete Fourier transform of an n×n complex field (n a power of two),
 * row = y, as separable 1-D transforms by fft.js. Forward: X(p,q) =
 * Σ x(ix,iy) e^{−2πi(p·ix + q·iy)/n}; inverse divides by n² so that
 * inverse(forward(x)) = x.
 */
export class FFT2 {
  private readonly fft: FFT;
  private readonly line: number[];
  private readonly spectrum: number[];

  constructor(readonly n: number) {
    this.fft = new FFT(n);
    this.line = this.fft.createComplexArray();
    this.spectrum = this.fft.createComplexArray();
  }

  /** In place on split re/im arrays of n² values. */
  forward(re: Float64Array, im: Float64Array): void {
    this.pass(re, im, false);
  }

  inverse(re: Float64Array, im: Float64Array): void {
    this.pass(re, im, true);
  }

  private pass(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const { n, line, spectrum, fft } = this;
    // Rows (stride 1), then columns (stride n).
    for (const [count, stride, pitch] of [[n, 1, n], [n, n, 1]] as const) {
      for (let j = 0; j < count; j++) {
        const base = j * pitch;
        for (let k = 0; k < n; k++) {
          line[2 * k] = re[base + k * stride];
          line[2 * k + 1] = im[base + k * stride];
        }
        if (inverse) fft.inverseTransform(spectrum, line);
        else fft.transform(spectrum, line);
        for (let k = 0; k < n; k++) {
          re[base + k * stride] = spectrum[2 * k];
          im[base + k * stride] = spectrum[2 * k + 1];
        }
      }
    }
  }
}

/**
 * The DFT of a stencil laid periodically onto the n×n torus: Σ_m W[m] e^{−ik·mΔx}.
 * The even part of W gives the real part and the odd part the imaginary part:
 * a symmetric stencil has an imaginary part of exactly zero (and σ = 0
 * exactly), not one of rounding noise. Both parts come from one transform
 * of even + i·odd: its result E − o is real (E = FFT(even) is real and even
 * in k, FFT(odd) = i·o with o real and odd in k), so E_k = (Z_k + Z_−k)/2 and
 * o_k = (Z_−k − Z_k)/2. At 4096² each transform takes seconds on the host.
 */
export function stencilSpectrum(
  n: number,
  stencil: { radius: number; size: number; weights: Float64Array },
): { re: Float64Array; im: Float64Array } {
  const even = new Float64Array(n * n);
  const odd = new Float64Array(n * n);
  const r = stencil.radius;
  const weight = (mx: number, my: number) => stencil.weights[(my + r) * stencil.size + (mx + r)];
  let symmetric = true;
  for (let my = -r; my <= r; my++) {
    for (let mx = -r; mx <= r; mx++) {
      const cell = (((my % n) + n) % n) * n + (((mx % n) + n) % n);
      even[cell] += 0.5 * (weight(mx, my) + weight(-mx, -my));
      odd[cell] += 0.5 * (weight(mx, my) - weight(-mx, -my));
      symmetric &&= weight(mx, my) === weight(-mx, -my);
    }
  }
  const fft = new FFT2(n);
  if (symmetric) {
    fft.forward(even, odd);
    return { re: even, im: odd.fill(0) };
  }
  fft.forward(even, odd);
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  for (let q = 0; q < n; q++) {
    const mq = ((n - q) % n) * n;
    for (let p = 0; p < n; p++) {
      const k = q * n + p;
      const mk = mq + ((n - p) % n);
      re[k] = (even[k] + even[mk]) / 2;
      im[k] = (even[mk] - even[k]) / 2;
    }
  }
  return { re, im };
}
