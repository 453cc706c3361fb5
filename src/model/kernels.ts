import type { Config, Kernel } from '../config/schema.js';
import { makeStencil, type Stencil } from './stencil.js';

/**
 * The discrete synaptic and noise stencils of spec §2. Both are sampled, not
 * integrated, and never renormalised: the theory uses exactly these weights.
 */

export function cellSize(config: Pick<Config, 'grid'>): number {
  return config.grid.length / config.grid.n;
}

function gaussian2d(amplitude: number, sigma: number, x: number, y: number): number {
  return (amplitude / (2 * Math.PI * sigma * sigma)) * Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
}

/** The continuous kernel w(r) at r = (x, y). */
export function kernelValue(kernel: Kernel, x: number, y: number): number {
  const [sx, sy] = kernel.shift;
  if (kernel.type === 'gaussian') return gaussian2d(kernel.amplitude, kernel.sigma, x - sx, y - sy);
  const { excitation: e, inhibition: i } = kernel;
  return gaussian2d(e.amplitude, e.sigma, x - sx, y - sy) - gaussian2d(i.amplitude, i.sigma, x - sx, y - sy);
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

export function kernelStencil(config: Pick<Config, 'grid' | 'kernel'>): Stencil {
  const dx = cellSize(config);
  return makeStencil(kernelRadiusCells(config), (mx, my) => dx * dx * kernelValue(config.kernel, mx * dx, my * dx));
}

/** ceil(4·(λ/√2)/Δx): four standard deviations of the noise filter g. */
export function noiseRadiusCells(config: Pick<Config, 'grid' | 'noise'>): number {
  return Math.ceil((4 * config.noise.correlationLength) / Math.SQRT2 / cellSize(config));
}

/** The noise filter G of spec §2 (λ > 0): Δx²·exp(−|r|²/λ²)/(πλ²). Undefined for white noise. */
export function noiseStencil(config: Pick<Config, 'grid' | 'noise'>): Stencil | undefined {
  const lambda = config.noise.correlationLength;
  if (lambda === 0) return undefined;
  const dx = cellSize(config);
  const norm = (dx * dx) / (Math.PI * lambda * lambda);
  return makeStencil(noiseRadiusCells(config), (mx, my) => norm * Math.exp(-((mx * mx + my * my) * dx * dx) / (lambda * lambda)));
}
