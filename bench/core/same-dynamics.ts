import { relativeFieldDifference } from '../../src/numeric/compare.js';

/**
 * Observers read the step; they never change it. So an engine stepped with
 * the estimator attached and one stepped with nothing attached, from the same
 * config and seed through the same steps, must end on the same field: the
 * same kernels but for the observation's hooks. On one GPU they agree to the
 * bit in practice; the tolerance leaves room for a compiler that contracts
 * the drift's arithmetic differently once the hooks are composed in, a few
 * float32 ulps per step that the stable field damps (1e-5 of the field's
 * largest value is about a hundred ulps). A no-estimator row that did other
 * work (another seed, a step more or less, a broken kernel) differs by the
 * noise itself, √(2D·dt) ≈ 0.045 of a field near 0.5 in the benchmark's config.
 */
export const SAME_FIELD_TOLERANCE = 1e-5;

/**
 * The largest |Δu| relative to the largest |u| of the with-estimator field;
 * throws, naming both rows, when it passes the tolerance or the shapes differ.
 */
export function checkSameDynamics(withEstimator: Float64Array, without: Float64Array, what: string, tolerance = SAME_FIELD_TOLERANCE): number {
  if (withEstimator.length !== without.length) {
    throw new Error(`benchmark output check (${what}): the no-estimator field has ${without.length} cells, the with-estimator one ${withEstimator.length}`);
  }
  const difference = relativeFieldDifference(without, withEstimator);
  if (!(difference <= tolerance)) {
    throw new Error(
      `benchmark output check (${what}): stepped without the estimator, the field differs from the with-estimator run's ` +
        `by ${difference.toExponential(2)} of its largest value (tolerance ${tolerance}): the two rows did not step the same dynamics`,
    );
  }
  return difference;
}

/** A no-estimator row's check, as the table prints it. */
export function sameFieldCheck(difference: number): string {
  return `= field with estimator${difference === 0 ? ' (bitwise)' : ` (to ${difference.toExponential(1)})`}`;
}
