import { gridOf } from '../../../config/geometry.js';
import type { Config } from '../../../config/schema.js';
import { separableKernel } from '../../../model/separable.js';
import { MAX_SEPARABLE_RADIUS, MAX_SEPARABLE_TAPS } from '../../layout/tiles.js';

/** Terms the separable kernels carry per cell: a vec2f holds the mexican hat's two. */
export const MAX_SEPARABLE_TERMS = 2;

/**
 * The separable stencil as the GPU kernels read it (separable.wgsl): one
 * uniform array of MAX_SEPARABLE_TAPS vec4f, element k holding the row taps
 * of terms 0 and 1 in .xy (k ≤ 2rx) and their column taps in .zw (k ≤ 2ry).
 * Both are flipped, tap[k] = factor[r − k], so that the passes read the
 * convolution Σ_m f[m]·v[x − m] as a correlation over their staged values
 * (as tiled.wgsl does). Each term's weight (sign included) is folded into
 * its row taps in float64 before rounding to float32.
 */
export interface SeparableTaps {
  /** 1 or 2: the type the row pass leaves per cell (f32 or vec2f). */
  readonly terms: number;
  readonly rx: number;
  readonly ry: number;
  /** MAX_SEPARABLE_TAPS × 4 floats. */
  readonly data: Float32Array<ArrayBuffer>;
  /** A ring: the terms are summed into one row, and the row pass is the whole convolution. */
  readonly ring: boolean;
}

/**
 * The taps of the separable drift for a config, or undefined where that
 * path cannot run it: a kernel with no separable form, a radius above
 * MAX_SEPARABLE_RADIUS, or more than MAX_SEPARABLE_TERMS terms. The engine
 * then runs the 2-D stencil (tiled or direct).
 */
export function separableTaps(config: Pick<Config, 'grid' | 'kernel'>): SeparableTaps | undefined {
  const s = separableKernel(config);
  if (!s || s.rx > MAX_SEPARABLE_RADIUS || s.ry > MAX_SEPARABLE_RADIUS) return undefined;
  const ring = gridOf(config).dimensions === 1;
  const data = new Float32Array(MAX_SEPARABLE_TAPS * 4);
  const { rx, ry } = s;
  if (ring) {
    // On a ring (ry = 0, fy = [1]) the terms add up to the 1-D stencil itself, in float64.
    for (let k = 0; k <= 2 * rx; k++) data[4 * k] = s.terms.reduce((sum, t) => sum + t.weight * t.fx[2 * rx - k] * t.fy[0], 0);
    return { terms: 1, rx, ry, data, ring };
  }
  if (s.terms.length > MAX_SEPARABLE_TERMS) return undefined;
  s.terms.forEach((t, i) => {
    for (let k = 0; k <= 2 * rx; k++) data[4 * k + i] = t.weight * t.fx[2 * rx - k];
    for (let k = 0; k <= 2 * ry; k++) data[4 * k + 2 + i] = t.fy[2 * ry - k];
  });
  return { terms: s.terms.length, rx, ry, data, ring };
}
