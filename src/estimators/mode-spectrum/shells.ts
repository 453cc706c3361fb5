import type { Grid } from '../../config/geometry.js';
import { modeLabel } from '../../theory/modes.js';

/**
 * Radial shells of |k| for σ(k) (docs/model.md §9.8): mode k = 2π(p/Lx, q/Ly)
 * (a ring: 2πp/L) belongs to shell s = round(|k|/Δk).
 *
 * Δk = 2π/max(Lx, Ly) (a ring: 2π/L) is the finest spacing of the mode lattice,
 * the one along the longer side, so a shell is never wider than a lattice step
 * on any axis and low modes along the long side are not lumped together. On a
 * square it is 2π/L and the shells are round(√(p² + q²)), as they always were.
 * On a rectangle the short side's modes are 2π/min(L) apart, so some shells
 * can hold no mode at all: they are left out of the reported list, which is
 * why shells carry their numbers (`numbers`) instead of being counted from 0.
 */
export interface ModeShells {
  /** Per mode (index p + nx·q): its shell. */
  readonly of: Int32Array;
  /** Shells 0..count − 1 exist as indices; `numbers` lists those holding at least one mode. */
  readonly count: number;
  readonly numbers: readonly number[];
  /** Δk, in inverse units of length. */
  readonly width: number;
}

/** The longest side: a ring's length, or max(Lx, Ly) (a ring's Grid has Ly = 1, which is no side). */
export function longestSide(grid: Grid): number {
  return grid.dimensions === 1 ? grid.lx : Math.max(grid.lx, grid.ly);
}

export function modeShells(grid: Grid): ModeShells {
  const longest = longestSide(grid);
  // |k|/Δk = hypot(p·L/Lx, q·L/Ly): on a square both ratios are exactly 1.
  const sx = longest / grid.lx;
  const sy = grid.dimensions === 1 ? 0 : longest / grid.ly;
  const of = new Int32Array(grid.cells);
  let count = 0;
  for (let k = 0; k < grid.cells; k++) {
    const [p, q] = modeLabel(grid, k);
    of[k] = Math.round(Math.hypot(p * sx, q * sy));
    count = Math.max(count, of[k] + 1);
  }
  const occupied = new Uint8Array(count);
  for (const s of of) occupied[s] = 1;
  const numbers = Array.from({ length: count }, (_, s) => s).filter((s) => occupied[s]);
  return { of, count, numbers, width: (2 * Math.PI) / longest };
}
