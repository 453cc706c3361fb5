import FFT from 'fft.js';
import fftMatrix from 'ndarray-fft/lib/fft-matrix.js';

/** The library that transforms lines of a given length. */
export type LineLibrary = 'fft.js' | 'ndarray-fft';

/**
 * 1-D discrete Fourier transforms of many lines of one length n, in place on
 * split re/im arrays (float64): line j of `count` starts at j·pitch and its
 * values lie `stride` apart. Forward Σ x e^{−2πi·kx/n}; inverse divides by n.
 *
 * Two libraries, by length. Powers of two go to fft.js (radix-4, its twiddles
 * taken from Math.cos/sin per index: 2e-15 relative at 4096). Every other
 * length goes to ndarray-fft (radix-2 below a Bluestein chirp-z convolution of
 * a power-of-two length ≥ 2n + 1): its twiddles come from a half-angle
 * recurrence, so its error grows with that padded length (measured against a
 * direct DFT: 1e-15 at 12, 1e-14 at 127, 2e-12 at 1000, 2e-11 at 3000), and
 * it is 3× slower than fft.js on powers of two, which is why they stay on fft.js.
 */
export interface LineTransform {
  readonly n: number;
  readonly library: LineLibrary;
  lines(re: Float64Array, im: Float64Array, count: number, pitch: number, stride: number, inverse: boolean): void;
}

export function lineTransform(n: number): LineTransform {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`an FFT length is a positive integer (got ${n})`);
  return (n & (n - 1)) === 0 ? new PowerOfTwoLines(n) : new AnyLengthLines(n);
}

/** fft.js, one line at a time through an interleaved copy (its transform is out of place). */
class PowerOfTwoLines implements LineTransform {
  readonly library = 'fft.js';
  private readonly fft: FFT | undefined;
  private readonly line: number[];
  private readonly spectrum: number[];

  constructor(readonly n: number) {
    // fft.js refuses n = 1, whose transform is the identity.
    this.fft = n > 1 ? new FFT(n) : undefined;
    this.line = new Array<number>(2 * n).fill(0);
    this.spectrum = new Array<number>(2 * n).fill(0);
  }

  lines(re: Float64Array, im: Float64Array, count: number, pitch: number, stride: number, inverse: boolean): void {
    const { n, line, spectrum, fft } = this;
    if (!fft) return;
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

/** Lines gathered into one buffer per call: ndarray-fft rebuilds its chirp on every call, so calls take many lines. */
const BATCH_VALUES = 1 << 16;

/**
 * ndarray-fft's row transform (lib/fft-matrix.js: contiguous rows of one
 * buffer, real parts then imaginary parts then scratch). Its direction −1 is
 * e^{−} divided by n and +1 is e^{+} unscaled, so both of ours go through
 * conjugates, which are exact: forward = conj(T₊(conj x)), inverse =
 * conj(T₋(conj x)).
 */
class AnyLengthLines implements LineTransform {
  readonly library = 'ndarray-fft';
  private readonly batch: number;
  private readonly buffer: Float64Array;

  constructor(readonly n: number) {
    this.batch = Math.max(1, Math.floor(BATCH_VALUES / n));
    this.buffer = new Float64Array(2 * n * this.batch + fftMatrix.scratchMemory(n));
  }

  lines(re: Float64Array, im: Float64Array, count: number, pitch: number, stride: number, inverse: boolean): void {
    const { n, buffer } = this;
    for (let first = 0; first < count; first += this.batch) {
      const rows = Math.min(this.batch, count - first);
      const imAt = n * rows;
      for (let r = 0; r < rows; r++) {
        const base = (first + r) * pitch;
        for (let k = 0; k < n; k++) {
          buffer[r * n + k] = re[base + k * stride];
          buffer[imAt + r * n + k] = -im[base + k * stride];
        }
      }
      fftMatrix(inverse ? -1 : 1, rows, n, buffer, 0, imAt, 2 * imAt);
      for (let r = 0; r < rows; r++) {
        const base = (first + r) * pitch;
        for (let k = 0; k < n; k++) {
          re[base + k * stride] = buffer[r * n + k];
          im[base + k * stride] = -buffer[imAt + r * n + k];
        }
      }
    }
  }
}
