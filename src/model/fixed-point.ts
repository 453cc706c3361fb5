import { fieldArray, fieldSpec, isMap, uniformValue } from '../config/maps.js';
import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { bicgstab } from '../numeric/bicgstab.js';
import { kernelStencil } from './kernels.js';
import { sig6 as fmt } from '../config/errors.js';
import { describeUniformFixedPoints, uniformFixedPointsOf } from './fixed-points.js';
import { PeriodicConvolver, stencilSum } from './stencil.js';
import { transferDerivative, transferFunction } from './transfer.js';

/**
 * The uniform fixed point u* of the noiseless field: u* = S·f(u*) + h with
 * S = Σ_m W[m] (a uniform field sees the whole stencil sum). For a bounded f
 * every root lies within |S|·max|f| of h, so a fine scan there finds them all;
 * among several, the lowest one that is stable to uniform perturbations
 * (S·f′(u*) < 1) is taken: the quiet state of a bump network. All of them,
 * classified, come from uniformFixedPoints (./fixed-points.ts).
 */
export function uniformFixedPoint(config: Config): number {
  const S = stencilSum(kernelStencil(config));
  const h = uniformValue(config.input);
  const t = config.transfer;
  if (h === undefined || (t.type === 'linear' && typeof t.slope !== 'number')) {
    throw new Error('no uniform fixed point: input or transfer.slope is a map (fixedPointField gives the fixed point of a field with maps)');
  }
  if (t.type === 'linear') {
    const denom = 1 - (t.slope as number) * S;
    if (denom === 0) throw new Error('no uniform fixed point: transfer.slope × Σ W = 1 (the uniform mode is marginal)');
    return h / denom;
  }
  const points = uniformFixedPointsOf(S, h, t);
  const stable = points.find((p) => p.uniformStable);
  if (!stable) {
    throw new Error(
      `no uniform fixed point is stable to uniform perturbations (S·f′(u*) < 1, S = Σ W = ${fmt(S)}); ` +
        `found: ${describeUniformFixedPoints(points)}`,
    );
  }
  return stable.u;
}

/**
 * The fixed point of the noiseless field, u = K f(u) + h: the uniform u* (a number)
 * unless the input or the slope is a map (docs/model.md §8; a noise map does not move
 * it), and then a field of one value per cell found by Newton's method from the uniform fixed
 * point of the mean input and slope, each Newton step solved by BiCGSTAB with the
 * Jacobian −I + K·diag(f′(u)) applied as a convolution (one step for a linear field).
 */
export function fixedPointField(config: Config): number | Float64Array {
  const slope = fieldSpec(config, 'transfer.slope');
  if (!isMap(config.input) && !(slope !== undefined && isMap(slope))) return uniformFixedPoint(config);
  const grid = gridOf(config);
  const N = grid.cells;
  const h = fieldArray(config, 'input');
  const t = config.transfer;
  const gain = t.type === 'linear' ? fieldArray(config, 'transfer.slope') : undefined;
  const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
  let start = 0;
  try {
    const meanTransfer = t.type === 'linear' ? { ...t, slope: mean(gain!) } : t;
    start = uniformFixedPoint({ ...config, input: mean(h), transfer: meanTransfer });
  } catch {
    start = 0;
  }
  const u = new Float64Array(N).fill(start);
  const K = new PeriodicConvolver(grid, kernelStencil(config));
  const f = t.type === 'linear' ? undefined : transferFunction(t);
  const df = t.type === 'linear' ? undefined : transferDerivative(t);
  const fu = new Float64Array(N);
  const slopeAt = new Float64Array(N);
  const Kv = new Float64Array(N);
  const residual = new Float64Array(N);
  const delta = new Float64Array(N);
  const scaled = new Float64Array(N);
  for (let iteration = 0; iteration < 50; iteration++) {
    // r = −u + K f(u) + h and the slopes f′(u).
    for (let i = 0; i < N; i++) {
      fu[i] = gain ? gain[i] * u[i] : f!(u[i]);
      slopeAt[i] = gain ? gain[i] : df!(u[i]);
    }
    K.apply(fu, Kv);
    let rNorm = 0;
    let uNorm = 0;
    for (let i = 0; i < N; i++) {
      residual[i] = u[i] - Kv[i] - h[i];
      rNorm = Math.max(rNorm, Math.abs(residual[i]));
      uNorm = Math.max(uNorm, Math.abs(u[i]), Math.abs(h[i]));
    }
    if (rNorm <= 1e-13 * Math.max(1, uNorm)) return u;
    // (I − K·diag(f′(u))) δ = −r, i.e. u ← u + δ.
    delta.fill(0);
    const solved = bicgstab(
      (v, out) => {
        for (let i = 0; i < N; i++) scaled[i] = slopeAt[i] * v[i];
        K.apply(scaled, out);
        for (let i = 0; i < N; i++) out[i] = v[i] - out[i];
      },
      residual.map((r) => -r),
      delta,
      { tolerance: 1e-14 },
    );
    if (!Number.isFinite(solved.residual)) break;
    for (let i = 0; i < N; i++) u[i] += delta[i];
  }
  throw new Error(
    'initial: the noiseless field with maps has no fixed point that Newton\'s method finds from the uniform one of the mean input and slope; ' +
      'use initial "zero" or "random"',
  );
}
