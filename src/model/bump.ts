import { fieldArray } from '../config/maps.js';
import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { luFactor, luSolve } from '../numeric/dense-lu.js';
import { gmres } from '../numeric/gmres.js';
import { kernelStencil } from './kernels.js';
import { bumpProfile } from './profiles.js';
import { circulantArray, PeriodicConvolver, type Stencil } from './stencil.js';
import { transferDerivative, transferFunction } from './transfer.js';

/**
 * Stationary states of the noiseless field on the grid,
 *
 *   G(u) = −u + K f(u) + h = 0        (h the config's input: a number or a map, docs/model.md §8),
 *
 * found by Newton's method from a starting field (the bump initial condition).
 * The Jacobian is J = −I + K·diag(f′(u)). Each step solves (I/δ − J) s = G and
 * sets u ← u + s: pseudo-transient continuation, an implicit Euler step of
 * pseudo-time δ·τ while far from the solution (so the iteration follows the
 * relaxation of the field and settles where the dynamics would), with δ grown
 * by the fall of ‖G‖ (δ ← δ·‖G_prev‖/‖G‖) until the steps are Newton steps
 * and converge quadratically. Each step is solved by GMRES with K applied as
 * the periodic convolution (the matrix is the identity plus a smooth coupling
 * masked by f′, so a few dozen Krylov vectors do), or on request, for grids of
 * N = n² ≤ 1024 cells, by a dense LU of the matrix.
 *
 * On an unpinned torus a bump is one of a continuous family of translates:
 * J has a (nearly) neutral translation mode, which the stability analysis
 * (src/theory/bump.ts) detects. An input map h(x) with a bump of its own pins it.
 */
export interface StationaryState {
  /** u*(x), n² values (row = y). */
  u: Float64Array;
  /** f′(u*(x)): the gain map of the linearisation. */
  slope: Float64Array;
  /** max_i |G_i(u*)|. */
  residual: number;
  iterations: number;
  converged: boolean;
}

export interface StationaryOptions {
  /** The starting field; defaults to the config's bump initial condition. */
  start?: Float64Array;
  /** Converged when max|G| ≤ tolerance·max(1, max|u|, max|h|) [1e-13]. */
  tolerance?: number;
  maxIterations?: number;
  /** How each Newton step is solved: GMRES with the convolution [default], or dense LU (N ≤ 1024 cells). */
  solver?: 'dense' | 'krylov';
}

/** The largest grid a dense LU step is offered for. */
export const DENSE_NEWTON_MAX_CELLS = 1024;

/** The starting field of the bump search: the config's initial bump. */
export function bumpStart(config: Config): Float64Array {
  const init = config.initial;
  if (init.type !== 'bump') {
    throw new Error(`a stationary bump is searched from the bump initial condition; this config has initial.type = "${init.type}"`);
  }
  return bumpProfile(config, init);
}

/** W[m] = W[−m] for every m: the coupling K is a symmetric matrix. */
export function isSymmetricStencil(s: Stencil): boolean {
  const w = s.weights;
  for (let i = 0, j = w.length - 1; i < j; i++, j--) if (w[i] !== w[j]) return false;
  return true;
}

export function stationaryState(config: Config, options: StationaryOptions = {}): StationaryState {
  const grid = gridOf(config);
  const N = grid.cells;
  const t = config.transfer;
  const f = transferFunction(t);
  const df = transferDerivative(t);
  const h = fieldArray(config, 'input');
  const u = (options.start ?? bumpStart(config)).slice();
  if (u.length !== N) throw new Error(`the starting field has ${u.length} values; the grid has ${N} cells`);
  const tolerance = options.tolerance ?? 1e-13;
  const maxIterations = options.maxIterations ?? 200;
  const stencil = kernelStencil(config);
  const conv = new PeriodicConvolver(grid, stencil);
  const solver = options.solver ?? 'krylov';
  if (solver === 'dense' && N > DENSE_NEWTON_MAX_CELLS) {
    throw new Error(`dense Newton steps are for grids of at most ${DENSE_NEWTON_MAX_CELLS} cells (got ${N}); use the Krylov solver`);
  }
  const dense = solver === 'dense' ? circulantArray(grid, stencil) : undefined;
  const fu = new Float64Array(N);
  const g = new Float64Array(N);
  const G = new Float64Array(N);
  const scaled = new Float64Array(N);
  const hMax = h.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

  /** G(u) into G, f′(u) into g; returns max|G| and ‖G‖₂. */
  const evaluate = (): { max: number; l2: number } => {
    for (let i = 0; i < N; i++) {
      fu[i] = f(u[i]);
      g[i] = df(u[i]);
    }
    conv.apply(fu, G);
    let max = 0;
    let l2 = 0;
    for (let i = 0; i < N; i++) {
      G[i] = G[i] - u[i] + h[i];
      max = Math.max(max, Math.abs(G[i]));
      l2 += G[i] * G[i];
    }
    return { max, l2: Math.sqrt(l2) };
  };

  let delta = 1;
  let { max, l2 } = evaluate();
  let iterations = 0;
  const scale = () => tolerance * Math.max(1, hMax, u.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
  while (max > scale() && iterations < maxIterations) {
    const c = 1 / delta + 1;
    let s: Float64Array;
    if (dense) {
      // (I/δ − J) = (1/δ + 1) I − K diag(g).
      const M = new Float64Array(N * N);
      for (let i = 0; i < N; i++) {
        const row = i * N;
        for (let j = 0; j < N; j++) M[row + j] = -dense[row + j] * g[j];
        M[row + i] += c;
      }
      s = luSolve(luFactor(M, N), G);
    } else {
      s = gmres(
        (v, out) => {
          for (let i = 0; i < N; i++) scaled[i] = g[i] * v[i];
          conv.apply(scaled, out);
          for (let i = 0; i < N; i++) out[i] = c * v[i] - out[i];
        },
        G,
        { tolerance: 1e-13, restart: 300 },
      ).x;
    }
    for (let i = 0; i < N; i++) u[i] += s[i];
    iterations++;
    const previous = l2;
    ({ max, l2 } = evaluate());
    if (!Number.isFinite(l2)) break;
    delta = Math.min(1e14, delta * Math.max(previous / l2, 0.1));
  }
  return { u, slope: g.slice(), residual: max, iterations, converged: max <= scale() };
}
