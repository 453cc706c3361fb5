import type { Config } from '../config/schema.js';
import { kernelStencil } from './kernels.js';
import { stencilSum } from './stencil.js';
import { transferDerivative, transferFunction } from './transfer.js';

/**
 * The uniform fixed point u* of the noiseless field: u* = S·f(u*) + h with
 * S = Σ_m W[m] (a uniform field sees the whole stencil sum). For a bounded f
 * every root lies within |S|·max|f| of h, so a fine scan there finds them all;
 * among several, the lowest one that is stable to uniform perturbations
 * (S·f′(u*) < 1) is taken: the quiet state of a bump network.
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
  const f = transferFunction(t);
  const df = transferDerivative(t);
  const g = (u: number) => -u + S * f(u) + h;
  const reach = Math.abs(S) + 1;
  const lo = h - reach;
  const samples = 4096;
  const step = (2 * reach) / samples;
  const roots: number[] = [];
  let a = lo;
  let ga = g(a);
  for (let k = 1; k <= samples; k++) {
    const b = lo + k * step;
    const gb = g(b);
    if (ga === 0) roots.push(a);
    else if (ga * gb < 0) roots.push(bisect(g, a, b));
    a = b;
    ga = gb;
  }
  const stable = roots.filter((u) => S * df(u) < 1);
  if (stable.length === 0) throw new Error('no uniform fixed point is stable to uniform perturbations');
  return stable[0];
}

function bisect(g: (u: number) => number, a: number, b: number): number {
  let ga = g(a);
  for (let i = 0; i < 200 && b - a > 1e-15 * Math.max(1, Math.abs(a)); i++) {
    const m = 0.5 * (a + b);
    const gm = g(m);
    if (ga * gm <= 0) b = m;
    else {
      a = m;
      ga = gm;
    }
  }
  return 0.5 * (a + b);
}
