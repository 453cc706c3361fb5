import { Matrix, inverse } from 'ml-matrix';
import type { Config } from '../config/schema.js';
import { cellSize, kernelStencil, noiseStencil } from '../model/kernels.js';
import type { Stencil } from '../model/stencil.js';
import { linearSlope } from './modes.js';

/**
 * (ml-matrix's instance add/sub/mul/div work in place; the static forms used
 * here return new matrices.)
 *
 * Spec §5's general formulas with dense N×N matrices (N = n²), for small grids:
 * they hold for heterogeneous gain and noise maps, where Fourier modes no longer
 * decouple, and they check the Fourier theory where both apply.
 *
 *   A = (I − K·diag(slope))/τ,   𝒟 = diag(√D) [(1 − w) G Gᵀ + w I] diag(√D)/Δx²
 *   (G = I for white noise; w = noise.whiteFraction)
 *   continuous: A C + C Aᵀ = 2𝒟,      σ  = Tr(Aᵀ 𝒟⁻¹ A C) − Tr A
 *   Euler–Maruyama: M = I − dt A, Q = 2 dt 𝒟, C = M C Mᵀ + Q,
 *                   σ_dt = [½ Tr(Q⁻¹((I−M²) C (I−M²)ᵀ + M Q Mᵀ)) − N/2]/dt
 */

export const DENSE_MAX_N = 16;

export interface DenseMaps {
  /** D(x) per cell (flat index iy·n + ix); defaults to noise.amplitude everywhere. */
  diffusion?: ArrayLike<number>;
  /** slope(x) per cell; defaults to transfer.slope everywhere. */
  slope?: ArrayLike<number>;
}

export interface DenseTheory {
  eprContinuous: number;
  eprDiscrete: number;
  /** Mean stationary variance per cell of the Euler–Maruyama chain. */
  cellVariance: number;
  /** Detailed balance, A𝒟 = 𝒟Aᵀ, to 1e-12 relative. */
  equilibrium: boolean;
}

/** The circulant of a stencil: (S v)_i = Σ_m W[m] v_{i−m}, periodic. */
export function circulant(n: number, s: Stencil): Matrix {
  const N = n * n;
  const m = Matrix.zeros(N, N);
  const r = s.radius;
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const i = iy * n + ix;
      for (let my = -r; my <= r; my++) {
        for (let mx = -r; mx <= r; mx++) {
          const j = (((iy - my) % n) + n) % n * n + ((((ix - mx) % n) + n) % n);
          m.set(i, j, m.get(i, j) + s.weights[(my + r) * s.size + (mx + r)]);
        }
      }
    }
  }
  return m;
}

/** Solves C = M C Mᵀ + Q by Smith's doubling: C ← C + P C Pᵀ, P ← P², from C = Q, P = M. */
export function steinSolve(M: Matrix, Q: Matrix): Matrix {
  let C = Q.clone();
  let P = M.clone();
  for (let iter = 0; iter < 100; iter++) {
    C = Matrix.add(C, P.mmul(C).mmul(P.transpose()));
    P = P.mmul(P);
    // What is still to come is bounded by ‖P‖²‖C‖ summed geometrically: below rounding.
    if (P.norm() ** 2 < 1e-20) return C;
  }
  throw new Error('Smith doubling did not converge: the chain has no stationary state');
}

export function denseTheory(config: Config, maps: DenseMaps = {}): DenseTheory {
  const n = config.grid.n;
  if (n > DENSE_MAX_N) throw new Error(`dense theory needs grid.n ≤ ${DENSE_MAX_N} (got ${n}): its matrices are n² × n²`);
  const N = n * n;
  const uniformSlope = linearSlope(config);
  const slope = maps.slope ?? new Float64Array(N).fill(uniformSlope);
  const diffusion = maps.diffusion ?? new Float64Array(N).fill(config.noise.amplitude);
  const dx = cellSize(config);
  const { dt, tau } = config;
  const I = Matrix.eye(N);

  const K = circulant(n, kernelStencil(config));
  const A = Matrix.div(Matrix.sub(I, K.mmul(Matrix.diag(Array.from(slope)))), tau);
  const G = noiseStencil(config);
  const root = Matrix.diag(Array.from(diffusion, Math.sqrt));
  const w = config.noise.whiteFraction;
  const GGt = G ? Matrix.add(Matrix.mul(circulant(n, G).mmul(circulant(n, G).transpose()), 1 - w), Matrix.mul(I, w)) : I;
  const Dm = Matrix.div(root.mmul(GGt).mmul(root), dx * dx);

  // Euler–Maruyama chain.
  const M = Matrix.sub(I, Matrix.mul(A, dt));
  const Q = Matrix.mul(Dm, 2 * dt);
  const Cd = steinSolve(M, Q);
  const B = Matrix.sub(I, M.mmul(M));
  const inner = Matrix.add(B.mmul(Cd).mmul(B.transpose()), M.mmul(Q).mmul(M.transpose()));
  const eprDiscrete = (0.5 * inverse(Q).mmul(inner).trace() - N / 2) / dt;

  // Continuous time, through the Cayley transform of A C + C Aᵀ = 2𝒟:
  // (I+hA) C (I+hA)ᵀ = (I−hA) C (I−hA)ᵀ + 4h𝒟.
  let largest = 0;
  for (let i = 0; i < N; i++) largest = Math.max(largest, Math.abs(A.get(i, i)));
  const h = 1 / largest;
  const Binv = inverse(Matrix.add(I, Matrix.mul(A, h)));
  const Mc = Binv.mmul(Matrix.sub(I, Matrix.mul(A, h)));
  const Qc = Matrix.mul(Binv.mmul(Dm).mmul(Binv.transpose()), 4 * h);
  const Cc = steinSolve(Mc, Qc);
  const eprContinuous = A.transpose().mmul(inverse(Dm)).mmul(A).mmul(Cc).trace() - A.trace();

  const AD = A.mmul(Dm);
  const asym = Matrix.sub(AD, AD.transpose()).norm();
  return {
    eprContinuous,
    eprDiscrete,
    cellVariance: Cd.trace() / N,
    equilibrium: asym <= 1e-12 * AD.norm(),
  };
}
