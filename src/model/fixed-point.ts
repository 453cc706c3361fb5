import type { Config } from '../config/schema.js';
import { kernelStencil } from './kernels.js';
import { sig6 as fmt } from '../config/errors.js';
import { describeUniformFixedPoints, uniformFixedPointsOf } from './fixed-points.js';
import { stencilSum } from './stencil.js';

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
  const h = config.input;
  const t = config.transfer;
  if (t.type === 'linear') {
    const denom = 1 - t.slope * S;
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
