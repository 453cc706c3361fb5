import { Matrix } from 'ml-matrix';
import { describeGrid, gridOf } from '../config/geometry.js';
import { fieldArray } from '../config/maps.js';
import type { Config } from '../config/schema.js';
import { stepCoefficients } from '../model/coefficients.js';
import { kernelStencil } from '../model/kernels.js';
import { circulantArray, type Plane, type Stencil } from '../model/stencil.js';
import { antisymmetricNorm, frobenius, identity, invert, matmul, trace, transpose } from '../numeric/dense-matrix.js';
import { FFT2 } from '../numeric/fft2.js';
import { linearSlope, TheoryNotApplicable } from './modes.js';

/**
 * docs/model.md §5's general formulas with dense N×N matrices (N = n²), for grids
 * up to 32²: they hold for maps of the noise amplitude and the slope
 * (docs/model.md §8), where Fourier modes no longer decouple, and they check the
 * Fourier theory where both apply.
 *
 *   A = (I − K·diag(slope))/τ,   𝒟 = diag(√D) [(1 − w) G Gᵀ + w I] diag(√D)/a
 *   (G = I for white noise; w = noise.whiteFraction; a = Δx² the cell area)
 *   continuous: A C + C Aᵀ = 2𝒟,      σ  = Tr(Aᵀ 𝒟⁻¹ A C) − Tr A
 *   Euler–Maruyama: M = I − dt A, Q = 2 dt 𝒟, C = M C Mᵀ + Q,
 *                   σ_dt = [½ Tr(Q⁻¹((I−M²) C (I−M²)ᵀ + M Q Mᵀ)) − N/2]/dt
 *   equilibrium iff A𝒟 = 𝒟Aᵀ
 *
 * Both rates are computed in a form free of cancellation (docs/model.md §8 derives
 * it from the two above with the Lyapunov and Stein equations):
 *
 *   σ = −½ Tr(𝒟⁻¹ A X),   X = A C − C Aᵀ,   C the continuous or the chain's covariance,
 *
 * and for the chain its per-cell terms σ_i = −½(𝒟⁻¹ A X)_ii are the stationary
 * mean of the estimator's per-cell s_i (docs/model.md §4 and §8) per unit time: the
 * theory's local density, Σ_i σ_i = σ_dt. Stein equations are solved by Smith's doubling,
 * C ← C + P C Pᵀ, P ← P² from C = Q, P = M, whose powers P = M^(2^k) also decide
 * stability: they vanish iff the spectral radius of M is below 1. The
 * continuous equation goes through the Cayley transform
 * (I + hA) C (I + hA)ᵀ = (I − hA) C (I − hA)ᵀ + 4h𝒟, stable iff every eigenvalue
 * of A has Re > 0.
 */

/** The largest grid.n of the dense theory: N = n² = 1024 unknowns per row of C. */
export const DENSE_MAX_N = 32;
/** The most cells the dense theory takes: DENSE_MAX_N² (a 32² grid, a 64 × 16 rectangle, a ring of 1024). */
export const DENSE_MAX_CELLS = DENSE_MAX_N * DENSE_MAX_N;

export interface DenseMaps {
  /** D(x) per cell (flat index iy·n + ix); defaults to the config's noise amplitude (number or map). */
  diffusion?: ArrayLike<number>;
  /** slope(x) per cell; defaults to the config's transfer.slope (number or map). */
  slope?: ArrayLike<number>;
}

/** Stability from the dense matrices: the spectral radii that decide it. */
export interface DenseStability {
  /**
   * Every eigenvalue of A has Re > 0: the Cayley transform (I + hA)⁻¹(I − hA) has
   * spectral radius < 1 (estimated from the doubling's powers, to about 3 digits).
   */
  continuous: { stable: boolean; cayleyRadius: number; cayleyStep: number };
  /** The spectral radius of M = I − dt·A is < 1 (the radius estimated to about 3 digits). */
  discrete: { stable: boolean; spectralRadius: number };
}

