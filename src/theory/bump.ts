import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { sig6 as fmt } from '../config/errors.js';
import { isMap } from '../config/maps.js';
import { bumpStart, isSymmetricStencil, stationaryState, type StationaryOptions, type StationaryState } from '../model/bump.js';
import { fixedPointField } from '../model/fixed-point.js';
import { kernelStencil } from '../model/kernels.js';
import { circulantArray } from '../model/stencil.js';
import { DENSE_MAX_CELLS, denseTheory, type DenseTheory } from './dense.js';
import { TheoryNotApplicable } from './modes.js';

/**
 * A stationary state u*(x) of a sigmoid or tanh field that is not uniform (src/model/bump.ts):
 * the bump that Newton's method reaches from `initial: bump`, or, with an input
 * map, the fixed point of the field that `initial: fixed-point` starts from
 * (fixedPointField); and the theory of its linearisation, a linear field with
 * the gain map g(x) = f′(u*(x)),
 *
 *   A = (I − K·diag(g))/τ,
 *
 * stable iff every eigenvalue of A has Re > 0. Its σ, σ_dt and their per-cell
 * split are the dense formulas of docs/model.md §5/§8 (./dense.ts) with that
 * slope map. For a symmetric kernel K·diag(g) is not symmetric where g varies,
 * so the linearised bump is out of equilibrium (A𝒟 ≠ 𝒟Aᵀ with uniform noise),
 * and the entropy is produced where g varies: at the bump's edge.
 *
 * On an unpinned torus the bump can be translated: A has a neutral pair
 * (eigenvalues ≈ 0, only the grid keeps them off 0). The fluctuations along
 * it are not bounded, the bump diffuses, and the continuous rate of the
 * linearisation is undefined. An input map with a bump of its own pins it.
 */

/** The smallest |eigenvalue| of A below this fraction of the largest marks a neutral (translation) mode. */
export const NEUTRAL_TOLERANCE = 1e-3;

/** Eigenvalues are computed densely for N = n² up to this (any kernel), and up to 1024 for a symmetric one. */
export const EIGEN_MAX_CELLS = 256;
export const SYMMETRIC_EIGEN_MAX_CELLS = 1024;

export interface BumpStability {
  /** Eigenvalues of A = (I − K·diag(g))/τ, sorted by real part. */
  re: Float64Array;
  im: Float64Array;
  /** Every Re λ > 0. */
  stable: boolean;
  /** min |λ| and max |λ|. */
  smallest: number;
  largest: number;
  /** smallest < NEUTRAL_TOLERANCE·largest: a neutral (translation) mode. */
  neutral: boolean;
  /** 'symmetric': the eigenvalues of the similar symmetric I − √g K √g (K symmetric, g > 0). */
  method: 'symmetric' | 'general';
}

/** Eigenvalues of A at a stationary state; undefined where the grid is too large for a dense eigenproblem. */
export function bumpStability(config: Config, slope: Float64Array, neutralTolerance = NEUTRAL_TOLERANCE): BumpStability | undefined {
  const grid = gridOf(config);
  const N = grid.cells;
  const stencil = kernelStencil(config);
  const symmetric = isSymmetricStencil(stencil) && slope.every((g) => g >= 0);
  if (N > (symmetric ? SYMMETRIC_EIGEN_MAX_CELLS : EIGEN_MAX_CELLS)) return undefined;
  const K = circulantArray(grid, stencil);
  const inv = 1 / config.tau;
  let re: Float64Array;
  let im: Float64Array;
  if (symmetric) {
    // A = G^{−1/2} (I − G^{1/2} K G^{1/2}) G^{1/2}/τ: the same eigenvalues, all real.
    const root = slope.map(Math.sqrt);
    const B = new Matrix(N, N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) B.set(i, j, ((i === j ? 1 : 0) - root[i] * K[i * N + j] * root[j]) * inv);
    }
    re = Float64Array.from(new EigenvalueDecomposition(B, { assumeSymmetric: true }).realEigenvalues);
    im = new Float64Array(N);
  } else {
    const A = new Matrix(N, N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) A.set(i, j, ((i === j ? 1 : 0) - K[i * N + j] * slope[j]) * inv);
    }
    const e = new EigenvalueDecomposition(A);
    re = Float64Array.from(e.realEigenvalues);
    im = Float64Array.from(e.imaginaryEigenvalues);
  }
  const order = Array.from(re.keys()).sort((a, b) => re[a] - re[b]);
  re = Float64Array.from(order, (k) => re[k]);
  im = Float64Array.from(order, (k) => im[k]);
  let smallest = Infinity;
  let largest = 0;
  for (let k = 0; k < N; k++) {
    const m = Math.hypot(re[k], im[k]);
    smallest = Math.min(smallest, m);
    largest = Math.max(largest, m);
  }
  return {
    re,
    im,
    stable: re[0] > 0,
    smallest,
    largest,
    neutral: smallest < neutralTolerance * largest,
    method: symmetric ? 'symmetric' : 'general',
  };
}

