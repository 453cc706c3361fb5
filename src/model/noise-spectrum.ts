import type { Config } from '../config/schema.js';
import { stencilSpectrum } from '../numeric/fft2.js';
import { gridOf } from '../config/geometry.js';
import { noiseStencil } from './kernels.js';

/**
 * The noise spectrum: (1 − w)|Ĝ_k|² + w with w = noise.whiteFraction, or all
 * ones for white noise (docs/model.md §2). Noise G ξ has covariance G Gᵀ with
 * eigenvalues |Ĝ_k|²; the white floor adds √w ξ′ from an independent normal.
 */
export function noisePower(config: Config): Float64Array {
  const grid = gridOf(config);
  const stencil = noiseStencil(config);
  const power = new Float64Array(grid.cells);
  if (!stencil) return power.fill(1);
  const w = config.noise.whiteFraction;
  const { re, im } = stencilSpectrum(grid, stencil);
  for (let k = 0; k < power.length; k++) power[k] = (1 - w) * (re[k] * re[k] + im[k] * im[k]) + w;
  return power;
}

/** Smallest over largest eigenvalue of the noise covariance: what an estimator inverting it must resolve. */
export function noiseCondition(power: Float64Array): number {
  let lo = Infinity;
  let hi = 0;
  for (const p of power) {
    lo = Math.min(lo, p);
    hi = Math.max(hi, p);
  }
  return lo / hi;
}

/**
 * The smallest noise.whiteFraction w that lifts the spectrum's ratio to
 * `target`: with p = |Ĝ_k|², ((1 − w)p_min + w)/((1 − w)p_max + w) ≥ target.
 */
export function whiteFloorFor(config: Config, target: number): number {
  const raw = noisePower({ ...config, noise: { ...config.noise, whiteFraction: 0 } });
  // Both extremes enter; the largest is |Ĝ_0|² ≈ 1 for a normalised filter but is not assumed.
  const b = raw.reduce((m, p) => Math.max(m, p), 0);
  const a = noiseCondition(raw) * b;
  return Math.max(0, (target * b - a) / (1 - a - target + target * b));
}