export interface DenseTheory {
  stability: DenseStability;
  /** σ (null when the continuous field has no stationary state). */
  eprContinuous: number | null;
  /** σ_dt of the Euler–Maruyama chain (null when it is unstable). */
  eprDiscrete: number | null;
  densityContinuous: number | null;
  densityDiscrete: number | null;
  /** Mean stationary variance per cell of the Euler–Maruyama chain, Tr C/N. */
  cellVariance: number | null;
  /** Per cell, the stationary mean of the estimator's s_i per unit time (nats per unit time); sums to eprDiscrete. */
  localDiscrete: Float64Array | null;
  /** Detailed balance, A𝒟 = 𝒟Aᵀ, to 1e-12 relative. */
  equilibrium: boolean;
  /** ‖A𝒟 − 𝒟Aᵀ‖_F / ‖A𝒟‖_F. */
  equilibriumResidual: number;
}

/** The relative residual below which A𝒟 = 𝒟Aᵀ is taken to hold (rounding of the products). */
export const EQUILIBRIUM_TOLERANCE = 1e-12;

export { circulantArray };

/** The circulant of a stencil, (S v)_i = Σ_m W[m] v_{i−m}, periodic, as an ml-matrix Matrix (tests build on it). */
export function circulant(plane: Plane, s: Stencil): Matrix {
  const N = plane.nx * plane.ny;
  return Matrix.from1DArray(N, N, circulantArray(plane, s));
}

/** The real symmetric circulant whose eigenvalues are `spectrum` (index p + nx·q, even in k), as a dense matrix. */
export function circulantFromSpectrum(plane: Plane, spectrum: Float64Array): Float64Array {
  const { nx, ny } = plane;
  const N = nx * ny;
  const re = spectrum.slice();
  const im = new Float64Array(N);
  new FFT2(nx, ny).inverse(re, im);
  // re is the first column c: C_ij = c[(i − j) mod the side, per axis].
  const m = new Float64Array(N * N);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      for (let jy = 0; jy < ny; jy++) {
        for (let jx = 0; jx < nx; jx++) {
          const d = ((((iy - jy) % ny) + ny) % ny) * nx + ((((ix - jx) % nx) + nx) % nx);
          m[(iy * nx + ix) * N + jy * nx + jx] = re[d];
        }
      }
    }
  }
  return m;
}

/**
 * Solves C = M C Mᵀ + Q (Q and the solution symmetric) by Smith's doubling:
 * after k steps C = Σ_{j < 2^k} M^j Q M^jᵀ, and what is left is
 * P C_∞ Pᵀ with P = M^(2^k), at most ‖P‖⁴‖C‖ after the next step: it stops once
 * that is below 1e-16 relative. Returns null when the powers of M do not vanish
 * (spectral radius ≥ 1). The spectral radius is estimated from two consecutive
 * powers, ‖M^(2^(k+1))‖/‖M^(2^k)‖ ≈ ρ^(2^k), which cancels their common constant.
 */
export function steinSolve(M: Float64Array, Q: Float64Array, N: number): { C: Float64Array | null; spectralRadius: number } {
  let C = Q.slice();
  let P = M.slice();
  let scratch = new Float64Array(N * N);
  let next = new Float64Array(N * N);
  const Pt = new Float64Array(N * N);
  let norm = frobenius(P);
  let radius = NaN;
  for (let k = 0; k < 60; k++) {
    if (!(norm < 1e150)) return { C: null, spectralRadius: Number.isFinite(radius) ? Math.max(radius, 1) : Infinity };
    matmul(P, C, N, scratch);
    transpose(P, N, Pt);
    matmul(scratch, Pt, N, next, true);
    for (let i = 0; i < C.length; i++) next[i] += C[i];
    [C, next] = [next, C];
    if (norm ** 4 < 1e-16) return { C, spectralRadius: Number.isFinite(radius) ? radius : norm ** (1 / 2 ** k) };
    matmul(P, P, N, scratch);
    [P, scratch] = [scratch, P];
    const squared = frobenius(P);
    if (norm > 0 && squared > 0 && Number.isFinite(norm) && Number.isFinite(squared)) radius = Math.pow(squared / norm, 1 / 2 ** k);
    norm = squared;
  }
  return { C: null, spectralRadius: Number.isFinite(radius) ? radius : 1 };
}

