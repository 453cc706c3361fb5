import type { Config, Initial } from '../config/schema.js';
import { forEachCell, gridOf, periodicDisplacement } from '../config/geometry.js';

/**
 * Deterministic initial profiles (docs/model.md §9.7): a Gaussian bump and a
 * plane wave, as values at the flat index i = iy·nx + ix, cell (ix, iy) at
 * (ix·Δx, iy·Δy). Both engines start from them (src/engine/initial.ts), and
 * the stationary-bump solver starts Newton's method from the bump.
 */

type BumpInitial = Extract<Initial, { type: 'bump' }>;
type WaveInitial = Extract<Initial, { type: 'wave' }>;

/** base + amplitude·exp(−r²/(2·width²)), r the periodic distance to the centre (a ring: along the ring). */
export function bumpProfile(config: Pick<Config, 'grid'>, bump: Omit<BumpInitial, 'type'>): Float64Array {
  const grid = gridOf(config);
  const out = new Float64Array(grid.cells);
  const s2 = 2 * bump.width * bump.width;
  forEachCell(grid, (x, y, i) => {
    const [rx, ry] = periodicDisplacement(grid, x, y, bump.center[0], bump.center[1]);
    out[i] = bump.base + bump.amplitude * Math.exp(-(rx * rx + ry * ry) / s2);
  });
  return out;
}

/** The wave vector k, |k| = 2π/wavelength along the direction (an angle in radians, or a vector). */
export function waveVectorOf(wave: Pick<WaveInitial, 'wavelength' | 'direction'>): [number, number] {
  const d = wave.direction;
  const [ux, uy] = typeof d === 'number' ? [Math.cos(d), Math.sin(d)] : [d[0] / Math.hypot(d[0], d[1]), d[1] / Math.hypot(d[0], d[1])];
  const k = (2 * Math.PI) / wave.wavelength;
  return [k * ux, k * uy];
}

/** base + amplitude·cos(k·x) (a ring's cells lie at y = 0). */
export function waveProfile(config: Pick<Config, 'grid'>, wave: Omit<WaveInitial, 'type'>): Float64Array {
  const grid = gridOf(config);
  const [kx, ky] = waveVectorOf(wave);
  const out = new Float64Array(grid.cells);
  forEachCell(grid, (x, y, i) => {
    out[i] = wave.base + wave.amplitude * Math.cos(kx * x + ky * y);
  });
  return out;
}
