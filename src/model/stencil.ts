import type { Radii } from '../config/geometry.js';
import type { Plane } from '../numeric/plane.js';

export type { Plane };

/**
 * A rectangular stencil of weights W[mx, my], |mx| ≤ rx, |my| ≤ ry (a ring's
 * stencils have ry = 0), stored row-major from (−rx, −ry):
 * weights[(my + ry) * sizeX + (mx + rx)].
 */
export interface Stencil {
  readonly rx: number;
  readonly ry: number;
  readonly sizeX: number;
  readonly sizeY: number;
  readonly weights: Float64Array;
}

/** A stencil of radii (rx, ry), or of radius r on both axes. */
export function makeStencil(radii: Radii | number, weight: (mx: number, my: number) => number): Stencil {
  const { x: rx, y: ry } = typeof radii === 'number' ? { x: radii, y: radii } : radii;
  const sizeX = 2 * rx + 1;
  const sizeY = 2 * ry + 1;
  const weights = new Float64Array(sizeX * sizeY);
  for (let my = -ry; my <= ry; my++) {
    for (let mx = -rx; mx <= rx; mx++) weights[(my + ry) * sizeX + (mx + rx)] = weight(mx, my);
  }
  return { rx, ry, sizeX, sizeY, weights };
}

/** W[mx, my] (|mx| ≤ rx, |my| ≤ ry). */
export function stencilWeight(s: Stencil, mx: number, my: number): number {
  return s.weights[(my + s.ry) * s.sizeX + (mx + s.rx)];
}

export function stencilSum(s: Stencil): number {
  let total = 0;
  for (const w of s.weights) total += w;
  return total;
}

/** Throws unless the stencil fits the grid along both axes (the config's checks name the cause for users). */
export function checkStencilFits(plane: Plane, s: Stencil): void {
  if (s.sizeX > plane.nx || s.sizeY > plane.ny) {
    throw new Error(`stencil of ${s.sizeX}×${s.sizeY} cells does not fit a ${plane.nx}×${plane.ny} grid`);
  }
}

/** Rounded up to a multiple of 4: the convolver computes four outputs at a time. */
const quad = (v: number) => Math.ceil(v / 4) * 4;

/**
 * Periodic convolution (K v)_i = Σ_m W[m] v_{i−m} on an nx×ny torus (docs/model.md §2, §7).
 * The input is first copied into a buffer padded by the stencil's radii, so the
 * inner loops run over contiguous memory with no modulo. Rows are computed four
 * outputs at a time into a row buffer of quad(nx) values (the padding wraps on,
 * so the outputs past nx are well defined and dropped).
 */
export class PeriodicConvolver {
  private readonly padded: Float64Array;
  private readonly pitch: number;
  private readonly row: Float64Array;
  /** flipped[(dy) * sizeX + dx] = W[rx − dx, ry − dy]: the convolution read as a correlation. */
  private readonly flipped: Float64Array;

  constructor(readonly plane: Plane, readonly stencil: Stencil) {
    checkStencilFits(plane, stencil);
    this.pitch = quad(plane.nx) + 2 * stencil.rx;
    this.padded = new Float64Array(this.pitch * (plane.ny + 2 * stencil.ry));
    this.row = new Float64Array(quad(plane.nx));
    this.flipped = stencil.weights.slice().reverse();
  }

  /** out = K v. out and v must be distinct arrays of nx·ny values (row = y). */
  apply(v: Float64Array, out: Float64Array, vOffset = 0, outOffset = 0): void {
    const { pitch, padded, flipped, row } = this;
    const { nx, ny } = this.plane;
    const { rx, ry, sizeX, sizeY } = this.stencil;
    for (let py = 0; py < ny + 2 * ry; py++) {
      const src = vOffset + ((((py - ry) % ny) + ny) % ny) * nx;
      const dst = py * pitch;
      for (let px = 0; px < pitch; px++) padded[dst + px] = v[src + ((((px - rx) % nx) + nx) % nx)];
    }
    // Four outputs of a row at a time, held in registers, with the four inputs
    // under the stencil row sliding along.
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < row.length; x += 4) {
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        let k = 0;
        for (let dy = 0; dy < sizeY; dy++) {
          const b = (y + dy) * pitch + x;
          let p0 = padded[b], p1 = padded[b + 1], p2 = padded[b + 2];
          for (let dx = 0; dx < sizeX; dx++) {
            const p3 = padded[b + dx + 3];
            const w = flipped[k++];
            a0 += w * p0; a1 += w * p1; a2 += w * p2; a3 += w * p3;
            p0 = p1; p1 = p2; p2 = p3;
          }
        }
        row[x] = a0; row[x + 1] = a1; row[x + 2] = a2; row[x + 3] = a3;
      }
      out.set(row.subarray(0, nx), outOffset + y * nx);
    }
  }
}

/**
 * The dense circulant of a stencil on the nx×ny torus, row-major N×N (N = nx·ny):
 * (S v)_i = Σ_m W[m] v_{i−m}, the matrix the periodic convolution applies.
 * For the dense theory (src/theory/dense.ts) and dense Newton steps.
 */
export function circulantArray(plane: Plane, s: Stencil): Float64Array {
  const { nx, ny } = plane;
  const N = nx * ny;
  const m = new Float64Array(N * N);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const i = iy * nx + ix;
      for (let my = -s.ry; my <= s.ry; my++) {
        for (let mx = -s.rx; mx <= s.rx; mx++) {
          const j = ((((iy - my) % ny) + ny) % ny) * nx + ((((ix - mx) % nx) + nx) % nx);
          m[i * N + j] += stencilWeight(s, mx, my);
        }
      }
    }
  }
  return m;
}