/** Why the dense theory does not cover this config, or undefined. */
export function denseUnavailable(config: Config): string | undefined {
  const { cells } = gridOf(config);
  if (cells > DENSE_MAX_CELLS) {
    return (
      `the dense theory of maps needs at most ${DENSE_MAX_CELLS} cells (${DENSE_MAX_N}²; got ${describeGrid(gridOf(config))}, ${cells}): ` +
      `its matrices are N × N for N cells, and their products grow as N³`
    );
  }
  return undefined;
}

/** The matrices of the linear chain: A, the per-cell D, and 𝒟 (dense for correlated noise). */
interface Chain {
  N: number;
  A: Float64Array;
  /** diag(𝒟) for white noise, else undefined. */
  whiteDiag: Float64Array | undefined;
  /** 𝒟 (dense; diagonal for white noise) and, for correlated noise, 𝒟⁻¹. */
  Dm: Float64Array;
  DmInv: Float64Array | undefined;
}

function chainOf(config: Config, maps: DenseMaps): Chain {
  // Nonlinear transfers have no closed form: linearSlope refuses them with the reason.
  if (config.transfer.type !== 'linear') linearSlope(config);
  const grid = gridOf(config);
  const N = grid.cells;
  const slope = maps.slope ?? fieldArray(config, 'transfer.slope');
  const diffusion = maps.diffusion ?? fieldArray(config, 'noise.amplitude');
  const area = grid.area;
  const tau = config.tau;
  const K = circulantArray(grid, kernelStencil(config));
  const A = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) A[i * N + j] = ((i === j ? 1 : 0) - K[i * N + j] * slope[j]) / tau;
  }
  const root = Float64Array.from(diffusion, Math.sqrt);
  const correlated = stepCoefficients(config).correlated;
  if (!correlated) {
    const d = Float64Array.from(diffusion, (v) => v / area);
    const Dm = new Float64Array(N * N);
    for (let i = 0; i < N; i++) Dm[i * N + i] = d[i];
    return { N, A, whiteDiag: d, Dm, DmInv: undefined };
  }
  // 𝒟 = diag(√D) P diag(√D)/a and 𝒟⁻¹ = a·diag(1/√D) P⁻¹ diag(1/√D), P = (1 − w) G Gᵀ + w I circulant.
  const P = circulantFromSpectrum(grid, correlated.power);
  const H = circulantFromSpectrum(grid, correlated.inversePower);
  const Dm = new Float64Array(N * N);
  const DmInv = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      Dm[i * N + j] = (root[i] * P[i * N + j] * root[j]) / area;
      DmInv[i * N + j] = (area * H[i * N + j]) / (root[i] * root[j]);
    }
  }
  return { N, A, whiteDiag: undefined, Dm, DmInv };
}

/** ‖A𝒟 − 𝒟Aᵀ‖_F/‖A𝒟‖_F: since 𝒟 is symmetric, 𝒟Aᵀ = (A𝒟)ᵀ. */
function residualOf(chain: Chain): number {
  const { N, A, whiteDiag, Dm } = chain;
  let AD: Float64Array;
  if (whiteDiag) {
    AD = new Float64Array(N * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) AD[i * N + j] = A[i * N + j] * whiteDiag[j];
  } else {
    AD = matmul(A, Dm, N, new Float64Array(N * N));
  }
  const norm = frobenius(AD);
  return norm > 0 ? antisymmetricNorm(AD, N) / norm : 0;
}

