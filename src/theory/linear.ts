import { cellSize } from '../model/kernels.js';
import { gridOf } from '../config/geometry.js';
import { sig6 as fmt } from '../config/errors.js';
import { isMap, mappedFields } from '../config/maps.js';
import type { Config } from '../config/schema.js';
import { stationaryLinearisation, type StateLinearisation } from './bump.js';
import { denseTheory, denseUnavailable, EQUILIBRIUM_TOLERANCE, type DenseStability, type DenseTheory } from './dense.js';
import { fourierTheory, type FourierTheory } from './fourier.js';
import { uniformLinearisation, type UniformLinearisation } from './linearisation.js';
import { FOURIER_BLOCKS_MAX_N, fourierBlocksTheory, fourierBlocksUnavailable, mapAxis, type FourierBlocksStability, type FourierBlocksTheory } from './fourier-blocks.js';
import type { Stability } from './stability.js';
import { noisePower } from '../model/noise-spectrum.js';
import { theoryMaps, TheoryNotApplicable, uniformDiffusion } from './modes.js';

/**
 * The closed-form theory a run is compared with: one function of the config,
 * `linearTheory`, for every transfer.
 *
 * - Linear transfer: the exact theory, whichever applies: the Fourier theory of
 *   docs/model.md §5 for uniform configs (an input map included: it only moves
 *   the fixed point); the Fourier-block theory for noise-amplitude and slope
 *   maps that vary along one axis only (stripes, tilts), up to 256²; the dense
 *   theory of §5 and §8 for other maps up to 32². One-axis maps take the blocks
 *   at every size, 16² included: they give the dense theory's numbers to
 *   rounding (test/theory/fourier-blocks.test.ts) in a small fraction of its time.
 * - Sigmoid or tanh: the theory of a linearisation, with `linearisation` saying
 *   about what. From `initial: bump`, or with an input map, about the
 *   stationary state u*(x) Newton's method reaches (./bump.ts): the dense theory
 *   with the gain map f′(u*(x)). Otherwise at the chosen uniform fixed point u*
 *   (./linearisation.ts): the exact theory of the linear config with slope
 *   f′(u*), Fourier or (with a noise map) Fourier blocks or dense.
 *
 * Every result reports whether the stationary state is an equilibrium,
 * A𝒟 = 𝒟Aᵀ, with the relative residual ‖A𝒟 − 𝒟Aᵀ‖_F/‖A𝒟‖_F, and its
 * local density. Anything else throws TheoryNotApplicable with the reason; a
 * linearisation without a stationary state throws LinearisationUnavailable,
 * which carries the linearisation (its fixed points, or its Newton solution
 * and eigenvalues) for the report.
 */
export type LinearTheory =
  | (Rates & { method: 'fourier'; stability: Stability; fourier: FourierTheory })
  | (Rates & { method: 'fourier-blocks'; stability: FourierBlocksStability; blocks: FourierBlocksTheory })
  | (Rates & { method: 'dense'; stability: DenseStability; dense: DenseTheory });


interface Rates {
  eprContinuous: number | null;
  eprDiscrete: number | null;
  densityContinuous: number | null;
  densityDiscrete: number | null;
  /** Mean stationary variance per cell. */
  cellVariance: number | null;
  equilibrium: boolean;
  equilibriumResidual: number;
  /** The maps that made it dense (noise.amplitude, transfer.slope); empty for Fourier. */
  maps: string[];
  /**
   * Per cell, the stationary mean of the estimator's s_i per unit time and area
   * (the theory's local density, docs/model.md §8): uniform σ_dt/L² for Fourier.
   */
  localDensity(): Float64Array | null;
  /** For a sigmoid or tanh field: what its theory was linearised about. Absent for a linear field (its theory is exact). */
  linearisation?: Linearisation;
}

/** What a nonlinear field's theory was linearised about. */
export type Linearisation = UniformLinearisation | StateLinearisation;

/** A linearisation with no stationary state (a growing or neutral mode, no converged state): why, and the linearisation. */
export class LinearisationUnavailable extends TheoryNotApplicable {
  constructor(
    reason: string,
    readonly linearisation: Linearisation,
  ) {
    super(reason);
    this.name = 'LinearisationUnavailable';
  }
}

/** The linearisation in a few numbers, for summary.json and the run's report. */
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
      about: 'stationary bump' | 'stationary state';
      converged: boolean;
      /** max|−u* + K f(u*) + h| of the Newton solution. */
      residual: number;
      iterations: number;
      /** The smallest Re λ of A = (I − K·diag(f′(u*)))/τ, the slowest relaxation rate; null where not computed. */
      slowestRate: number | null;
      text: string;
    };

export function linearisationNote(lin: Linearisation): LinearisationNote {
  if (lin.about === 'uniform fixed point') {
    return {
      about: lin.about,
      fixedPoint: lin.fixedPoint,
      slope: lin.slope,
      text:
        `the linearisation at the uniform fixed point u* = ${fmt(lin.fixedPoint)} (slope f′(u*) = ${fmt(lin.slope)}): ` +
        `the nonlinear field's rate approaches it as the noise vanishes`,
    };
  }
  const { state, stability } = lin;
  const slowestRate = stability ? stability.re[0] : null;
  const what = lin.about === 'stationary bump' ? 'the stationary bump u*(x)' : 'the fixed point u*(x) of the field with its input map';
  return {
    about: lin.about,
    converged: state.converged,
    residual: state.residual,
    iterations: state.iterations,
    slowestRate,
    text:
      `the linearisation about ${what} (Newton residual ${fmt(state.residual)}` +
      `${slowestRate === null ? '' : `; slowest rate Re λ = ${fmt(slowestRate)}`}), ` +
      `a linear field with the gain map f′(u*(x)): the nonlinear field's rate approaches it as the noise vanishes`,
  };
}

