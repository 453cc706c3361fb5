import type { Config } from '../config/schema.js';
import { kernelStencil } from '../model/kernels.js';
import { maxGain } from '../model/transfer.js';
import { stencilSpectrum } from '../numeric/fft2.js';
import { linearSlope, modeLabel, modesForSlope, type Modes } from './modes.js';
import { sig6 as fmt } from '../config/errors.js';

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
export function stabilityOf(modes: Modes, dt: number): Stability {
  const { n, aRe, aIm } = modes;
  let cWorst = 0;
  let dWorst = -1;
  let dtMax = Infinity;
  for (let k = 0; k < aRe.length; k++) {
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
 * and Euler–Maruyama must be stable (docs/model.md §5). Nonlinear transfers saturate,
 * so modes that grow at the uniform state (a bump forming) are allowed, and the
 * linearisation's gain moves over [0, max f′] from cell to cell; there the step
 * must resolve the fastest linear time scale: dt·|a_k| ≤ 1 for every mode at
 * every gain. |a_k| is convex in the gain, so the two ends of the range suffice.
 */
export function instabilityReason(config: Config): string | undefined {
  const kernel = stencilSpectrum(config.grid.n, kernelStencil(config));
  const t = config.transfer;
  if (t.type === 'linear') {
    const s = stabilityOf(modesForSlope(config, linearSlope(config), kernel), config.dt);
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
  let fastest = { rate: 0, gain: 0, k: 0 };
  for (const gain of [0, maxGain(t)]) {
    const { aRe, aIm } = modesForSlope(config, gain, kernel);
    for (let k = 0; k < aRe.length; k++) {
      const rate = Math.hypot(aRe[k], aIm[k]);
      if (rate > fastest.rate) fastest = { rate, gain, k };
    }
  }
  if (config.dt * fastest.rate <= 1) return undefined;
  return (
    `dt = ${fmt(config.dt)} is too coarse for the nonlinear dynamics: mode (p, q) = (${modeLabel(config.grid.n, fastest.k).join(', ')}) ` +
    `linearised at gain f′ = ${fmt(fastest.gain)} has |a_k| = ${fmt(fastest.rate)} (allowed: dt ≤ 1/max|a_k| = ${fmt(1 / fastest.rate)})`
  );
}

function dtReason(dt: number, s: Stability): string {
  const w = s.discrete.worst;
  return (
    `dt = ${fmt(dt)} makes Euler–Maruyama unstable: mode (p, q) = (${w.mode.join(', ')}) has ` +
    `Re a_k − dt|a_k|²/2 = ${fmt(w.margin)} ≤ 0 (allowed: dt < ${fmt(s.discrete.dtMax)})`
  );
}
