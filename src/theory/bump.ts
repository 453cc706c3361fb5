import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { Config } from '../config/schema.js';
import { sig6 as fmt } from '../config/errors.js';
import { denseCoupling, isSymmetricStencil, stationaryState, type StationaryOptions, type StationaryState } from '../model/bump.js';
import { cellSize, kernelStencil } from '../model/kernels.js';
import { DENSE_MAX_N, denseTheory, type DenseTheory } from './dense.js';

/**
 * A stationary bump u*(x) of a sigmoid or tanh field (src/model/bump.ts) and
 * the theory of its linearisation: a linear field with the gain map
 * g(x) = f′(u*(x)),
 *
 *   A = (I − K·diag(g))/τ,
 *
 * stable iff every eigenvalue of A has Re > 0. Its σ and σ_dt are the dense
 * formulas of docs/model.md §5/§8 with that slope map. For a symmetric kernel
 * K·diag(g) is not symmetric where g varies, so the linearised bump is out of
 * equilibrium (A𝒟 ≠ 𝒟Aᵀ with uniform noise), and the entropy is produced
 * where g varies: at the bump's edge.
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
  const n = config.grid.n;
  const N = n * n;
  const stencil = kernelStencil(config);
  const symmetric = isSymmetricStencil(stencil) && slope.every((g) => g >= 0);
  if (N > (symmetric ? SYMMETRIC_EIGEN_MAX_CELLS : EIGEN_MAX_CELLS)) return undefined;
  const K = denseCoupling(n, stencil);
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

/**
 * Where in the field the linearisation's entropy is produced: per cell, the
 * stationary mean of docs/model.md §4's s_i per unit time for white noise,
 *
 *   σ_i = [dt·(A C (I + M)ᵀ Aᵀ)_ii − (A Q)_ii] / q_i,     Σ_i σ_i = σ_dt,
 *
 * with M = I − dt A, Q = diag(q), q_i = 2 dt D_i/a, C = M C Mᵀ + Q (Smith's
 * doubling). (From s_i = (a/2D_i)[Δ_i(F_i + F′_i) + (dt/2)(F′_i² − F_i²)] with
 * F = −A v, Δ = v′ − v = −dt A v + η: the dt/2 term has mean 0 in a stationary
 * state and the noise η of the step is independent of v.) Null when the chain
 * has no stationary state.
 */
export function localRate(config: Config, slope: ArrayLike<number>, diffusion?: ArrayLike<number>): Float64Array | null {
  if (config.noise.correlationLength > 0) throw new Error('the per-cell split of the linearised rate is written for white noise');
  const n = config.grid.n;
  const N = n * n;
  const { dt, tau } = config;
  const a = cellSize(config) ** 2;
  const D = (i: number) => (diffusion ? diffusion[i] : (config.noise.amplitude as number));
  const K = denseCoupling(n, kernelStencil(config));
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) A[i * N + j] = ((i === j ? 1 : 0) - K[i * N + j] * slope[j]) / tau;
  }
  const M = new Float64Array(N * N);
  for (let k = 0; k < N * N; k++) M[k] = -dt * A[k];
  for (let i = 0; i < N; i++) M[i * N + i] += 1;
  const q = Float64Array.from({ length: N }, (_, i) => (2 * dt * D(i)) / a);
  const C = steinDiagonalNoise(M, q, N);
  if (!C) return null;
  // X = A C (I + M)ᵀ Aᵀ: only its diagonal, (A C (I+M)ᵀ)_i · A_i.
  const IM = M.slice();
  for (let i = 0; i < N; i++) IM[i * N + i] += 1;
  const AC = matmul(A, C, N);
  const ACIMt = matmulTransposed(AC, IM, N);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let x = 0;
    for (let k = 0; k < N; k++) x += ACIMt[i * N + k] * A[i * N + k];
    const aq = A[i * N + i] * q[i];
    out[i] = (dt * x - aq) / q[i];
  }
  return out;
}

