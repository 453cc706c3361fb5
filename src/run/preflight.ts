import { ConfigError } from '../config/errors.js';
import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { noiseCondition, noisePower, whiteFloorFor } from '../model/noise-spectrum.js';
import { sig6 as fmt } from '../config/errors.js';
import { fieldArray } from '../config/maps.js';
import { DENSE_MAX_CELLS, denseContinuousStability, denseDiscreteStability } from '../theory/dense.js';
import { fourierBlocksContinuousStability, fourierBlocksDiscreteStability, fourierBlocksUnavailable } from '../theory/fourier-blocks.js';
import { instabilityReason } from '../theory/stability.js';
import { representationProblem } from '../engine/representable.js';

/**
 * Smallest allowed ratio of the noise covariance's smallest to largest
 * eigenvalue. The correlated-noise estimator divides each mode by (1 − w)|Ĝ_k|² + w; below
 * this, float64 rounding in Δ = u_{n+1} − u_n is amplified past the signal.
 */
export const MIN_NOISE_CONDITION = 1e-10;

/**
 * Refuses, before anything runs, a configuration whose run would diverge or whose estimate would be noise.
 * Its numbers first: whether float64 (the CPU engine) can carry them (../engine/representable.ts); the
 * GPU engine's float32 is checked where the backend is chosen (gpuUnsupported).
 */
export function assertRunnable(config: Config): void {
  const unrepresentable = representationProblem(config, 'float64');
  if (unrepresentable) throw new ConfigError([unrepresentable]);
  const t = config.transfer;
  const reason = t.type === 'linear' && typeof t.slope !== 'number' ? slopeMapInstability(config) : instabilityReason(config);
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
 * Why a linear field with a slope map (docs/model.md §8) cannot run, or undefined
 * (instabilityReason covers every other config). The Euler–Maruyama chain is
 * stable iff the spectral radius of M = I − dt·A is below 1 (which implies
 * Re λ(A) > 0): for maps along one axis the Fourier blocks decide it up to 256²,
 * for other maps the dense matrices up to DENSE_MAX_CELLS cells (32², a 64 × 16
 * rectangle, a ring of 1024: the matrices are N × N whatever the shape). Beyond, no check is affordable:
 * the uniform fields at the map's smallest and largest slopes must both be
 * stable (necessary for a slowly varying map, not a proof).
 */
function slopeMapInstability(config: Config): string | undefined {
  const t = config.transfer;
  if (t.type !== 'linear' || typeof t.slope === 'number') return undefined;
  const blocks = fourierBlocksUnavailable(config) === undefined;
  if (blocks || gridOf(config).cells <= DENSE_MAX_CELLS) {
    const d = blocks ? fourierBlocksDiscreteStability(config) : denseDiscreteStability(config);
    if (d.stable) return undefined;
    const c = blocks ? fourierBlocksContinuousStability(config) : denseContinuousStability(config);
    if (!c.stable) {
      return (
        `the linear field with its transfer.slope map has no stationary state: some eigenvalue of A = (I − K·diag(slope))/τ ` +
        `has Re ≤ 0 (its Cayley transform has spectral radius ${fmt(c.cayleyRadius)}; allowed: < 1; lower the slope map or the kernel amplitude)`
      );
    }
    return (
      `dt = ${fmt(config.dt)} makes Euler–Maruyama unstable for the transfer.slope map: M = I − dt·A has spectral radius ` +
      `${fmt(d.spectralRadius)} (allowed: < 1; a smaller dt)`
    );
  }
  const slopes = fieldArray(config, 'transfer.slope');
  const ends = slopes.reduce((e, s) => [Math.min(e[0], s), Math.max(e[1], s)], [Infinity, -Infinity]);
  for (const [slope, which] of [[ends[0], 'smallest'], [ends[1], 'largest']] as const) {
    const reason = instabilityReason({ ...config, transfer: { type: 'linear', slope } });
    if (reason) return `transfer.slope map, at its ${which} slope ${fmt(slope)}: ${reason}`;
  }
  return undefined;
}
