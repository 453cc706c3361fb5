/**
 * The discrete Fourier transform summed directly, O(n²) per line, in float64:
 * the reference the FFTs are checked against, independent of any FFT code.
 * Each phase index p·x is reduced mod n before its cosine and sine are taken,
 * so the twiddles are exact to one rounding whatever the length.
 */
export function directDft(re: ArrayLike<number>, im: ArrayLike<number>, inverse = false): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const cos = Float64Array.from({ length: n }, (_, m) => Math.cos((2 * Math.PI * m) / n));
  const sin = Float64Array.from({ length: n }, (_, m) => (inverse ? -1 : 1) * Math.sin((2 * Math.PI * m) / n));
  const out = { re: new Float64Array(n), im: new Float64Array(n) };
  for (let p = 0; p < n; p++) {
    let sr = 0;
    let si = 0;
    for (let x = 0; x < n; x++) {
      const m = (p * x) % n;
      // (a + ib)(cos − i·sin): the forward kernel e^{−2πi·px/n}.
      sr += re[x] * cos[m] + im[x] * sin[m];
      si += im[x] * cos[m] - re[x] * sin[m];
    }
    out.re[p] = sr;
    out.im[p] = si;
  }
  return out;
}

/**
 * The unnormalised 2-D DFT of nx×ny values (index iy·nx + ix) by direct sums:
 * every row, then every column (the 2-D sum is separable, so this is the
 * double sum term by term, not an FFT).
 */
export function directDft2(re: ArrayLike<number>, im: ArrayLike<number>, nx: number, ny: number, inverse = false): { re: Float64Array; im: Float64Array } {
  const out = { re: Float64Array.from(re), im: Float64Array.from(im) };
  const line = (count: number, length: number, at: (j: number, k: number) => number) => {
    for (let j = 0; j < count; j++) {
      const r = Float64Array.from({ length }, (_, k) => out.re[at(j, k)]);
      const i = Float64Array.from({ length }, (_, k) => out.im[at(j, k)]);
      const t = directDft(r, i, inverse);
      for (let k = 0; k < length; k++) [out.re[at(j, k)], out.im[at(j, k)]] = [t.re[k], t.im[k]];
    }
  };
  line(ny, nx, (j, k) => j * nx + k);
  line(nx, ny, (j, k) => k * nx + j);
  return out;
}

/** ‖a − b‖/‖b‖ over both parts. */
export function relativeError(a: { re: ArrayLike<number>; im: ArrayLike<number> }, b: { re: ArrayLike<number>; im: ArrayLike<number> }): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.re.length; i++) {
    num += (a.re[i] - b.re[i]) ** 2 + (a.im[i] - b.im[i]) ** 2;
    den += b.re[i] ** 2 + b.im[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/** Reproducible values in [−0.5, 0.5) (an LCG), so failures repeat. */
export function testValues(count: number, seed = 12345): Float64Array {
  const out = new Float64Array(count);
  let x = seed >>> 0;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x / 2 ** 32 - 0.5;
  }
  return out;
}