/** C = M C Mᵀ + diag(q) by Smith's doubling; null when M^(2^k) does not vanish (no stationary state). */
function steinDiagonalNoise(M: Float64Array, q: Float64Array, N: number): Float64Array | null {
  let C: Float64Array = new Float64Array(N * N);
  for (let i = 0; i < N; i++) C[i * N + i] = q[i];
  let P: Float64Array = M.slice();
  for (let k = 0; k < 64; k++) {
    const PC = matmul(P, C, N);
    const next = matmulTransposed(PC, P, N);
    for (let i = 0; i < N * N; i++) next[i] += C[i];
    C = next;
    P = matmul(P, P, N);
    let norm = 0;
    for (let i = 0; i < N * N; i++) norm += P[i] * P[i];
    if (norm < 1e-20) return C;
    if (!(norm < 1e150)) return null;
  }
  return null;
}

/** X Y for row-major N×N. */
function matmul(X: Float64Array, Y: Float64Array, N: number): Float64Array {
  const out = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    const o = i * N;
    for (let k = 0; k < N; k++) {
      const x = X[o + k];
      if (x === 0) continue;
      const y = k * N;
      for (let j = 0; j < N; j++) out[o + j] += x * Y[y + j];
    }
  }
  return out;
}

/** X Yᵀ for row-major N×N. */
function matmulTransposed(X: Float64Array, Y: Float64Array, N: number): Float64Array {
  const out = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += X[i * N + k] * Y[j * N + k];
      out[i * N + j] = s;
    }
  }
  return out;
}

export interface BumpLinearisation {
  kind: 'bump';
  /** u*(x), f′(u*(x)), the residual. */
  state: StationaryState;
  /** Undefined where the grid is too large for the eigenvalues. */
  stability: BumpStability | undefined;
  /** The dense theory of the linearisation (σ, σ_dt, variance, detailed balance); null with `unavailable` saying why. */
  theory: DenseTheory | null;
  /** Per cell, the linearisation's σ_dt split (nats per unit time; sums to σ_dt); null where `theory` is. */
  local: Float64Array | null;
  /** Why there are no rates: not converged, unstable, neutral, or a grid too large. */
  unavailable?: string;
}

/**
 * The stationary bump from the config's bump initial condition (or
 * options.start), and the theory of its linearisation where it exists.
 * `options.input` is the input field h(x) (until input maps are in the
 * config: the map that pins the bump).
 */
export function bumpLinearisation(config: Config, options: StationaryOptions & { neutralTolerance?: number } = {}): BumpLinearisation {
  const state = stationaryState(config, options);
  const n = config.grid.n;
  const fail = (stability: BumpStability | undefined, unavailable: string): BumpLinearisation => ({
    kind: 'bump',
    state,
    stability,
    theory: null,
    local: null,
    unavailable,
  });
  if (!state.converged) {
    const travels = !isSymmetricStencil(kernelStencil(config));
    return fail(
      undefined,
      `no stationary state found: Newton's method from the bump initial condition stopped after ${state.iterations} iterations ` +
        `with max|−u + K f(u) + h| = ${fmt(state.residual)}` +
        (travels ? ' (the kernel is asymmetric: a bump travels along the shift rather than stays)' : ''),
    );
  }
  const stability = bumpStability(config, state.slope, options.neutralTolerance);
  if (!stability) {
    return fail(undefined, `the stationary state's stability needs a dense eigenproblem of n² = ${n * n} cells (at most ${EIGEN_MAX_CELLS}, or ${SYMMETRIC_EIGEN_MAX_CELLS} for a symmetric kernel)`);
  }
  const input = options.input;
  const pinned = input !== undefined && input.some((v) => v !== input[0]);
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
        `below ${fmt(options.neutralTolerance ?? NEUTRAL_TOLERANCE)} × the largest, ${fmt(stability.largest)}): on the unpinned torus ` +
        `the bump is free to translate and diffuses; an input map with a bump of its own pins it`,
    );
  }
  if (n > DENSE_MAX_N) {
    return fail(stability, `the dense theory of the linearisation needs grid.n ≤ ${DENSE_MAX_N} (got ${n}): its matrices are n² × n²`);
  }
  const linear: Config = { ...config, transfer: { type: 'linear', slope: 1 } };
  const theory = denseTheory(linear, { slope: state.slope });
  return { kind: 'bump', state, stability, theory, local: localRate(config, state.slope) };
}
