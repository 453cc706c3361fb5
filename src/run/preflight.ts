import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { noiseCondition, noisePower } from '../theory/modes.js';
import { instabilityReason } from '../theory/stability.js';

/**
 * Smallest allowed ratio of the noise covariance's smallest to largest
 * eigenvalue. The correlated-noise estimator divides each mode by |Ĝ_k|²; below
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

/**
 * The smallest noise.whiteFraction w that lifts the spectrum's ratio to
 * `target`: with p = |Ĝ_k|², ((1 − w)p_min + w)/((1 − w)p_max + w) ≥ target.
 */
export function whiteFloorFor(config: Config, target: number): number {
  const raw = noisePower({ ...config, noise: { ...config.noise, whiteFraction: 0 } });
  // Both extremes enter; the largest is |Ĝ_0|² ≈ 1 for a normalised filter but is not assumed.
  const b = raw.reduce((m, p) => Math.max(m, p), 0);
  const a = noiseCondition(raw) * b;
  return Math.max(0, (target * b - a) / (1 - a - target + target * b));
}
