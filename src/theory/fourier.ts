import type { Config } from '../config/schema.js';
import { gridOf } from '../config/geometry.js';
import { cellSize } from '../model/kernels.js';
import { noisePower } from '../model/noise-spectrum.js';
import { linearModes, uniformDiffusion, type Modes } from './modes.js';
import { stabilityOf, type Stability } from './stability.js';

/**
 * Spec §5 for the linear, translation-invariant discrete system, mode by mode.
 * Rates are in nats per unit time for the whole n×n field (k_B = 1); densities
 * divide by the area L².
 */
export interface FourierTheory {
  stability: Stability;
  /** σ = Σ_k (Im a_k)²/Re a_k: the continuous-time rate (null when not stable). */
  eprContinuous: number | null;
  /** σ_dt = Σ_k (Im a_k)²/(Re a_k − dt|a_k|²/2): the exact rate of the Euler–Maruyama chain. */
  eprDiscrete: number | null;
  densityContinuous: number | null;
  densityDiscrete: number | null;
  /** Stationary variance of one cell of the discrete chain. */
  cellVariance: number | null;
  /** The summands of eprContinuous and eprDiscrete, per mode (index p + n·q). */
  spectrum: { continuous: Float64Array; discrete: Float64Array };
  modes: Modes;
}

export function fourierTheory(config: Config): FourierTheory {
  const modes = linearModes(config);
  const D = uniformDiffusion(config);
  const { aRe, aIm } = modes;
  const stability = stabilityOf(modes, config.dt);
  const dt = config.dt;
  const cellArea = gridOf(config).area;
  const q = noisePower(config);
  const continuous = new Float64Array(aRe.length);
  const discrete = new Float64Array(aRe.length);
  let sc = 0;
  let sd = 0;
  let variance = 0;
  for (let k = 0; k < aRe.length; k++) {
    const im2 = aIm[k] * aIm[k];
    const damping = aRe[k] - (dt * (aRe[k] * aRe[k] + im2)) / 2;
    continuous[k] = im2 / aRe[k];
    discrete[k] = im2 / damping;
    sc += continuous[k];
    sd += discrete[k];
    variance += ((D / cellArea) * q[k]) / damping;
  }
  const area = gridOf(config).domain;
  const okC = stability.continuous.stable;
  const okD = okC && stability.discrete.stable;
  return {
    stability,
    eprContinuous: okC ? sc : null,
    eprDiscrete: okD ? sd : null,
    densityContinuous: okC ? sc / area : null,
    densityDiscrete: okD ? sd / area : null,
    cellVariance: okD ? variance / aRe.length : null,
    spectrum: { continuous, discrete },
    modes,
  };
}
