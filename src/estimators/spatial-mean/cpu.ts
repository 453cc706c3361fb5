import type { StepView } from '../../engine/observer.js';

/** out[r] = Σ_i u_i(n + 1) over the cells of replica r. */
export function spatialMeanStep(view: StepView, _params: Float64Array, out: Float64Array): void {
  const { uNext, replicas, cells } = view;
  for (let r = 0; r < replicas; r++) {
    let sum = 0;
    for (let j = r * cells; j < (r + 1) * cells; j++) sum += uNext[j];
    out[r] = sum;
  }
}
