import type { Config } from '../config/schema.js';
import { gridOf, kernelRadii, shiftVector } from '../config/geometry.js';

/**
 * The synaptic stencil of docs/model.md §2 and §7 as a sum of outer products
 * of 1-D stencils, so that K v can run as a pass along x and then a pass
 * along y: 2(2r + 1) multiply-adds per cell and term instead of (2r + 1)².
 *
 * A shifted Gaussian sampled on the rectangular stencil factorises exactly,
 *   a·A/(2πσ²)·exp(−((mxΔx − sx)² + (myΔy − sy)²)/(2σ²))
 *     = [a·A/(2πσ²)] · exp(−(mxΔx − sx)²/(2σ²)) · exp(−(myΔy − sy)²/(2σ²)),
 * because the stencil is the full rectangle |mx| ≤ rx, |my| ≤ ry (not a
 * disc) and is never renormalised. The mexican hat is the difference of two
 * such products (rank 2; rank 1 when both widths are equal). On a ring the
 * kernel is 1-D already: one term with fy = [1].
 */
export interface SeparableTerm {
  /** The term's scale, sign included (the cell area and the amplitude's normalisation). */
  readonly weight: number;
  /** fx[mx + rx], |mx| ≤ rx. */
  readonly fx: Float64Array;
  /** fy[my + ry], |my| ≤ ry ([1] on a ring). */
  readonly fy: Float64Array;
}

export interface SeparableKernel {
  readonly rx: number;
  readonly ry: number;
  /** W[mx, my] = Σ_t weight_t · fx_t[mx + rx] · fy_t[my + ry]. */
  readonly terms: readonly SeparableTerm[];
}

/** exp(−(mΔ − s)²/(2σ²)) for m = −r .. r. */
function gaussianFactor(r: number, delta: number, shift: number, sigma: number): Float64Array {
  const f = new Float64Array(2 * r + 1);
  for (let m = -r; m <= r; m++) f[m + r] = Math.exp(-((m * delta - shift) ** 2) / (2 * sigma * sigma));
  return f;
}

/**
 * The separable factors of kernelStencil(config), in float64: Σ over the
 * terms of weight·fx[mx]·fy[my] is the stencil's W[mx, my] to rounding.
 * Undefined for a kernel with no such factorisation (none today: both kernel
 * types factorise; a future coupling map need not).
 */
export function separableKernel(config: Pick<Config, 'grid' | 'kernel'>): SeparableKernel | undefined {
  const { dx, dy, area, dimensions } = gridOf(config);
  const { x: rx, y: ry } = kernelRadii(config);
  const kernel = config.kernel;
  const [sx, sy] = shiftVector(kernel);
  const gaussian = (amplitude: number, sigma: number): SeparableTerm => {
    if (dimensions === 1) {
      return { weight: (area * amplitude) / (Math.sqrt(2 * Math.PI) * sigma), fx: gaussianFactor(rx, dx, sx, sigma), fy: Float64Array.of(1) };
    }
    return {
      weight: (area * amplitude) / (2 * Math.PI * sigma * sigma),
      fx: gaussianFactor(rx, dx, sx, sigma),
      fy: gaussianFactor(ry, dy, sy, sigma),
    };
  };
  switch (kernel.type) {
    case 'gaussian':
      return { rx, ry, terms: [gaussian(kernel.amplitude, kernel.sigma)] };
    case 'mexican-hat': {
      const { excitation: e, inhibition: i } = kernel;
      // Equal widths: one Gaussian of amplitude Ae − Ai, which a single pair of passes computes.
      if (e.sigma === i.sigma) return { rx, ry, terms: [gaussian(e.amplitude - i.amplitude, e.sigma)] };
      return { rx, ry, terms: [gaussian(e.amplitude, e.sigma), gaussian(-i.amplitude, i.sigma)] };
    }
    default:
      return undefined;
  }
}

/** The stencil's weights rebuilt from its factors, row-major from (−rx, −ry) like Stencil.weights. */
export function separableWeights(s: SeparableKernel): Float64Array {
  const sizeX = 2 * s.rx + 1;
  const sizeY = 2 * s.ry + 1;
  const w = new Float64Array(sizeX * sizeY);
  for (const { weight, fx, fy } of s.terms) {
    for (let y = 0; y < sizeY; y++) for (let x = 0; x < sizeX; x++) w[y * sizeX + x] += weight * fx[x] * fy[y];
  }
  return w;
}
