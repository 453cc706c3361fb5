import { lineTransform } from '../../../numeric/fft-lines.js';

/**
 * The FFT's complex tables (interleaved re, im as float32), computed on the
 * host in float64: WGSL's sin and cos are good to 2⁻¹¹ only. Every angle is
 * reduced with exact integer arithmetic before its sine and cosine are taken.
 */

/** tw[m] = e^{−2πi·m/n}, m < n: every Stockham stage's twiddles, and fft_shared's (m < n/2). */
export function twiddles(n: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(2 * n);
  for (let m = 0; m < n; m++) {
    out[2 * m] = Math.cos((2 * Math.PI * m) / n);
    out[2 * m + 1] = -Math.sin((2 * Math.PI * m) / n);
  }
  return out;
}

/** e^{iπ·j²/n}·sign: periodic in j² with period 2n, so j² is reduced mod 2n (exact: j² < 2⁵³). */
function chirpAngle(j: number, n: number): number {
  return (Math.PI * ((j * j) % (2 * n))) / n;
}

/**
 * Bluestein's chirp w[j] = e^{−iπ·j²/n}, j < n. With jk = (j² + k² − (k − j)²)/2,
 * X[k] = Σ_j x[j] e^{−2πi·jk/n} = w[k] · Σ_j (x[j] w[j]) · conj(w[k − j]):
 * the input is multiplied by w, convolved with conj(w), multiplied by w again.
 */
export function chirp(n: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(2 * n);
  for (let j = 0; j < n; j++) {
    out[2 * j] = Math.cos(chirpAngle(j, n));
    out[2 * j + 1] = -Math.sin(chirpAngle(j, n));
  }
  return out;
}

/**
 * The spectrum of Bluestein's convolution kernel: b[j] = conj(w[|j|]) for
 * |j| < n laid onto a cycle of `padded` ≥ 2n − 1 points (negative j at
 * padded − |j|, zeros between), transformed in float64 (fft.js: padded is a
 * power of two) and divided by `padded`, which the GPU's unnormalised inverse
 * transform leaves out.
 */
export function chirpKernelSpectrum(n: number, padded: number): Float32Array<ArrayBuffer> {
  if (padded < 2 * n - 1) throw new RangeError(`Bluestein's convolution of ${n} values needs ≥ ${2 * n - 1} points (got ${padded})`);
  const re = new Float64Array(padded);
  const im = new Float64Array(padded);
  for (let j = 0; j < n; j++) {
    re[j] = Math.cos(chirpAngle(j, n));
    im[j] = Math.sin(chirpAngle(j, n));
    if (j > 0) [re[padded - j], im[padded - j]] = [re[j], im[j]];
  }
  lineTransform(padded).lines(re, im, 1, padded, 1, false);
  const out = new Float32Array(2 * padded);
  for (let k = 0; k < padded; k++) {
    out[2 * k] = re[k] / padded;
    out[2 * k + 1] = im[k] / padded;
  }
  return out;
}
