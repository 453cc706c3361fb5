import type { Config } from '../config/schema.js';
import { sig6 as fmt } from '../config/errors.js';
import { bumpLinearisation } from './bump.js';
import { fourierTheory, type FourierTheory } from './fourier.js';
import { isNonlinear, uniformLinearisation } from './linearisation.js';
import { TheoryNotApplicable } from './modes.js';

/**
 * The closed-form numbers a run is compared with: the exact theory of a linear
 * field (docs/model.md §5), or for a sigmoid or tanh field the theory of its
 * linearisation, marked as such: about the stationary bump Newton's method
 * reaches from a bump initial condition (./bump.ts), else about the chosen
 * uniform fixed point (./linearisation.ts).
 */

/** What a nonlinear field's theory was linearised about. */
export type LinearisationNote =
  | {
      about: 'uniform fixed point';
      /** u*. */
      fixedPoint: number;
      /** f′(u*). */
      slope: number;
      /** One sentence for people. */
      text: string;
    }
  | {
      about: 'stationary bump';
      /** max|−u* + K f(u*) + h| of the Newton solution. */
      residual: number;
      /** The smallest Re λ of A = (I − K·diag(f′(u*)))/τ: the slowest relaxation rate. */
      slowestRate: number;
      /** Detailed balance of the linearisation, A𝒟 = 𝒟Aᵀ. */
      equilibrium: boolean;
      text: string;
    };

export interface ClosedFormTheory {
  eprContinuous: number | null;
  eprDiscrete: number | null;
  densityDiscrete: number | null;
  cellVariance: number | null;
  /** Present for a nonlinear field: the numbers are those of this linearisation, not of the nonlinear model. */
  linearisation?: LinearisationNote;
}

export interface ConfigTheory {
  /** The numbers, or why there are none. */
  comparison: ClosedFormTheory | { unavailable: string };
  /** The Fourier-diagonal theory behind them where there is one (σ(k) by mode). */
  fourier: FourierTheory | null;
}

export function configTheory(config: Config): ConfigTheory {
  try {
    if (!isNonlinear(config)) {
      const exact = fourierTheory(config);
      return { comparison: numbers(exact), fourier: exact };
    }
    if (config.initial.type === 'bump') return bumpTheory(config);
    const lin = uniformLinearisation(config);
    if (lin.unstable) return { comparison: { unavailable: lin.unstable }, fourier: null };
    const linearisation: LinearisationNote = {
      about: 'uniform fixed point',
      fixedPoint: lin.fixedPoint,
      slope: lin.slope,
      text:
        `the linearisation at the uniform fixed point u* = ${fmt(lin.fixedPoint)} (slope f′(u*) = ${fmt(lin.slope)}): ` +
        `the nonlinear field's rate approaches it as the noise vanishes`,
    };
    return { comparison: { ...numbers(lin.theory), linearisation }, fourier: lin.theory };
  } catch (e) {
    if (e instanceof TheoryNotApplicable) return { comparison: { unavailable: e.message }, fourier: null };
    throw e;
  }
}

/**
 * A field started from a bump: the linearisation about the stationary bump
 * that Newton's method reaches from it (dense theory with the gain map
 * f′(u*(x)), docs/model.md §8). Its cell variance is not compared: the run's
 * pooled variance includes the bump's own profile.
 */
function bumpTheory(config: Config): ConfigTheory {
  const lin = bumpLinearisation(config);
  if (!lin.theory || !lin.stability) return { comparison: { unavailable: lin.unavailable ?? 'no stationary bump' }, fourier: null };
  const t = lin.theory;
  const linearisation: LinearisationNote = {
    about: 'stationary bump',
    residual: lin.state.residual,
    slowestRate: lin.stability.re[0],
    equilibrium: t.equilibrium,
    text:
      `the linearisation about the stationary bump u*(x) (Newton residual ${fmt(lin.state.residual)}; slowest rate Re λ = ${fmt(lin.stability.re[0])}), ` +
      `a linear field with the gain map f′(u*(x)): the nonlinear field's rate approaches it as the noise vanishes`,
  };
  return {
    comparison: {
      eprContinuous: t.eprContinuous,
      eprDiscrete: t.eprDiscrete,
      densityDiscrete: t.eprDiscrete / config.grid.length ** 2,
      cellVariance: null,
      linearisation,
    },
    fourier: null,
  };
}

function numbers(t: FourierTheory): ClosedFormTheory {
  return {
    eprContinuous: t.eprContinuous,
    eprDiscrete: t.eprDiscrete,
    densityDiscrete: t.densityDiscrete,
    cellVariance: t.cellVariance,
  };
}
