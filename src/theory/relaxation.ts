import type { Config } from '../config/schema.js';
import { gridOf } from '../config/geometry.js';
import { uniformFixedPoint } from '../model/fixed-point.js';
import { cellSize } from '../model/kernels.js';
import { noisePower } from '../model/noise-spectrum.js';
import { mappedFields } from '../config/maps.js';
import { linearModes, TheoryNotApplicable, uniformDiffusion } from './modes.js';

/**
 * docs/model.md §6 for the linear, translation-invariant Euler–Maruyama chain, step by
 * step from its initial condition. With μ_k = 1 − dt·a_k and the noise
 * covariance's eigenvalues q_k = (2 dt D/Δx²)((1 − w)|Ĝ_k|² + w) (w = noise.whiteFraction):
 *
 *   c_k(n+1) = |μ_k|² c_k(n) + q_k,        m(n+1) = μ_0 m(n) + dt·h/τ   (the uniform mean)
 *   S_n      = ½ Σ_k ln(2πe c_k(n))
 *   Φ_n·dt   = ½ Σ_k [ |1 − μ_k²|² c_k(n)/q_k + |μ_k|² − 1 ] + ½ N v²/q_0,
 *              v = (1 − μ_0²) m(n) − (1 + μ_0) dt h/τ
 *   σ_n      = (S_{n+1} − S_n)/dt + Φ_n
 *
 * Φ_n is the ensemble mean of docs/model.md §4's estimator at step n (the expected
 * log-ratio of forward and reversed transitions from the Gaussian state at n,
 * whose mean also relaxes); c_k is normalised so that the variance of one
 * cell is (1/N) Σ_k c_k.
 */
export interface RelaxationTheory {
  /** S_n for n = 0..steps (−∞ while some c_k is 0). */
  entropy: Float64Array;
  /** Φ_n for n = 0..steps−1. */
  flow: Float64Array;
  /** σ_n for n = 0..steps−1. */
  production: Float64Array;
}

/** c_k(0) and m(0) of the config's initial condition. */
function initialState(config: Config): { variance: number; mean: number } {
  const init = config.initial;
  if (init.type === 'random') return { variance: init.std ** 2, mean: 0 };
  if (init.type === 'fixed-point') return { variance: 0, mean: uniformFixedPoint(config) };
  if (init.type === 'bump' || init.type === 'wave') {
    throw new TheoryNotApplicable(`the relaxation theory follows a uniform mean; initial "${init.type}" is not uniform`);
  }
  return { variance: 0, mean: 0 };
}

export function relaxationTheory(config: Config, steps: number): RelaxationTheory {
  const maps = mappedFields(config);
  if (maps.length) {
    throw new TheoryNotApplicable(
      `the relaxation theory covers uniform fields; ${maps.join(' and ')} ${maps.length > 1 ? 'are maps' : 'is a map'} (docs/model.md §8)`,
    );
  }
  const { aRe, aIm } = linearModes(config);
  const N = aRe.length;
  const dt = config.dt;
  const q = noisePower(config).map((p) => ((2 * dt * uniformDiffusion(config)) / gridOf(config).area) * p);
  const mu2 = new Float64Array(N);
  const loss = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    const re = 1 - dt * aRe[k];
    const im = -dt * aIm[k];
    mu2[k] = re * re + im * im;
    // |1 − μ²|² with μ² = (re² − im²) + 2i·re·im.
    loss[k] = (1 - (re * re - im * im)) ** 2 + (2 * re * im) ** 2;
  }
  const mu0 = 1 - dt * aRe[0];
  const drive = (dt * (config.input as number)) / config.tau;
  const start = initialState(config);
  const c = new Float64Array(N).fill(start.variance);
  let mean = start.mean;
  const entropy = new Float64Array(steps + 1);
  const flow = new Float64Array(steps);
  const shannon = () => {
    let s = 0;
    for (let k = 0; k < N; k++) s += 0.5 * Math.log(2 * Math.PI * Math.E * c[k]);
    return s;
  };
  entropy[0] = shannon();
  for (let n = 0; n < steps; n++) {
    let f = 0;
    for (let k = 0; k < N; k++) f += 0.5 * ((loss[k] * c[k]) / q[k] + mu2[k] - 1);
    const v = (1 - mu0 * mu0) * mean - (1 + mu0) * drive;
    flow[n] = (f + (0.5 * N * v * v) / q[0]) / dt;
    for (let k = 0; k < N; k++) c[k] = mu2[k] * c[k] + q[k];
    mean = mu0 * mean + drive;
    entropy[n + 1] = shannon();
  }
  const production = flow.map((phi, n) => (entropy[n + 1] - entropy[n]) / dt + phi);
  return { entropy, flow, production };
}
