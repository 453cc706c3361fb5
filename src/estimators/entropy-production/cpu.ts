import type { StepView } from '../../engine/observer.js';

/**
 * docs/model.md §4, per step and cell, in float64:
 *
 *   s_i(n) = a/(2 D_i) · [ Δ_i (HF + HF′)_i + (dt/2)(F′_i (HF′)_i − F_i (HF)_i) ]
 *
 * with H the inverse of the normalised noise covariance (the identity for
 * white noise, where this is docs/model.md §4's formula); with a noise map and
 * correlated noise, HF stands for diag(√D)·H·diag(1/√D) F (docs/model.md §8), which
 * the engine supplies as `inverseDrift`. Its sum over cells is the exact
 * log-ratio of the forward and reversed transition densities.
 * out[r] = Σ_i s_i of replica r; map[j] += s_j.
 */
export function entropyProductionStep(view: StepView, _params: Float64Array, out: Float64Array, map: Float64Array | undefined): void {
  const { u, uNext, drift: F, driftNext: Fn, inverseDrift: hF, inverseDriftNext: hFn, replicas, cells, coefficients } = view;
  const half = coefficients.halfDt;
  const weight = coefficients.entropyWeight;
  for (let r = 0; r < replicas; r++) {
    let total = 0;
    for (let i = 0; i < cells; i++) {
      const j = r * cells + i;
      const w = typeof weight === 'number' ? weight : weight[i];
      const s = w * ((uNext[j] - u[j]) * (hF[j] + hFn[j]) + half * (Fn[j] * hFn[j] - F[j] * hF[j]));
      map![j] += s;
      total += s;
    }
    out[r] = total;
  }
}

