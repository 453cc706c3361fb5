import type { Config, Initial } from '../config/schema.js';
import { cellSize } from './kernels.js';

/**
 * Deterministic initial profiles (docs/model.md §9.7): a Gaussian bump and a
 * plane wave, as n² values at the flat index i = iy·n + ix, cell (ix, iy) at
 * (ix·Δx, iy·Δx). Both engines start from them (src/engine/initial.ts), and
 * the stationary-bump solver starts Newton's method from the bump.
 */

type BumpInitial = Extract<Initial, { type: 'bump' }>;
type WaveInitial = Extract<Initial, { type: 'wave' }>;

/** x − c wrapped to [−L/2, L/2): the periodic displacement. */
function wrap(d: number, L: number): number {
  return d - L * Math.floor(d / L + 0.5);
}

/** base + amplitude·exp(−r²/(2·width²)), r the periodic distance to the centre. */
export function bumpProfile(config: Pick<Config, 'grid'>, bump: Omit<BumpInitial, 'type'>): Float64Array {
  const n = config.grid.n;
  const L = config.grid.length;
  const dx = cellSize(config);
  const out = new Float64Array(n * n);
  const s2 = 2 * bump.width * bump.width;
  for (let iy = 0; iy < n; iy++) {
    const ry = wrap(iy * dx - bump.center[1], L);
    for (let ix = 0; ix < n; ix++) {
      const rx = wrap(ix * dx - bump.center[0], L);
      out[iy * n + ix] = bump.base + bump.amplitude * Math.exp(-(rx * rx + ry * ry) / s2);
    }
  }
  return out;
}

/** The wave vector k, |k| = 2π/wavelength along the direction (an angle in radians, or a vector). */
export function waveVectorOf(wave: Pick<WaveInitial, 'wavelength' | 'direction'>): [number, number] {
  const d = wave.direction;
  const [ux, uy] = typeof d === 'number' ? [Math.cos(d), Math.sin(d)] : [d[0] / Math.hypot(d[0], d[1]), d[1] / Math.hypot(d[0], d[1])];
  const k = (2 * Math.PI) / wave.wavelength;
  return [k * ux, k * uy];
}

/** base + amplitude·cos(k·x). */
export function waveProfile(config: Pick<Config, 'grid'>, wave: Omit<WaveInitial, 'type'>): Float64Array {
  const n = config.grid.n;
  const dx = cellSize(config);
  const [kx, ky] = waveVectorOf(wave);
  const out = new Float64Array(n * n);
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) out[iy * n + ix] = wave.base + wave.amplitude * Math.cos(kx * ix * dx + ky * iy * dx);
  }
  return out;
}
