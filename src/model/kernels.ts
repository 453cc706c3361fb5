import type { Config, Kernel } from '../config/schema.js';
import { cellSize, gridOf, kernelRadii, kernelReach, noiseRadii, shiftVector } from '../config/geometry.js';
import { makeStencil, type Stencil } from './stencil.js';

export { cellSize, kernelRadii, kernelReach, noiseRadii };

/**
 * The discrete synaptic and noise stencils of docs/model.md §2 and §7. Both are
 * sampled, not integrated, and never renormalised: the theory uses exactly
 * these weights. On a ring the kernels are normalised in one dimension.
 */

function gaussian2d(amplitude: number, sigma: number, x: number, y: number): number {
  return (amplitude / (2 * Math.PI * sigma * sigma)) * Math.exp(-(x * x + y * y) / (2 * sigma * sigma));
}

function gaussian1d(amplitude: number, sigma: number, x: number): number {
  return (amplitude / (Math.sqrt(2 * Math.PI) * sigma)) * Math.exp(-(x * x) / (2 * sigma * sigma));
}

/** The continuous kernel w(r) at r = (x, y) on a 2-D grid, or at x on a ring (dimensions 1). */
export function kernelValue(kernel: Kernel, x: number, y: number, dimensions: 1 | 2 = 2): number {
  const [sx, sy] = shiftVector(kernel);
  const g = (amplitude: number, sigma: number) =>
    dimensions === 1 ? gaussian1d(amplitude, sigma, x - sx) : gaussian2d(amplitude, sigma, x - sx, y - sy);
  if (kernel.type === 'gaussian') return g(kernel.amplitude, kernel.sigma);
  return g(kernel.excitation.amplitude, kernel.excitation.sigma) - g(kernel.inhibition.amplitude, kernel.inhibition.sigma);
}

/** W[mx, my] = a·w(mx·Δx, my·Δy) on |mx| ≤ rx, |my| ≤ ry. */
export function kernelStencil(config: Pick<Config, 'grid' | 'kernel'>): Stencil {
  const { dx, dy, area, dimensions } = gridOf(config);
  return makeStencil(kernelRadii(config), (mx, my) => area * kernelValue(config.kernel, mx * dx, my * dy, dimensions));
}

/**
 * The noise filter G of docs/model.md §2 and §7 (λ > 0): a·exp(−|r|²/λ²)/(πλ²)
 * in 2-D, Δx·exp(−r²/λ²)/(√π λ) on a ring. Undefined for white noise.
 */
export function noiseStencil(config: Pick<Config, 'grid' | 'noise'>): Stencil | undefined {
  const lambda = config.noise.correlationLength;
  if (lambda === 0) return undefined;
  const { dx, dy, area, dimensions } = gridOf(config);
  const norm = dimensions === 1 ? area / (Math.sqrt(Math.PI) * lambda) : area / (Math.PI * lambda * lambda);
  return makeStencil(noiseRadii(config), (mx, my) => norm * Math.exp(-((mx * dx) ** 2 + (my * dy) ** 2) / (lambda * lambda)));
}