/**
 * The per-cell rates −½(𝒟⁻¹ A X)_ii with X = A C − C Aᵀ, for a stationary
 * covariance C (C symmetric, so C Aᵀ = (A C)ᵀ). Summed they give σ (C of the
 * continuous field) or σ_dt (C of the chain); see the header. No term of size
 * Tr A is cancelled, so an equilibrium gives 0 to rounding.
 */
function localRates(chain: Chain, C: Float64Array): Float64Array {
  const { N, A, whiteDiag, DmInv } = chain;
  const AC = matmul(A, C, N, new Float64Array(N * N));
  // X_ji = (AC)_ji − (AC)_ij.
  const left = whiteDiag ? A : matmul(DmInv!, A, N, new Float64Array(N * N));
  const local = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += left[i * N + j] * (AC[j * N + i] - AC[i * N + j]);
    local[i] = -0.5 * (whiteDiag ? s / whiteDiag[i] : s);
  }
  return local;
}

const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);

/** Continuous-time stability and σ through the Cayley transform. */
function continuousPart(chain: Chain): { stable: boolean; radius: number; step: number; epr: number | null } {
  const { N, A, whiteDiag, Dm } = chain;
  // h = 1/max|A_ii|: the Cayley step; any h > 0 maps Re λ > 0 into the unit disc.
  let maxDiag = 0;
  for (let i = 0; i < N; i++) maxDiag = Math.max(maxDiag, Math.abs(A[i * N + i]));
  const h = 1 / maxDiag;
  const B = identity(N);
  for (let i = 0; i < A.length; i++) B[i] += h * A[i];
  let Binv: Float64Array;
  try {
    Binv = invert(B, N);
  } catch {
    return { stable: false, radius: Infinity, step: h, epr: null };
  }
  // Mc = (I + hA)⁻¹(I − hA) = 2(I + hA)⁻¹ − I;  Qc = 4h (I + hA)⁻¹ 𝒟 (I + hA)⁻ᵀ.
  const Mc = Binv.map((v) => 2 * v);
  for (let i = 0; i < N; i++) Mc[i * N + i] -= 1;
  const BinvD = new Float64Array(N * N);
  if (whiteDiag) {
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) BinvD[i * N + j] = Binv[i * N + j] * whiteDiag[j];
  } else {
    matmul(Binv, Dm, N, BinvD);
  }
  const Qc = matmul(BinvD, transpose(Binv, N), N, new Float64Array(N * N), true);
  for (let i = 0; i < Qc.length; i++) Qc[i] *= 4 * h;
  const { C, spectralRadius } = steinSolve(Mc, Qc, N);
  if (!C) return { stable: false, radius: spectralRadius, step: h, epr: null };
  return { stable: true, radius: spectralRadius, step: h, epr: sum(localRates(chain, C)) };
}

/** The Euler–Maruyama chain: stability, σ_dt, its per-cell split and the cell variance. */
function discretePart(chain: Chain, dt: number): { stable: boolean; radius: number; epr: number | null; local: Float64Array | null; variance: number | null } {
  const { N, A, Dm } = chain;
  const M = A.map((v) => -dt * v);
  for (let i = 0; i < N; i++) M[i * N + i] += 1;
  const Q = Dm.map((v) => 2 * dt * v);
  const { C, spectralRadius } = steinSolve(M, Q, N);
  if (!C) return { stable: false, radius: spectralRadius, epr: null, local: null, variance: null };
  const local = localRates(chain, C);
  return { stable: true, radius: spectralRadius, epr: sum(local), local, variance: trace(C, N) / N };
}

/**
 * The dense theory of a linear config (docs/model.md §5 and §8): the config's own
 * maps of noise amplitude and slope, or explicit `maps` that override them.
 */
