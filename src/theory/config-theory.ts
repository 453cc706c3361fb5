import type { Config } from '../config/schema.js';
import { sig6 as fmt } from '../config/errors.js';
import { fourierTheory, type FourierTheory } from './fourier.js';
import { isNonlinear, uniformLinearisation } from './linearisation.js';
import { TheoryNotApplicable } from './modes.js';

/**
 * The closed-form numbers a run is compared with: the exact theory of a linear
 * field (docs/model.md §5), or for a sigmoid or tanh field the theory of its
 * linearisation, marked as such.
 */

/** What a nonlinear field's theory was linearised about. */
export interface LinearisationNote {
  about: 'uniform fixed point';
  /** u*. */
  fixedPoint: number;
  /** f′(u*). */
  slope: number;
  /** One sentence for people. */
  text: string;
}

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

function numbers(t: FourierTheory): ClosedFormTheory {
  return {
    eprContinuous: t.eprContinuous,
    eprDiscrete: t.eprDiscrete,
    densityDiscrete: t.densityDiscrete,
    cellVariance: t.cellVariance,
  };
}
