import type { StepView } from '../../engine/observer.js';

/**
 * The moments of u_{n+1} about a reference value (replica r's: params[r]): out[2r] =
 * Σ_i (u_i − ref), out[2r + 1] = Σ_i (u_i − ref)² for replica r. The shift keeps
 * a large mean from cancelling the fluctuations away (in float32 on the GPU).
 */
export function cellVarianceStep(view: StepView, params: Float64Array, out: Float64Array): void {
  const { uNext, replicas, cells } = view;
  for (let r = 0; r < replicas; r++) {
    const ref = params[r];
    let s1 = 0;
    let s2 = 0;
    for (let j = r * cells; j < (r + 1) * cells; j++) {
      const d = uNext[j] - ref;
      s1 += d;
      s2 += d * d;
    }
    out[2 * r] = s1;
    out[2 * r + 1] = s2;
  }
}
