import { ConfigError } from '../config/errors.js';
import type { Config } from '../config/schema.js';
import { noisePower } from '../theory/modes.js';
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
    const power = noisePower(config);
    let lo = Infinity;
    let hi = 0;
    for (const p of power) {
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
    if (!(lo / hi >= MIN_NOISE_CONDITION)) {
      throw new ConfigError([
        `noise.correlationLength: got ${config.noise.correlationLength}, which makes the noise covariance's smallest/largest ` +
          `eigenvalue ratio ${(lo / hi).toExponential(2)}; allowed: ≥ ${MIN_NOISE_CONDITION} (the entropy estimator inverts it; ` +
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
  let a = Infinity;
  let b = 0;
  for (const p of raw) {
    a = Math.min(a, p);
    b = Math.max(b, p);
  }
  return Math.max(0, (target * b - a) / (1 - a - target + target * b));
}
