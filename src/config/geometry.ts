import type { Config, Kernel } from './schema.js';

/**
 * The grid geometry a config implies (docs/model.md §2): the cell size and the
 * stencils' extents in cells. Pure functions of the config, so the config's
 * own cross-field checks and every layer above share them.
 */

export function cellSize(config: Pick<Config, 'grid'>): number {
  return config.grid.length / config.grid.n;
}

/** R: the user's radius, or |s| + 4·max σ. */
export function kernelReach(kernel: Kernel): number {
  if (kernel.radius !== undefined) return kernel.radius;
  const sigma = kernel.type === 'gaussian' ? kernel.sigma : Math.max(kernel.excitation.sigma, kernel.inhibition.sigma);
  return Math.hypot(kernel.shift[0], kernel.shift[1]) + 4 * sigma;
}

/** rc = ceil(R/Δx). */
export function kernelRadiusCells(config: Pick<Config, 'grid' | 'kernel'>): number {
  return Math.ceil(kernelReach(config.kernel) / cellSize(config));
}

/** ceil(4·(λ/√2)/Δx): four standard deviations of the noise filter g. */
export function noiseRadiusCells(config: Pick<Config, 'grid' | 'noise'>): number {
  return Math.ceil((4 * config.noise.correlationLength) / Math.SQRT2 / cellSize(config));
}
