import type { Config, Kernel } from './schema.js';

/**
 * The grid geometry a config implies (docs/model.md §2, §7): the cells and
 * their sizes, and the stencils' extents in cells. Pure functions of the
 * config, so the config's own cross-field checks and every layer above share
 * them.
 *
 * Every engine treats a grid as nx × ny cells, flat index iy·nx + ix (row = y).
 * A ring (`grid.dimensions = 1`) is one row: ny = 1, and its stencils reach no
 * other row (y radius 0). Its cell "height" is dy = 1, so that the cell area
 * a = Δx·Δy is the ring's a = Δx and every formula of §2–§6 written with a
 * holds unchanged; a ring's Fourier modes have q = 0 only.
 */
export interface Grid {
  readonly dimensions: 1 | 2;
  readonly nx: number;
  readonly ny: number;
  /** Lx, Ly (a ring: L and 1). */
  readonly lx: number;
  readonly ly: number;
  readonly dx: number;
  readonly dy: number;
  /** The cell area a = Δx·Δy (a ring: Δx). */
  readonly area: number;
  readonly cells: number;
  /** The domain's measure Lx·Ly (a ring: its length L): densities are rates over it. */
  readonly domain: number;
  /** The shape of a field as an array: [ny, nx], or [n] on a ring. */
  readonly shape: readonly number[];
}

const grids = new WeakMap<object, Grid>();

/** The grid of a config (computed once per grid object). */
export function gridOf(config: Pick<Config, 'grid'>): Grid {
  let g = grids.get(config.grid);
  if (!g) {
    g = makeGrid(config.grid);
    grids.set(config.grid, g);
  }
  return g;
}

function makeGrid(grid: Config['grid']): Grid {
  const [nx, ny] = typeof grid.n === 'number' ? [grid.n, grid.n] : grid.n;
  const [lx, ly] = typeof grid.length === 'number' ? [grid.length, grid.length] : grid.length;
  if (grid.dimensions === 1) {
    const dx = lx / nx;
    return { dimensions: 1, nx, ny: 1, lx, ly: 1, dx, dy: 1, area: dx, cells: nx, domain: lx, shape: [nx] };
  }
  const dx = lx / nx;
  const dy = ly / ny;
  return { dimensions: 2, nx, ny, lx, ly, dx, dy, area: dx * dy, cells: nx * ny, domain: lx * ly, shape: [ny, nx] };
}

/** "64²", "24 × 10", or "a ring of 64 cells": a grid as messages name it. */
export function describeGrid(grid: Pick<Grid, 'dimensions' | 'nx' | 'ny'>): string {
  if (grid.dimensions === 1) return `a ring of ${grid.nx} cells`;
  return grid.nx === grid.ny ? `${grid.nx}²` : `${grid.nx} × ${grid.ny}`;
}

/** Δx: the cell size along x (on a square grid, the cell size). */
export function cellSize(config: Pick<Config, 'grid'>): number {
  return gridOf(config).dx;
}

/** The shift as a vector (a ring's number s is [s, 0]). */
export function shiftVector(kernel: Pick<Kernel, 'shift'>): [number, number] {
  return typeof kernel.shift === 'number' ? [kernel.shift, 0] : kernel.shift;
}

/** R: the user's radius, or |s| + 4·max σ. */
export function kernelReach(kernel: Kernel): number {
  if (kernel.radius !== undefined) return kernel.radius;
  const sigma = kernel.type === 'gaussian' ? kernel.sigma : Math.max(kernel.excitation.sigma, kernel.inhibition.sigma);
  const [sx, sy] = shiftVector(kernel);
  return Math.hypot(sx, sy) + 4 * sigma;
}

/** A stencil's half-extent in cells along each axis. */
export interface Radii {
  readonly x: number;
  readonly y: number;
}

/** ceil(reach/Δ) along each axis; 0 across a ring. */
function radiiOf(grid: Grid, reach: number): Radii {
  return { x: Math.ceil(reach / grid.dx), y: grid.dimensions === 1 ? 0 : Math.ceil(reach / grid.dy) };
}

/** (rx, ry) = (ceil(R/Δx), ceil(R/Δy)). */
export function kernelRadii(config: Pick<Config, 'grid' | 'kernel'>): Radii {
  return radiiOf(gridOf(config), kernelReach(config.kernel));
}

/** Four standard deviations of the noise filter g: ceil(4·(λ/√2)/Δ) along each axis. */
export function noiseRadii(config: Pick<Config, 'grid' | 'noise'>): Radii {
  return radiiOf(gridOf(config), (4 * config.noise.correlationLength) / Math.SQRT2);
}

/** d wrapped into [−L/2, L/2): the periodic displacement along a side of length L. */
export function wrapDisplacement(d: number, length: number): number {
  return d - length * Math.floor(d / length + 0.5);
}

/**
 * Calls f(x, y, i) for every cell at its position (ix·Δx, iy·Δy), i = iy·nx + ix.
 * A ring's cells lie at (ix·Δx, 0).
 */
export function forEachCell(grid: Grid, f: (x: number, y: number, i: number) => void): void {
  const yStep = grid.dimensions === 1 ? 0 : grid.dy;
  for (let iy = 0; iy < grid.ny; iy++) for (let ix = 0; ix < grid.nx; ix++) f(ix * grid.dx, iy * yStep, iy * grid.nx + ix);
}

/**
 * The periodic displacement from a point (cx, cy) to (x, y): each axis wrapped
 * on its side. A ring has no y: its displacement's y is 0 whatever cy is.
 */
export function periodicDisplacement(grid: Grid, x: number, y: number, cx: number, cy: number): [number, number] {
  return [wrapDisplacement(x - cx, grid.lx), grid.dimensions === 1 ? 0 : wrapDisplacement(y - cy, grid.ly)];
}
