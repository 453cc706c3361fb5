import { sig6 } from '../config/errors.js';
import { gridOf } from '../config/geometry.js';
import { fieldValues } from '../config/maps.js';
import type { Config, Kernel } from '../config/schema.js';
import { uniformFixedPoint } from '../model/fixed-point.js';

/**
 * Whether a config's numbers can be carried through a run in an engine's
 * precision (float64 on the CPU, float32 on the GPU), checked before the run
 * from the config alone (no pass over the cells). Two ways a run's numbers
 * lose their meaning although every input is a finite number:
 *
 * - the step is below the precision: the leak −u/τ moves u by dt/τ of itself
 *   per step, and below one unit in the last place u + dt·F rounds to u (dt =
 *   1e-300, τ = 1e308); likewise noise increments √(2·D·dt/a) too small beside
 *   the field's level (a large input, a tiny D);
 * - a scale beyond the range the run squares: the engines square the field,
 *   its drift and the noise (cell variance, the §4 estimator's F², batch-means
 *   errors square block sums of those), so a field near 1e300 (D = 1e300, a
 *   random initial field of std 1e300) overflows to ±Infinity or NaN, and one
 *   near 1e-300 underflows to an error bar of exactly 0.
 *
 * The scales are upper bounds or typical sizes (below), not exact: the limits
 * leave decades of room on both sides, so a config a run can carry is never
 * near them.
 */

export type Precision = 'float32' | 'float64';

/** Six significant digits, with an exponent outside [1e-4, 1e7): these messages quote numbers of any size. */
function fmt(x: number): string {
  return x !== 0 && Number.isFinite(x) && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e7) ? x.toExponential(5).replace(/\.?0+e/, 'e') : sig6(x);
}

interface PrecisionLimits {
  /** The engine, as messages name it. */
  engine: string;
  /** Machine epsilon: the spacing of floats at 1. */
  epsilon: number;
  /**
   * The range [1/largest, largest] a run's scales must lie in: their squares,
   * cubes and fourth powers, summed over every cell (2²⁸ at most) and block,
   * stay finite and normal. float64: 1e64 (its fourth power 1e256, below
   * 1.8e308); float32: 1e9 (the GPU squares and sums in float32: 1e18 times
   * 2.7e8 cells is below 3.4e38, 1e-18 above the smallest normal 1.2e-38).
   */
  largest: number;
}

export const PRECISION_LIMITS: Record<Precision, PrecisionLimits> = {
  float64: { engine: 'the CPU engine (float64)', epsilon: 2 ** -52, largest: 1e64 },
  float32: { engine: 'the GPU engine (float32)', epsilon: 2 ** -23, largest: 1e9 },
};

/**
 * The smallest step, in units in the last place of u, that a run resolves:
 * dt/τ ≥ 16ε moves u by at least 16 ulps a step through the leak, so the
 * drift keeps a few significant bits where one ulp would round it away.
 */
export const MIN_STEP_ULPS = 16;

/** |ξ| of a Philox normal: u0 ≥ 2⁻²⁵ gives √(−2 ln u0) ≤ √(50 ln 2) (docs/model.md §3). */
const MAX_NORMAL = Math.sqrt(50 * Math.LN2);

/** The largest |value| of a number or a map's values. */
function largestMagnitude(values: number | Float64Array): number {
  if (typeof values === 'number') return Math.abs(values);
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  return m;
}

function extremes(values: number | Float64Array): [number, number] {
  if (typeof values === 'number') return [values, values];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  return [lo, hi];
}

const mean = (values: number | Float64Array) =>
  typeof values === 'number' ? values : values.reduce((s, v) => s + v, 0) / values.length;

/**
 * An upper bound on Σ|W| of the sampled kernel (docs/model.md §2, §7) without
 * building the stencil: a Gaussian's samples Δ·g(mΔ) along one axis sum to at
 * most its integral, 1, plus its largest sample, Δ/(√(2π)σ); the 2-D weights
 * are the product of the two axes' (a ring has one), times |amplitude|.
 */
export function kernelAbsSumBound(kernel: Kernel, dx: number, dy: number, dimensions: 1 | 2): number {
  const part = (amplitude: number, sigma: number) => {
    const axis = (d: number) => 1 + d / (Math.sqrt(2 * Math.PI) * sigma);
    return Math.abs(amplitude) * axis(dx) * (dimensions === 2 ? axis(dy) : 1);
  };
  if (kernel.type === 'gaussian') return part(kernel.amplitude, kernel.sigma);
  return part(kernel.excitation.amplitude, kernel.excitation.sigma) + part(kernel.inhibition.amplitude, kernel.inhibition.sigma);
}

/** The uniform fixed point at the mean input and slope, or undefined where there is none. */
function meanFixedPoint(config: Config): number | undefined {
  const t = config.transfer;
  try {
    const transfer = t.type === 'linear' ? { ...t, slope: mean(fieldValues(config, 'transfer.slope')) } : t;
    return uniformFixedPoint({ ...config, input: mean(fieldValues(config, 'input')), transfer });
  } catch {
    return undefined;
  }
}

/** The initial field's largest |u|, and what sets it (for the message). */
function initialBound(config: Config, level: number): { bound: number; what: string } {
  const init = config.initial;
  switch (init.type) {
    case 'zero':
      return { bound: 0, what: 'the zero initial field' };
    case 'fixed-point':
      return { bound: level, what: 'the fixed-point initial field' };
    case 'random':
      return { bound: MAX_NORMAL * init.std, what: `initial.std = ${fmt(init.std)}: the random initial field reaches |u| ≈ ${fmt(MAX_NORMAL * init.std)}` };
    case 'bump':
    case 'wave': {
      const bound = Math.abs(init.base) + Math.abs(init.amplitude);
      return { bound, what: `initial: the ${init.type} initial field reaches |base| + |amplitude| = ${fmt(bound)}` };
    }
  }
}