export function denseTheory(config: Config, maps: DenseMaps = {}): DenseTheory {
  const why = denseUnavailable(config);
  if (why) throw new TheoryNotApplicable(why);
  const chain = chainOf(config, maps);
  const residual = residualOf(chain);
  const discrete = discretePart(chain, config.dt);
  const continuous = continuousPart(chain);
  const area = gridOf(config).domain;
  const okC = continuous.stable;
  const okD = okC && discrete.stable;
  return {
    stability: {
      continuous: { stable: continuous.stable, cayleyRadius: continuous.radius, cayleyStep: continuous.step },
      discrete: { stable: discrete.stable, spectralRadius: discrete.radius },
    },
    eprContinuous: okC ? continuous.epr : null,
    eprDiscrete: okD ? discrete.epr : null,
    densityContinuous: okC ? continuous.epr! / area : null,
    densityDiscrete: okD ? discrete.epr! / area : null,
    cellVariance: okD ? discrete.variance : null,
    localDiscrete: okD ? discrete.local : null,
    equilibrium: residual <= EQUILIBRIUM_TOLERANCE,
    equilibriumResidual: residual,
  };
}

/**
 * Squares P until a power has Frobenius norm below 1, which proves its spectral
 * radius below 1 (ρ^(2^k) ≤ ‖P^(2^k)‖₂ ≤ ‖P^(2^k)‖_F), or until the powers blow up.
 */
function powersVanish(P: Float64Array, N: number): { stable: boolean; spectralRadius: number } {
  let next: Float64Array = new Float64Array(N * N);
  let norm = frobenius(P);
  let radius = NaN;
  for (let k = 0; k < 60; k++) {
    if (norm < 1) return { stable: true, spectralRadius: Number.isFinite(radius) ? Math.min(radius, 1) : norm ** (1 / 2 ** k) };
    if (!(norm < 1e150)) return { stable: false, spectralRadius: Number.isFinite(radius) ? Math.max(radius, 1) : Infinity };
    matmul(P, P, N, next);
    [P, next] = [next, P];
    const squared = frobenius(P);
    if (norm > 0 && squared > 0 && Number.isFinite(squared)) radius = Math.pow(squared / norm, 1 / 2 ** k);
    norm = squared;
  }
  return { stable: false, spectralRadius: Number.isFinite(radius) ? radius : 1 };
}

/**
 * Continuous-time stability of a linear field with a slope map (every eigenvalue
 * of A with Re > 0), from the powers of its Cayley transform.
 */
export function denseContinuousStability(config: Config): { stable: boolean; cayleyRadius: number } {
  const why = denseUnavailable(config);
  if (why) throw new TheoryNotApplicable(why);
  const { N, A } = chainOf(config, {});
  let maxDiag = 0;
  for (let i = 0; i < N; i++) maxDiag = Math.max(maxDiag, Math.abs(A[i * N + i]));
  const B = identity(N);
  for (let i = 0; i < A.length; i++) B[i] += A[i] / maxDiag;
  let Mc: Float64Array;
  try {
    Mc = invert(B, N).map((v) => 2 * v);
  } catch {
    return { stable: false, cayleyRadius: Infinity };
  }
  for (let i = 0; i < N; i++) Mc[i * N + i] -= 1;
  const { stable, spectralRadius } = powersVanish(Mc, N);
  return { stable, cayleyRadius: spectralRadius };
}

/**
 * Euler–Maruyama stability of a linear field with a slope map, from the dense
 * matrix M = I − dt·A alone (squaring it until its powers vanish or grow):
 * the preflight check of a run. Stability of the chain implies that of the
 * continuous field (|1 − dt λ| < 1 ⇒ Re λ > 0).
 */
export function denseDiscreteStability(config: Config): { stable: boolean; spectralRadius: number } {
  const why = denseUnavailable(config);
  if (why) throw new TheoryNotApplicable(why);
  const { N, A } = chainOf(config, {});
  const P = A.map((v) => -config.dt * v);
  for (let i = 0; i < N; i++) P[i * N + i] += 1;
  return powersVanish(P, N);
}
