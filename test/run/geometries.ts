import type { ConfigInput } from '../../src/config/schema.js';

/**
 * The two grids that are not squares, for the tests of run, io, cli and the
 * estimators: a ring of 64 cells and a 24 × 10 rectangle, both with a shifted
 * kernel (so σ_dt > 0) and white noise. The rectangle's cells are square
 * (Δx = Δy = 0.5), and its kernel is narrow enough for the short axis (R = 2:
 * 2·⌈R/Δy⌉ + 1 = 9 ≤ 10 cells).
 */
export const ringInput: ConfigInput = {
  grid: { n: 64, length: 32, dimensions: 1 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: 0.5 },
  noise: { amplitude: 0.02 },
  dt: 0.05,
  seed: 5,
};

export const rectangleInput: ConfigInput = {
  grid: { n: [24, 10], length: [12, 5] },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 0.5, shift: [0.5, 0], radius: 2 },
  noise: { amplitude: 0.02 },
  dt: 0.05,
  seed: 5,
};
