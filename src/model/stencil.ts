/**
 * A square stencil of weights W[mx, my], |mx|, |my| ≤ radius, stored row-major
 * from (−radius, −radius): weights[(my + radius) * size + (mx + radius)].
 */
export interface Stencil {
  readonly radius: number;
  readonly size: number;
  readonly weights: Float64Array;
}

export function makeStencil(radius: number, weight: (mx: number, my: number) => number): Stencil {
  const size = 2 * radius + 1;
  const weights = new Float64Array(size * size);
  for (let my = -radius; my <= radius; my++) {
    for (let mx = -radius; mx <= radius; mx++) {
      weights[(my + radius) * size + (mx + radius)] = weight(mx, my);
    }
  }
  return { radius, size, weights };
}

export function stencilSum(s: Stencil): number {
  let total = 0;
  for (const w of s.weights) total += w;
  return total;
}

/**
 * Periodic convolution (K v)_i = Σ_m W[m] v_{i−m} on an n×n torus (docs/model.md §2).
 * The input is first copied into a buffer padded by the stencil radius on every
 * side, so the inner loops run over contiguous memory with no modulo.
 */
export class PeriodicConvolver {
  private readonly padded: Float64Array;
  private readonly pitch: number;
  /** flipped[(dy + r) * size + (dx + r)] = W[−dx, −dy]: the convolution read as a correlation. */
  private readonly flipped: Float64Array;

  constructor(readonly n: number, readonly stencil: Stencil) {
    if (n % 4 !== 0) throw new Error(`grid of ${n} cells per side: the convolver needs a multiple of 4`);
    if (stencil.size > n) {
      throw new Error(`stencil of ${stencil.size}×${stencil.size} cells does not fit a ${n}×${n} grid`);
    }
    this.pitch = n + 2 * stencil.radius;
    this.padded = new Float64Array(this.pitch * this.pitch);
    this.flipped = stencil.weights.slice().reverse();
  }

  /** out = K v. out and v must be distinct arrays of n² values (row = y). */
  apply(v: Float64Array, out: Float64Array, vOffset = 0, outOffset = 0): void {
    const { n, pitch, padded, flipped } = this;
    const r = this.stencil.radius;
    const size = this.stencil.size;
    for (let py = 0; py < pitch; py++) {
      const y = (py - r + n) % n;
      const src = vOffset + y * n;
      const dst = py * pitch;
      for (let px = 0; px < pitch; px++) padded[dst + px] = v[src + ((px - r + n) % n)];
    }
    // Four outputs of a row at a time, held in registers, with the four inputs
    // under the stencil row sliding along: n is a power of two ≥ 4.
    for (let y = 0; y < n; y++) {
      const o = outOffset + y * n;
      for (let x = 0; x < n; x += 4) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        let k = 0;
        for (let dy = 0; dy < size; dy++) {
          const b = (y + dy) * pitch + x;
          let p0 = padded[b], p1 = padded[b + 1], p2 = padded[b + 2];
          for (let dx = 0; dx < size; dx++) {
            const p3 = padded[b + dx + 3];
            const w = flipped[k++];
            a0 += w * p0; a1 += w * p1; a2 += w * p2; a3 += w * p3;
            p0 = p1; p1 = p2; p2 = p3;
          }
        }
        out[o + x] = a0; out[o + x + 1] = a1; out[o + x + 2] = a2; out[o + x + 3] = a3;
      }
    }
  }
}

/**
 * The dense circulant of a stencil on the n×n torus, row-major N×N (N = n²):
 * (S v)_i = Σ_m W[m] v_{i−m}, the matrix the periodic convolution applies.
 * For the dense theory (src/theory/dense.ts) and dense Newton steps.
 */
export function circulantArray(n: number, s: Stencil): Float64Array {
  const N = n * n;
  const m = new Float64Array(N * N);
  const r = s.radius;
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const i = iy * n + ix;
      for (let my = -r; my <= r; my++) {
        for (let mx = -r; mx <= r; mx++) {
          const j = ((((iy - my) % n) + n) % n) * n + ((((ix - mx) % n) + n) % n);
          m[i * N + j] += s.weights[(my + r) * s.size + (mx + r)];
        }
      }
    }
  }
  return m;
}