/**
 * The equilibrium residual of a translation-invariant config from its modes:
 * A and 𝒟 are circulant, hence normal and simultaneously diagonal, so
 * A𝒟 − 𝒟Aᵀ has eigenvalues 2i·d_k·Im a_k and A𝒟 has d_k·a_k, d_k = (D/a)·P_k.
 */
export function fourierEquilibriumResidual(config: Config, theory: FourierTheory): number {
  const { aRe, aIm } = theory.modes;
  const d = noisePower(config).map((p) => (uniformDiffusion(config) / gridOf(config).area) * p);
  let num = 0;
  let den = 0;
  for (let k = 0; k < aRe.length; k++) {
    num += 4 * d[k] * d[k] * aIm[k] * aIm[k];
    den += d[k] * d[k] * (aRe[k] * aRe[k] + aIm[k] * aIm[k]);
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}

export function linearTheory(config: Config): LinearTheory {
  if (config.transfer.type === 'linear') return exactTheory(config);
  if (config.initial.type === 'bump' || isMap(config.input)) return stateTheory(config);
  const lin = uniformLinearisation(config);
  if (lin.unstable) throw new LinearisationUnavailable(lin.unstable, lin);
  return { ...exactTheory(lin.config), linearisation: lin };
}

/**
 * The linearisation about a stationary state u*(x) that is not uniform: the
 * dense theory with the gain map. Its cell variance (fluctuations about u*(x),
 * in `dense`) is not compared with a run's: the run's pooled variance also
 * holds the profile of u*(x).
 */
function stateTheory(config: Config): LinearTheory {
  const lin = stationaryLinearisation(config);
  const d = lin.theory;
  if (!d) throw new LinearisationUnavailable(lin.unavailable ?? 'no stationary state', lin);
  return {
    method: 'dense',
    stability: d.stability,
    dense: d,
    ...ratesOf(d, gridOf(config).domain, gridOf(config).area),
    cellVariance: null,
    maps: mappedFields(config),
    linearisation: lin,
  };
}

/**
 * Whether linearTheory(config) is the Fourier theory of modes (at once) rather
 * than one of matrices, Fourier blocks or dense (seconds at 32², for a page a
 * worker's job): not with noise or slope maps, nor for a sigmoid or tanh field
 * linearised about a state that is not uniform.
 */
export function isModeTheory(config: Config): boolean {
  if (config.transfer.type !== 'linear' && (config.initial.type === 'bump' || isMap(config.input))) return false;
  return theoryMaps(config).length === 0;
}

/** The exact theory of a linear config: Fourier, or dense for noise or slope maps. */
function exactTheory(config: Config): LinearTheory {
  const maps = theoryMaps(config);
  const N = gridOf(config).cells;
  const area = gridOf(config).domain;
  if (maps.length === 0) {
    const f = fourierTheory(config);
    const residual = fourierEquilibriumResidual(config, f);
    return {
      method: 'fourier',
      stability: f.stability,
      fourier: f,
      eprContinuous: f.eprContinuous,
      eprDiscrete: f.eprDiscrete,
      densityContinuous: f.densityContinuous,
      densityDiscrete: f.densityDiscrete,
      cellVariance: f.cellVariance,
      equilibrium: residual <= EQUILIBRIUM_TOLERANCE,
      equilibriumResidual: residual,
      maps,
      localDensity: () => (f.densityDiscrete === null ? null : new Float64Array(N).fill(f.densityDiscrete)),
    };
  }
  const cellArea = gridOf(config).area;
  const named = `${maps.join(' and ')} ${maps.length > 1 ? 'are maps' : 'is a map'}`;
  const axis = mapAxis(config);
  if (axis) {
    const why = fourierBlocksUnavailable(config);
    if (why) throw new TheoryNotApplicable(`${named} along ${axis}, and ${why}`);
    const b = fourierBlocksTheory(config);
    return {
      method: 'fourier-blocks',
      stability: b.stability,
      blocks: b,
      ...ratesOf(b, area, cellArea),
      maps,
    };
  }
  const why = denseUnavailable(config);
  if (why) {
    throw new TheoryNotApplicable(
      `${named} that ${maps.length > 1 ? 'vary' : 'varies'} along both axes (or along different ones), and ${why}; ` +
        `maps that vary along one axis only (stripes, tilts) have the Fourier-block theory up to ${FOURIER_BLOCKS_MAX_N}²`,
    );
  }
  const d = denseTheory(config);
  return {
    method: 'dense',
    stability: d.stability,
    dense: d,
    ...ratesOf(d, area, cellArea),
    maps,
  };
}

/** The rates of a dense or Fourier-block theory, per unit area where a density. */
function ratesOf(d: DenseTheory, area: number, cellArea: number): Omit<Rates, 'maps'> {
  return {
    eprContinuous: d.eprContinuous,
    eprDiscrete: d.eprDiscrete,
    densityContinuous: d.eprContinuous === null ? null : d.eprContinuous / area,
    densityDiscrete: d.eprDiscrete === null ? null : d.eprDiscrete / area,
    cellVariance: d.cellVariance,
    equilibrium: d.equilibrium,
    equilibriumResidual: d.equilibriumResidual,
    localDensity: () => (d.localDiscrete ? d.localDiscrete.map((v) => v / cellArea) : null),
  };
}
