import { kernelSpectrum } from '../model/kernel-spectrum.js';
import type { Config } from '../config/schema.js';
import { sig6 as fmt } from '../config/errors.js';
import { uniformFixedPoints, type UniformFixedPoint } from '../model/fixed-points.js';
import { kernelStencil } from '../model/kernels.js';
import { stencilSum } from '../model/stencil.js';
import { modesForSlope, TheoryNotApplicable } from './modes.js';
import { stabilityOf, type Stability } from './stability.js';

/**
 * The theory of a nonlinear (sigmoid or tanh) field linearised at a uniform
 * fixed point u*: f(u) ≈ f(u*) + f′(u*)(u − u*), i.e. the linear field of
 * docs/model.md §5 with slope f′(u*) and input u*(1 − f′(u*)·S), whose fixed
 * point is u* again (S = Σ W). Its modes are a_k = (1 − f′(u*)·Ŵ_k)/τ; it is a
 * stationary theory only where every Re a_k > 0 (and Euler–Maruyama is stable).
 *
 * For a symmetric kernel the linearisation at a uniform state is symmetric,
 * A = (I − f′(u*) K)/τ: σ = 0 exactly. The nonlinear field is out of
 * equilibrium only through its fluctuations (f′ varies with u), so its rate
 * tends to 0 with the noise. Around a non-uniform state (a bump, or the fixed
 * point of a field with an input map) the linearised coupling K·diag(f′(u*(x)))
 * is not symmetric: see ./bump.ts.
 */

/** A uniform fixed point with its stability in every Fourier mode. */
export interface ClassifiedFixedPoint extends UniformFixedPoint {
  /** Re a_k > 0 for every k: linearly stable in continuous time. */
  stable: boolean;
  /** Both stability tests of docs/model.md §5 for the linearisation, with the worst modes. */
  stability: Stability;
}

export interface UniformLinearisation {
  about: 'uniform fixed point';
  /** The chosen u*: the lowest fixed point stable to uniform perturbations (the one `initial: fixed-point` starts from). */
  fixedPoint: number;
  /** f′(u*). */
  slope: number;
  /** Every uniform fixed point, lowest first, classified. */
  fixedPoints: ClassifiedFixedPoint[];
  /** The equivalent linear config: transfer linear with slope f′(u*), input u*(1 − f′(u*)·S); its theory (./linear.ts) is that of the linearisation. */
  config: Config;
  /** Why the linearisation has no stationary state (a growing mode, or an unstable Euler–Maruyama step); undefined when it has one. */
  unstable?: string;
}

/** True for sigmoid and tanh: transfers whose theory is that of a linearisation. */
export function isNonlinear(config: Config): boolean {
  return config.transfer.type !== 'linear';
}

/** Every uniform fixed point of the config, classified by the uniform mode and by every Fourier mode. */
export function classifyFixedPoints(config: Config): ClassifiedFixedPoint[] {
  const kernel = kernelSpectrum(config);
  return uniformFixedPoints(config).map((p) => {
    const stability = stabilityOf(modesForSlope(config, p.slope, kernel), config.dt);
    return { ...p, stable: stability.continuous.stable, stability };
  });
}

/** The linear config equivalent to linearising `config` at the uniform state u with slope f′(u). */
export function linearisedConfig(config: Config, u: number, slope: number): Config {
  const S = stencilSum(kernelStencil(config));
  return {
    ...config,
    transfer: { type: 'linear', slope },
    input: u * (1 - slope * S),
    initial: { type: 'fixed-point' },
  };
}

/** One line per fixed point, for messages and the CLI. */
export function describeFixedPoint(p: ClassifiedFixedPoint): string {
  const c = p.stability.continuous;
  const modes = p.stable
    ? `stable in every mode (worst (${c.worst.mode.join(', ')}): Re a_k = ${fmt(c.worst.margin)})`
    : `unstable: mode (${c.worst.mode.join(', ')}) has Re a_k = ${fmt(c.worst.margin)} ≤ 0`;
  const uniform = p.uniformStable ? 'stable' : 'unstable';
  return `u* = ${fmt(p.u)}, f′(u*) = ${fmt(p.slope)}, S·f′ = ${fmt(p.uniformGain)} (${uniform} to uniform perturbations); ${modes}`;
}

/**
 * The linearisation of a sigmoid or tanh config at its chosen uniform fixed
 * point (linearTheory in ./linear.ts computes its rates). Throws TheoryNotApplicable for a linear config (its own theory is
 * exact) and, listing every fixed point found, where no uniform fixed point is
 * stable to uniform perturbations.
 */
export function uniformLinearisation(config: Config): UniformLinearisation {
  if (!isNonlinear(config)) throw new TheoryNotApplicable('the transfer is linear: its Fourier theory is exact, not a linearisation');
  const fixedPoints = classifyFixedPoints(config);
  const chosen = fixedPoints.find((p) => p.uniformStable);
  if (!chosen) {
    const found = fixedPoints.length ? fixedPoints.map((p) => `  ${describeFixedPoint(p)}`).join('\n') : '  none';
    throw new TheoryNotApplicable(
      `no uniform fixed point is stable to uniform perturbations (S·f′(u*) < 1), so there is no state to linearise at; found:\n${found}`,
    );
  }
  return {
    about: 'uniform fixed point',
    fixedPoint: chosen.u,
    slope: chosen.slope,
    fixedPoints,
    config: linearisedConfig(config, chosen.u, chosen.slope),
    unstable: unstableReason(config, chosen, fixedPoints),
  };
}

function unstableReason(config: Config, chosen: ClassifiedFixedPoint, all: ClassifiedFixedPoint[]): string | undefined {
  const { continuous: c, discrete: d } = chosen.stability;
  const at = `the linearisation at u* = ${fmt(chosen.u)} (f′(u*) = ${fmt(chosen.slope)})`;
  if (!c.stable) {
    const other = all.find((p) => p.stable);
    return (
      `no stationary linear theory: ${at} has a growing mode (p, q) = (${c.worst.mode.join(', ')}) with Re a_k = ${fmt(c.worst.margin)} ≤ 0, ` +
      `so the uniform state is unstable and the nonlinear field leaves it (patterns or bumps form and saturate)` +
      (other
        ? `; the fixed point u* = ${fmt(other.u)} is stable in every mode but is not the lowest stable to uniform perturbations`
        : `; no uniform fixed point is stable in every mode (${all.length} found)`)
    );
  }
  if (!d.stable) {
    return (
      `no stationary linear theory at dt = ${fmt(config.dt)}: Euler–Maruyama of ${at} is unstable in mode (p, q) = (${d.worst.mode.join(', ')}) ` +
      `(allowed: dt < ${fmt(d.dtMax)})`
    );
  }
  return undefined;
}