export interface StateLinearisation {
  /** 'stationary bump': from `initial: bump`; 'stationary state': the fixed point of a field with an input map. */
  about: 'stationary bump' | 'stationary state';
  /** u*(x), f′(u*(x)), the residual. */
  state: StationaryState;
  /** Undefined where the grid is too large for the eigenvalues (or Newton's method did not converge). */
  stability: BumpStability | undefined;
  /**
   * The dense theory of the linearisation (σ, σ_dt, their per-cell split
   * `localDiscrete`, variance, detailed balance); null with `unavailable` saying why.
   */
  theory: DenseTheory | null;
  /** Why there are no rates: not converged, unstable, neutral, or a grid too large. */
  unavailable?: string;
}

/**
 * The stationary state of a sigmoid or tanh field that is not uniform, and the
 * theory of its linearisation where it exists: from the config's bump initial
 * condition (or options.start), else, for a field with an input map, from its
 * fixed point (fixedPointField: Newton's method from the uniform fixed point of
 * the mean input, where `initial: fixed-point` starts).
 */
export function stationaryLinearisation(config: Config, options: StationaryOptions & { neutralTolerance?: number } = {}): StateLinearisation {
  const fromBump = options.start === undefined && config.initial.type === 'bump';
  const about = fromBump ? 'stationary bump' : 'stationary state';
  let start = options.start;
  if (!start) {
    if (fromBump) start = bumpStart(config);
    else {
      let u: number | Float64Array;
      try {
        u = fixedPointField(config);
      } catch (e) {
        throw new TheoryNotApplicable(`no stationary state to linearise about: ${(e as Error).message}`);
      }
      start = typeof u === 'number' ? new Float64Array(gridOf(config).cells).fill(u) : u;
    }
  }
  const state = stationaryState(config, { ...options, start });
  const cells = gridOf(config).cells;
  const fail = (stability: BumpStability | undefined, unavailable: string): StateLinearisation => ({
    about,
    state,
    stability,
    theory: null,
    unavailable,
  });
  if (!state.converged) {
    const travels = !isSymmetricStencil(kernelStencil(config));
    return fail(
      undefined,
      `no stationary state found: Newton's method from ${fromBump ? 'the bump initial condition' : 'the fixed point of the input map'} ` +
        `stopped after ${state.iterations} iterations with max|−u + K f(u) + h| = ${fmt(state.residual)}` +
        (travels ? ' (the kernel is asymmetric: a bump travels along the shift rather than stays)' : ''),
    );
  }
  const stability = bumpStability(config, state.slope, options.neutralTolerance);
  if (!stability) {
    return fail(undefined, `the stationary state's stability needs a dense eigenproblem of ${cells} cells (at most ${EIGEN_MAX_CELLS}, or ${SYMMETRIC_EIGEN_MAX_CELLS} for a symmetric kernel)`);
  }
  const pinned = isMap(config.input);
  if (!stability.stable && !stability.neutral) {
    return fail(
      stability,
      `the stationary state is unstable: A = (I − K·diag(f′(u*)))/τ has an eigenvalue with Re λ = ${fmt(stability.re[0])} < 0, ` +
        `so there is no stationary linear theory (the field leaves this state)` +
        (pinned ? '' : `; on an unpinned torus a small negative eigenvalue can be the bump's translation, held only by the grid: an input map with a bump pins it`),
    );
  }
  if (stability.neutral) {
    return fail(
      stability,
      `the continuous rate of the linearisation is undefined: A has a neutral mode (smallest |λ| = ${fmt(stability.smallest)}, ` +
        `below ${fmt(options.neutralTolerance ?? NEUTRAL_TOLERANCE)} × the largest, ${fmt(stability.largest)}): ` +
        (pinned
          ? 'the input map does not hold the state in place'
          : 'on the unpinned torus the bump is free to translate and diffuses; an input map with a bump of its own pins it'),
    );
  }
  if (cells > DENSE_MAX_CELLS) {
    return fail(stability, `the dense theory of the linearisation needs at most ${DENSE_MAX_CELLS} cells (got ${cells}): its matrices are N × N`);
  }
  const linear: Config = { ...config, transfer: { type: 'linear', slope: 1 } };
  return { about, state, stability, theory: denseTheory(linear, { slope: state.slope }) };
}
