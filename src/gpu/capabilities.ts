import type { Config } from '../config/schema.js';
import { representationProblem } from '../engine/representable.js';
import { noiseCondition, noisePower, whiteFloorFor } from '../model/noise-spectrum.js';

/**
 * Smallest ratio of the noise covariance's eigenvalues that the GPU's float32
 * can invert for the correlated-noise estimator (rounding in Δ is amplified
 * by the largest 1/q̂_k).
 */
export const MIN_GPU_NOISE_CONDITION = 1e-5;

/** What the GPU engine cannot do for this config, if anything. */
export function gpuUnsupported(config: Config): string | undefined {
  const unrepresentable = representationProblem(config, 'float32');
  if (unrepresentable) return unrepresentable;
  if (config.noise.correlationLength === 0) return undefined;
  const condition = noiseCondition(noisePower(config));
  if (condition >= MIN_GPU_NOISE_CONDITION) return undefined;
  return (
    `the noise covariance's smallest/largest eigenvalue ratio is ${condition.toExponential(2)}, below the ${MIN_GPU_NOISE_CONDITION.toExponential()} ` +
    `that float32 can invert for the entropy estimator; set noise.whiteFraction ≥ ${whiteFloorFor(config, MIN_GPU_NOISE_CONDITION).toPrecision(2)} ` +
    `or use the CPU engine (float64)`
  );
}
