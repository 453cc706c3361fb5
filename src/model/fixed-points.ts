import type { Config, Transfer } from '../config/schema.js';
import { sig6 as fmt } from '../config/errors.js';
import { uniformValue } from '../config/maps.js';
import { kernelStencil } from './kernels.js';
import { stencilSum } from './stencil.js';
import { transferDerivative, transferFunction } from './transfer.js';

/**
 * Every uniform fixed point of the noiseless field (docs/model.md §9.6):
 * u* = S·f(u*) + h with S = Σ_m W[m], the stencil sum a uniform field sees.
 *
 * Each comes with its slope f′(u*) and whether it is stable to uniform
 * perturbations, S·f′(u*) < 1 (the k = 0 mode alone). Stability in every
 * Fourier mode, Re a_k > 0 with a_k = (1 − f′(u*)·Ŵ_k)/τ, needs the stencil's
 * spectrum and is decided in src/theory/linearisation.ts.
 */
export interface UniformFixedPoint {
  /** u*. */
  u: number;
  /** f′(u*): the slope of the linearisation there. */
  slope: number;
  /** S·f′(u*): the gain of the uniform mode. */
  uniformGain: number;
  /** S·f′(u*) < 1. */
  uniformStable: boolean;
}

/** Scan resolution of the bracket [h − |S|·max|f| − 1, h + |S|·max|f| + 1]. */
const SAMPLES = 4096;

/**
 * All roots of g(u) = −u + S·f(u) + h, lowest first. Linear: the single root
 * h/(1 − slope·S) (none when slope·S = 1). Sigmoid and tanh: |f| ≤ 1, so every root lies
 * within |S| + 1 of h; the bracket is scanned in 4096 steps and each sign change
 * bisected to rounding. (A root where g only touches 0 without changing sign, a
 * fold of the fixed-point curve, is missed: it is not generic.)
 */
export function uniformFixedPointsOf(S: number, h: number, t: Transfer): UniformFixedPoint[] {
  const df = transferDerivative(t);
  const classify = (u: number): UniformFixedPoint => {
    const slope = df(u);
    const uniformGain = S * slope;
    return { u, slope, uniformGain, uniformStable: uniformGain < 1 };
  };
  if (t.type === 'linear') {
    const denom = 1 - df(0) * S;
    return denom === 0 ? [] : [classify(h / denom)];
  }
  const f = transferFunction(t);
  const g = (u: number) => -u + S * f(u) + h;
  const reach = Math.abs(S) + 1;
  const lo = h - reach;
  const step = (2 * reach) / SAMPLES;
  const roots: number[] = [];
  let a = lo;
  let ga = g(a);
  for (let k = 1; k <= SAMPLES; k++) {
    const b = lo + k * step;
    const gb = g(b);
    if (ga === 0) roots.push(a);
    else if (gb !== 0 && ga * gb < 0) roots.push(bisect(g, a, b));
    a = b;
    ga = gb;
  }
  if (ga === 0) roots.push(a);
  return roots.map(classify);
}

/**
 * uniformFixedPointsOf for a config's stencil sum, input and transfer. Throws
 * where the input or the slope is a map (docs/model.md §8): the noiseless field
 * then has no uniform state, and its fixed point is a field (fixedPointField).
 */
export function uniformFixedPoints(config: Config): UniformFixedPoint[] {
  const h = uniformValue(config.input);
  const t = config.transfer;
  if (h === undefined || (t.type === 'linear' && typeof t.slope !== 'number')) {
    throw new Error('no uniform fixed point: input or transfer.slope is a map (its fixed point is a field: fixedPointField)');
  }
  return uniformFixedPointsOf(stencilSum(kernelStencil(config)), h, t);
}

/** One line per fixed point: `u* = 0.1 (f′ = 0.2, S·f′ = 0.3: stable to uniform perturbations)`. */
export function describeUniformFixedPoints(points: readonly UniformFixedPoint[]): string {
  if (points.length === 0) return 'none';
  return points
    .map(
      (p) =>
        `u* = ${fmt(p.u)} (f′(u*) = ${fmt(p.slope)}, S·f′ = ${fmt(p.uniformGain)}: ` +
        `${p.uniformStable ? 'stable' : 'unstable'} to uniform perturbations)`,
    )
    .join('; ');
}

function bisect(g: (u: number) => number, a: number, b: number): number {
  let ga = g(a);
  for (let i = 0; i < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a)); i++) {
    const m = 0.5 * (a + b);
    const gm = g(m);
    if (gm === 0) return m;
    if (ga * gm < 0) b = m;
    else {
      a = m;
      ga = gm;
    }
  }
  return 0.5 * (a + b);
}