/**
 * Why a run of this config cannot be represented in `precision`, or
 * undefined: one line naming the fields, the scale and what is allowed.
 */
export function representationProblem(config: Config, precision: Precision): string | undefined {
  const { engine, epsilon, largest } = PRECISION_LIMITS[precision];
  const smallest = 1 / largest;
  const { area, dx, dy, dimensions } = gridOf(config);
  const { tau, dt } = config;
  const scale = `allowed: scales from ${fmt(smallest)} to ${fmt(largest)} on ${engine}`;

  // The leak −u/τ must move u by MIN_STEP_ULPS ulps a step, or u + dt·F rounds to u.
  const minLeak = MIN_STEP_ULPS * epsilon;
  if (!(dt / tau >= minLeak)) {
    return (
      `dt = ${fmt(dt)} with tau = ${fmt(tau)}: the leak −u/τ moves u by dt/τ = ${fmt(dt / tau)} of itself per step, ` +
      `less than ${engine} resolves (u + dt·F rounds to u); allowed: dt/τ ≥ ${fmt(minLeak)} (${MIN_STEP_ULPS} units in the last place): ` +
      `a larger dt or a smaller tau`
    );
  }

  // Noise: the increment per step and the stationary spread of a field leaking at rate 1/τ.
  const [dMin, dMax] = extremes(fieldValues(config, 'noise.amplitude'));
  const stepMax = Math.sqrt((2 * dMax * dt) / area);
  const stepMin = Math.sqrt((2 * dMin * dt) / area);
  const spread = Math.sqrt((dMax * tau) / area);
  if (!(stepMax <= largest && spread <= largest)) {
    return (
      `noise.amplitude: D = ${fmt(dMax)} with dt = ${fmt(dt)}, tau = ${fmt(tau)} and cell area a = ${fmt(area)} gives noise increments √(2·D·dt/a) = ${fmt(stepMax)} and a spread √(D·τ/a) = ${fmt(spread)}, too large for ${engine} ` +
      `(a run squares the field and its drift); ${scale}: a smaller noise.amplitude, dt or tau, or larger cells`
    );
  }
  if (!(stepMin >= smallest && spread / tau >= smallest)) {
    return (
      `noise.amplitude: D = ${fmt(dMin)} with dt = ${fmt(dt)}, tau = ${fmt(tau)} and cell area a = ${fmt(area)} gives noise increments ` +
      `√(2·D·dt/a) = ${fmt(stepMin)} and drift fluctuations √(D/(a·τ)) = ${fmt(spread / tau)}, too small for ${engine} ` +
      `(their squares underflow); ${scale}: a larger noise.amplitude or dt, or a smaller tau`
    );
  }

  // The field's level: the input and the fixed point, and for a bounded f the whole reach of the kernel.
  const h = largestMagnitude(fieldValues(config, 'input'));
  const wAbs = kernelAbsSumBound(config.kernel, dx, dy, dimensions);
  const bounded = config.transfer.type !== 'linear';
  const fixedPoint = Math.abs(meanFixedPoint(config) ?? 0);
  const level = Math.max(h, fixedPoint, bounded ? h + wAbs : 0);
  if (!(level <= largest)) {
    const cause =
      bounded && wAbs >= h
        ? `kernel: Σ|W| up to ${fmt(wAbs)} lets the ${config.transfer.type} transfer drive the field to |u| ≈ ${fmt(level)}`
        : fixedPoint > h
          ? `input: |h| up to ${fmt(h)} puts the fixed point at |u*| ≈ ${fmt(fixedPoint)} (transfer.slope·ΣW close to 1)`
          : `input: |h| up to ${fmt(h)} puts the field near |u| ≈ ${fmt(level)}`;
    return `${cause}, too large for ${engine}; ${scale}`;
  }
  const initial = initialBound(config, level);
  if (!(initial.bound <= largest)) return `${initial.what}, too large for ${engine}; ${scale}`;

  // The drift F = (−u + K f(u) + h)/τ at the largest field the run starts from or settles to.
  const field = Math.max(level, initial.bound, 6 * spread);
  // |K f(u)| ≤ Σ|W|·max|f(u)|: at most Σ|W| for a bounded f, Σ|W|·|slope|·|u| for a linear one.
  const coupling = bounded ? wAbs : wAbs * largestMagnitude(fieldValues(config, 'transfer.slope')) * field;
  const drift = (field + coupling + h) / tau;
  if (!(drift <= largest)) {
    return (
      `the drift F = (−u + K f(u) + h)/τ reaches about ${fmt(drift)} (|u| ≈ ${fmt(field)}, Σ|W| ≤ ${fmt(wAbs)}, tau = ${fmt(tau)}), ` +
      `too large for ${engine}; ${scale}: a larger tau, a smaller kernel amplitude or transfer.slope, or a wider kernel`
    );
  }

  // The smallest noise increment must show beside the field's level, or u + noise rounds to u.
  const minStep = MIN_STEP_ULPS * epsilon * level;
  if (!(stepMin >= minStep)) {
    return (
      `noise.amplitude: D = ${fmt(dMin)} gives noise increments √(2·D·dt/a) = ${fmt(stepMin)}, less than ${engine} resolves beside ` +
      `the field's level |u| ≈ ${fmt(level)} (u plus the noise rounds to u); allowed: increments ≥ ${fmt(minStep)} ` +
      `(${MIN_STEP_ULPS} units in the last place): a larger noise.amplitude or dt, or a smaller input`
    );
  }
  return undefined;
}
