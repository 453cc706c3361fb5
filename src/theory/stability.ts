import { kernelSpectrum } from '../model/kernel-spectrum.js';
import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { maxGain } from '../model/transfer.js';
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
  const { aRe, aIm } = modes;
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
    continuous: { stable: aRe[cWorst] > 0, worst: { mode: modeLabel(modes, cWorst), margin: aRe[cWorst] } },
    discrete: { stable: dMargin > 0, worst: { mode: modeLabel(modes, dWorst), margin: dMargin }, dtMax: Math.max(dtMax, 0) },
  };
}

function emMargin(modes: Modes, k: number, dt: number): number {
  return modes.aRe[k] - (dt * (modes.aRe[k] ** 2 + modes.aIm[k] ** 2)) / 2;
}

/** The binding limit on dt of a nonlinear field: one mode at one gain. */
export interface NonlinearStepLimit {
  /** The largest stable dt over every mode and gain (`dt < dtMax`, or `dt ≤ dtMax` when `kind` is 'growing'). */
  dtMax: number;
  /** The mode and gain that set it. */
  mode: [number, number];
  gain: number;
  aRe: number;
  aIm: number;
  /**
   * 'damped': Re a_k > 0, so Euler–Maruyama needs |1 − dt·a_k| < 1, dt < 2 Re a_k/|a_k|².
   * 'growing': Re a_k ≤ 0, the uniform state's own instability; dt·|a_k| ≤ 1.
   */
  kind: 'damped' | 'growing';
}

/**
 * The largest dt a nonlinear field may take, and the mode and gain that set it.
 *
 * The linearisation's gain g moves over [0, max f′] from cell to cell, and each
 * mode has a_k(g) = (1 − g·Ŵ_k)/τ, affine in g. A mode damped at both ends
 * (Re a_k > 0 at g = 0, where a_k = 1/τ, and at g = max f′) is damped at every
 * gain between, and Euler–Maruyama must damp it too: |1 − dt·a_k(g)| < 1, i.e.
 * Re a_k − dt|a_k|²/2 > 0. |1 − dt·a_k(g)|² is a convex quadratic in g (the
 * square of the modulus of a complex affine function), so its largest value on
 * [0, max f′] is at an end: checking g = 0 and g = max f′ is exact.
 *
 * A mode with Re a_k ≤ 0 at max f′ grows at the uniform state: the dynamics'
 * own instability (a bump forming), which the nonlinearity saturates. It is
 * allowed, as before, provided the step resolves its rate: dt·|a_k| ≤ 1. Such a
 * mode is damped at small gains and, when it oscillates, the chain amplifies it
 * in a band of gains just below the continuous threshold Re a_k = 0, where
 * 0 < Re a_k < dt|a_k|²/2; convexity makes that band one interval ending at the
 * threshold. It moves the threshold by O(dt) and is not refused: refusing it
 * would refuse every shifted kernel that forms bumps, at any dt.
 */
export function nonlinearStepLimit(config: Config, kernel = kernelSpectrum(config)): NonlinearStepLimit {
  const gmax = maxGain(config.transfer);
  // g = 0: a_k = 1/τ for every mode, damped; Euler–Maruyama needs dt < 2τ.
  let limit: NonlinearStepLimit = { dtMax: 2 * config.tau, mode: [0, 0], gain: 0, aRe: 1 / config.tau, aIm: 0, kind: 'damped' };
  const { aRe, aIm } = modesForSlope(config, gmax, kernel);
  for (let k = 0; k < aRe.length; k++) {
    const abs2 = aRe[k] * aRe[k] + aIm[k] * aIm[k];
    const damped = aRe[k] > 0;
    const dtMax = damped ? (2 * aRe[k]) / abs2 : 1 / Math.sqrt(abs2);
    if (dtMax < limit.dtMax) {
      limit = { dtMax, mode: modeLabel(gridOf(config), k), gain: gmax, aRe: aRe[k], aIm: aIm[k], kind: damped ? 'damped' : 'growing' };
    }
  }
  return limit;
}

/**
 * Why a configuration cannot be run, or undefined when it can.
 *
 * Linear transfer: the field must have a stationary state (every Re a_k > 0)
 * and Euler–Maruyama must be stable (docs/model.md §5). Nonlinear transfers:
 * `nonlinearStepLimit` (docs/model.md §9.5): every mode the linearisation damps
 * at every gain in [0, max f′] must be damped by the chain too; modes that grow
 * at the uniform state are allowed when dt·|a_k| ≤ 1.
 */
export function instabilityReason(config: Config): string | undefined {
  const kernel = kernelSpectrum(config);
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
  const limit = nonlinearStepLimit(config, kernel);
  const dt = config.dt;
  const mode = `mode (p, q) = (${limit.mode.join(', ')}) linearised at gain f′ = ${fmt(limit.gain)}`;
  const abs = Math.hypot(limit.aRe, limit.aIm);
  if (limit.kind === 'damped') {
    if (dt < limit.dtMax) return undefined;
    const a = `${fmt(limit.aRe)} ${limit.aIm < 0 ? '−' : '+'} ${fmt(Math.abs(limit.aIm))}i`;
    const growth = Math.hypot(1 - dt * limit.aRe, dt * limit.aIm);
    const margin = limit.aRe - (dt * abs * abs) / 2;
    return (
      `dt = ${fmt(dt)} makes Euler–Maruyama unstable for the nonlinear field: ${mode} is damped (a_k = ${a}) ` +
      `but |1 − dt·a_k| = ${fmt(growth)} > 1 (Re a_k − dt|a_k|²/2 = ${fmt(margin)} ≤ 0); ` +
      `allowed: dt < ${fmt(limit.dtMax)}, stable for every mode at every gain in [0, max f′]`
    );
  }
  if (dt <= limit.dtMax) return undefined;
  return (
    `dt = ${fmt(dt)} is too coarse for the nonlinear dynamics: ${mode} grows (Re a_k = ${fmt(limit.aRe)} < 0: ` +
    `the uniform state is unstable, as when bumps form) with |a_k| = ${fmt(abs)}; allowed: dt ≤ 1/|a_k| = ${fmt(limit.dtMax)}`
  );
}

function dtReason(dt: number, s: Stability): string {
  const w = s.discrete.worst;
  return (
    `dt = ${fmt(dt)} makes Euler–Maruyama unstable: mode (p, q) = (${w.mode.join(', ')}) has ` +
    `Re a_k − dt|a_k|²/2 = ${fmt(w.margin)} ≤ 0 (allowed: dt < ${fmt(s.discrete.dtMax)})`
  );
}
