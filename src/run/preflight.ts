import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { noiseCondition, noisePower, whiteFloorFor } from '../model/noise-spectrum.js';
import { instabilityReason } from '../theory/stability.js';

/**
 * Smallest allowed ratio of the noise covariance's smallest to largest
 * eigenvalue. The correlated-noise estimator divides each mode by (1 − w)|Ĝ_k|² + w; below
 * this, float64 rounding in Δ = u_{n+1} − u_n is amplified past the signal.
 */
export const MIN_NOISE_CONDITION = 1e-10;

/** Refuses, before anything runs, a configuration whose run would diverge or whose estimate would be noise. */
export function assertRunnable(config: Config): void {
  const reason = instabilityReason(config);
  if (reason) throw new ConfigError([reason]);
  if (config.noise.correlationLength > 0) {
    const condition = noiseCondition(noisePower(config));
    if (!(condition >= MIN_NOISE_CONDITION)) {
      throw new ConfigError([
        `noise.correlationLength: got ${config.noise.correlationLength}, which makes the noise covariance's smallest/largest ` +
          `eigenvalue ratio ${condition.toExponential(2)}; allowed: ≥ ${MIN_NOISE_CONDITION} (the entropy estimator inverts it; ` +
          `set noise.whiteFraction ≥ ${whiteFloorFor(config, MIN_NOISE_CONDITION).toPrecision(2)}, a shorter correlation length or a coarser grid)`,
      ]);
    }
  }
}
