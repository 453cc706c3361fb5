import type { Config } from '../../src/config/schema.js';
import { MIN_SIDE } from './grid-sizes.js';
import { switchAlternative, type Choice, type ControlOptions, type EntryOptions, type Path, type SchemaNode } from './schema-controls.js';

/** Grid sides are integers ≥ MIN_SIDE, which the schema checks in a refine the GUI cannot read: stated here. */
const SIDE: EntryOptions = { min: MIN_SIDE, step: 1 };

const ENTRIES: Record<string, EntryOptions> = {
  // Beside the list of sizes the adapter holds: any side (1000, 1500, …), or a ring's n.
  'grid.n': { ...SIDE, label: `n (any ≥ ${MIN_SIDE})` },
  // A rectangle's [nx, ny], through the "form" choice of grid.n.
  'grid.n.0': SIDE,
  'grid.n.1': SIDE,
};

/**
 * The config editor's rules for the grid (docs/model.md §7), beside what the
 * schema says: grid.n from the list of sizes the adapter holds or typed in
 * freely, and only the forms the grid's dimensions take: a ring has one n and
 * one length (no rectangle), a torus's shift is a vector (a number is a ring's).
 */
export function gridControlOptions(model: Config, gridSizes: number[]): ControlOptions {
  const ring = model.grid.dimensions === 1;
  const withheld: Record<string, string[]> = ring ? { 'grid.n': ['rectangle'], 'grid.length': ['rectangle'] } : { 'kernel.shift': ['number'] };
  return { choices: { 'grid.n': gridSizes }, entries: ENTRIES, withheld };
}

/**
 * Sets grid.dimensions in place, carrying the keys whose form depends on it
 * over: onto a ring, a rectangle's n and length become its x side's and the
 * shift its x component; onto a torus, a ring's shift s becomes [s, 0].
 * Everything else is kept as it is.
 */
export function switchDimensions(model: Config, dimensions: 1 | 2): void {
  const { grid, kernel } = model;
  grid.dimensions = dimensions;
  if (dimensions === 1) {
    if (Array.isArray(grid.n)) grid.n = grid.n[0];
    if (Array.isArray(grid.length)) grid.length = grid.length[0];
    if (Array.isArray(kernel.shift)) kernel.shift = kernel.shift[0];
  } else if (typeof kernel.shift === 'number') {
    kernel.shift = [kernel.shift, 0];
  }
}

/**
 * Switches grid.n or grid.length between a square's number and a
 * rectangle's pair, in place, and the other with it, keeping the cells'
 * sizes: to a rectangle, the x side stays and y gets half as many cells (at
 * least MIN_SIDE) over the length that keeps Δy = Δx; to a square, the x side
 * is kept for both. (The schema's registered starting values, [64, 32] cells
 * or a [32, 16] domain, would change Δx or Δy behind the user's back, and
 * a stencil or a correlation length that fitted may no longer.)
 */
export function switchGridForm(model: Config, form: 'square' | 'rectangle'): void {
  const grid = model.grid;
  const [nx, ny] = Array.isArray(grid.n) ? grid.n : [grid.n, grid.n];
  const [lx, ly] = Array.isArray(grid.length) ? grid.length : [grid.length, grid.length];
  if (form === 'square') {
    grid.n = nx;
    grid.length = lx;
    return;
  }
  if (Array.isArray(grid.n) && Array.isArray(grid.length)) return;
  const half = Array.isArray(grid.n) ? ny : Math.max(MIN_SIDE, Math.round(nx / 2));
  grid.n = [nx, half];
  grid.length = Array.isArray(grid.length) ? [lx, ly] : [lx, (lx * half) / nx];
}

/** How the page switches an alternative: the grid's forms together (switchGridForm), anything else to its registered start. */
export function switchPageAlternative(root: SchemaNode, model: unknown, path: Path, name: Choice): void {
  const id = path.join('.');
  if ((id === 'grid.n' || id === 'grid.length') && (name === 'square' || name === 'rectangle')) switchGridForm(model as Config, name);
  else switchAlternative(root, model, path, name);
}
