import type { Plane } from '../model/stencil.js';

/**
 * An nx × ny map (row-major, row = y) as the means of fx × fy blocks of cells
 * (the last row and column of blocks may be partial): ⌈nx/fx⌉ × ⌈ny/fy⌉ values.
 * Non-finite cells are left out of their block's mean; a block with none
 * finite is NaN. The same factor on both axes keeps a picture's aspect.
 */
export function blockMeans(data: ArrayLike<number>, plane: Plane, fx: number, fy = fx): { values: Float64Array } & Plane {
  for (const f of [fx, fy]) if (!(Number.isInteger(f) && f >= 1)) throw new RangeError(`block size must be an integer ≥ 1 (got ${f})`);
  const nx = Math.ceil(plane.nx / fx);
  const ny = Math.ceil(plane.ny / fy);
  const sums = new Float64Array(nx * ny);
  const counts = new Uint32Array(nx * ny);
  for (let iy = 0; iy < plane.ny; iy++) {
    const row = Math.floor(iy / fy) * nx;
    for (let ix = 0; ix < plane.nx; ix++) {
      const v = data[iy * plane.nx + ix];
      if (!Number.isFinite(v)) continue;
      const b = row + Math.floor(ix / fx);
      sums[b] += v;
      counts[b]++;
    }
  }
  const values = sums.map((s, b) => (counts[b] ? s / counts[b] : NaN));
  return { values, nx, ny };
}
