import type { Config } from '../config/schema.js';
import { kernelStencil } from '../model/kernels.js';
import { maxGain } from '../model/transfer.js';
import { stencilSpectrum } from '../numeric/fft2.js';
import { modeLabel, modesForSlope, type Modes } from './modes.js';

/** The worst mode of a stability test: its (p, q), and the margin that must be > 0. */
export interface WorstMode {
  mode: [number, number];
  margin: number;
}

export interface Stability {
  /** Re a_k > 0 for every k. */
  continuous: { stable: boolean; worst: WorstMode };
  /** |1 − dt·a_k| < 1 for every k, i.e. Re a_k − dt|a_k|²/2 > 0. */
  discrete: { stable: boolean; worst: WorstMode; dtMax: number };
}

/** Spec §5's two stability conditions, and the largest dt for which Euler–Maruyama is stable. */
export function stabilityOf(modes: Modes, dt: number, include: (k: number) => boolean = () => true): Stability {
  const { n, aRe, aIm } = modes;
  let cWorst = 0;
  let dWorst = -1;
  let dtMax = Infinity;
  for (let k = 0; k < aRe.length; k++) {
    if (!include(k)) continue;
    const abs2 = aRe[k] * aRe[k] + aIm[k] * aIm[k];
    if (aRe[k] < aRe[cWorst]) cWorst = k;
    if (dWorst < 0 || emMargin(modes, k, dt) < emMargin(modes, dWorst, dt)) dWorst = k;
    if (abs2 > 0) dtMax = Math.min(dtMax, (2 * aRe[k]) / abs2);
  }
  if (dWorst < 0) dWorst = 0;
  const dMargin = emMargin(modes, dWorst, dt);
  return {
    continuous: { stable: aRe[cWorst] > 0, worst: { mode: modeLabel(n, cWorst), margin: aRe[cWorst] } },
    discrete: { stable: dMargin > 0, worst: { mode: modeLabel(n, dWorst), margin: dMargin }, dtMax: Math.max(dtMax, 0) },
  };
}

function emMargin(modes: Modes, k: number, dt: number): number {
  return modes.aRe[k] - (dt * (modes.aRe[k] ** 2 + modes.aIm[k] ** 2)) / 2;
}

/**
 * Why a configuration cannot be run, or undefined when it can.
 *
 * Linear transfer: the field must have a stationary state (every Re a_k > 0)
 * and Euler–Maruyama must be stable. Nonlinear transfers saturate, so modes
 * that grow at the uniform state (a bump forming) are allowed; but dt must be
 * stable for the linearisation at every gain the transfer can take, 0 to max f′,
 * for each mode that is damped at that gain.
 */
export function instabilityReason(config: Config): string | undefined {
  const kernel = stencilSpectrum(config.grid.n, kernelStencil(config));
  const t = config.transfer;
  if (t.type === 'linear') {
    const s = stabilityOf(modesForSlope(config, t.slope, kernel), config.dt);
    if (!s.continuous.stable) {
      const w = s.continuous.worst;
      return (
        `the linear field has no stationary state: mode (p, q) = (${w.mode.join(', ')}) has Re a_k = ${fmt(w.margin)} ≤ 0 ` +
        `(allowed: Re a_k > 0 for every mode; lower transfer.slope or the kernel amplitude)`
      );
    }
    if (!s.discrete.stable) return dtReason(config.dt, s);
    return undefined;
  }
  const gmax = maxGain(t);
  let worst: { gain: number; s: Stability } | undefined;
  for (let j = 0; j <= 16; j++) {
    const gain = (gmax * j) / 16;
    const modes = modesForSlope(config, gain, kernel);
    // Euler–Maruyama cannot damp what the dynamics amplify: only damped modes constrain dt.
    const s = stabilityOf(modes, config.dt, (k) => modes.aRe[k] > 0);
    if (!s.discrete.stable && (!worst || s.discrete.dtMax < worst.s.discrete.dtMax)) worst = { gain, s };
  }
  return worst && `${dtReason(config.dt, worst.s)} (linearised at gain f′ = ${fmt(worst.gain)})`;
}

function dtReason(dt: number, s: Stability): string {
  const w = s.discrete.worst;
  return (
    `dt = ${fmt(dt)} makes Euler–Maruyama unstable: mode (p, q) = (${w.mode.join(', ')}) has ` +
    `Re a_k − dt|a_k|²/2 = ${fmt(w.margin)} ≤ 0 (allowed: dt < ${fmt(s.discrete.dtMax)})`
  );
}

function fmt(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}
