import type { Config, Kernel } from '../config/schema.js';
import { cellSize, kernelRadiusCells, kernelReach, noiseRadiusCells } from '../config/geometry.js';
import { makeStencil, type Stencil } from './stencil.js';

export { cellSize, kernelRadiusCells, kernelReach, noiseRadiusCells };

/**
 * The discrete synaptic and noise stencils of docs/model.md §2. Both are sampled, not
 * integrated, and never renormalised: the theory uses exactly these weights.
 */

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

export function kernelStencil(config: Pick<Config, 'grid' | 'kernel'>): Stencil {
  const dx = cellSize(config);
  return makeStencil(kernelRadiusCells(config), (mx, my) => dx * dx * kernelValue(config.kernel, mx * dx, my * dx));
}

/** The noise filter G of docs/model.md §2 (λ > 0): Δx²·exp(−|r|²/λ²)/(πλ²). Undefined for white noise. */
export function noiseStencil(config: Pick<Config, 'grid' | 'noise'>): Stencil | undefined {
  const lambda = config.noise.correlationLength;
  if (lambda === 0) return undefined;
  const dx = cellSize(config);
  const norm = (dx * dx) / (Math.PI * lambda * lambda);
  return makeStencil(noiseRadiusCells(config), (mx, my) => norm * Math.exp(-((mx * mx + my * my) * dx * dx) / (lambda * lambda)));
}
