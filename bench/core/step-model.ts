import { gridOf, kernelRadii } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import type { DriftVariant } from '../../src/gpu/gpu-engine.js';
import { planLine, type LinePlan } from '../../src/gpu/passes/fft/plan.js';
import { separableTaps } from '../../src/gpu/passes/drift/separable-taps.js';
import { SEPARABLE_COLUMN_TILE, SEPARABLE_ROW_TILE, TEMPORAL_TILE, tilesFor } from '../../src/gpu/layout/tiles.js';

/**
 * What one cell-step of the GPU engine moves and computes (white noise), by
 * counting the kernels' global loads and stores and their float operations
 * (a transcendental counts as one), per drift kernel (GpuEngine.driftVariant)
 * and with or without the estimator. The grid is nx × ny cells (a ring:
 * ny = 1) and the stencil reaches rx cells along x and ry along y
 * (src/config/geometry.ts kernelRadii: ceil(R/Δx), ceil(R/Δy); a ring's ry = 0):
 *
 *   update   reads u, F; writes u′                                   12 B   ~16 flops (Box–Muller 12, EM 4)
 *   drift    F = (K f(u) − u + h)/τ: reads u at the cell, writes F     8 B    3 flops
 *            beside the convolution K f(u), per variant:
 *   tiled    stages f(u) over the tile and its halo once per workgroup:
 *            (tx + 2rx)(ty + 2ry)/(tx·ty) loads per cell (tiles.ts: a
 *            32×16 tile on a plane, 512×1 on a ring)                   4·that B
 *            a transfer per staged value, 2 flops per tap               that·c_f + 2(2rx+1)(2ry+1)
 *   direct   (a radius past the tile) every tap read from global memory (an upper bound: caches serve most)
 *   separable, per term t (1 for a Gaussian, 2 for a mexican hat): a row pass staging f(u) over a
 *            1024-cell row segment and its halo, (1024 + 2rx)/1024 loads per cell, writing t floats;
 *            the column pass reading them over its tile (the default 32 × 32) and the halo,
 *            (32 + 2ry)/32 per cell and term (the workgroup's footprint, as for the tiled stage;
 *            each thread's window loads (2ry + 8)/8, the overlap left to the caches)
 *                                                                    4(that + t + t·(32 + 2ry)/32) B
 *            2(2rx + 1) + 2(2ry + 1) flops per term, t − 1 to add them; a ring: the row pass alone,
 *            fused with the drift. With the update fused into the row pass (GpuEngine.updateFused:
 *            white noise on a 2-D grid), the row pass stages u_n and F_n instead of u′ and
 *            updates every staged cell: the update row above is replaced by 8·staged + 4 B and
 *            16·staged flops
 *   spectral f(u) into a complex buffer (4 + 8 B), a forward and an inverse 2-D FFT, the multiply
 *            by Ŵ (24 B, 6 flops), and the drift reading the real parts (8 B)
 *   observe  (the estimator) reads u_n, F_n, the density; writes it    16 B   ~13 flops
 *
 * Weights and taps are read by every thread alike and come from cache: not
 * counted. Without the estimator the observe row is gone: the drift kernel
 * is composed without its hooks and no per-step reduce runs.
 *
 * Each FFT runs the line plans of src/gpu/passes/fft/plan.ts along x and
 * along y, per complex value (fftLineCost): 5·log2(n) flops for a line of
 * length n (radix 2, 4 or mixed); 16 B (a vec2f read, one written) when the
 * line stays in workgroup memory, 16 B per Stockham stage when it does not
 * (twiddles, like the weights, come from cache); Bluestein (a prime factor
 * above 7: 1009, not 1000 = 2³·5³) pays its chirps and two transforms of the
 * padded power-of-two length.
 */
export interface StepCost {
  bytes: number;
  flops: number;
}

const TRANSFER_FLOPS = { linear: 1, sigmoid: 5, tanh: 4 } as const;

/** Bytes moved and flops per complex value of a line, for one transform along it. */
export function fftLineCost(plan: LinePlan): StepCost {
  switch (plan.kind) {
    case 'identity':
      return { bytes: 0, flops: 0 };
    case 'radix2-shared':
    case 'mixed-shared':
      return { bytes: 16, flops: 5 * Math.log2(plan.n) };
    case 'stages':
      // Radix-1 copies (an odd count made even) move data too.
      return { bytes: 16 * plan.radices.length, flops: 5 * Math.log2(plan.n) };
    case 'bluestein': {
      // Per value of the line: chirp in (read 8 + 8, write the padded work), a multiply of the padded
      // spectrum (read 16, write 8, 6 flops), two inner transforms, chirp out (read 16, write 8; 6 flops each way).
      const inner = fftLineCost(plan.inner);
      const p = plan.padded / plan.n;
      return { bytes: 16 + 8 * p + p * (2 * inner.bytes + 24) + 24, flops: 6 + p * (2 * inner.flops + 6) + 6 };
    }
  }
}

/** One 2-D transform of the grid, per cell: the lines along x, then along y. */
function fftCost(nx: number, ny: number): StepCost {
  const [x, y] = [fftLineCost(planLine(nx)), fftLineCost(planLine(ny))];
  return { bytes: x.bytes + y.bytes, flops: x.flops + y.flops };
}

/** The update pass: u and F read, u′ written (12 B), Box–Muller and Euler–Maruyama (16 flops). */
const UPDATE: StepCost = { bytes: 12, flops: 16 };
/** The drift's own arithmetic: u read, F written (8 B, 3 flops). */
const DRIFT: StepCost = { bytes: 8, flops: 3 };
/** The estimator fused into the drift kernel (white noise): u_n, F_n and the density read, the density written. */
const OBSERVE: StepCost = { bytes: 16, flops: 13 };

/**
 * K f(u) per cell, for the drift kernel that computes it; `updateFused`: the
 * separable row pass also takes the step's update (its cost is then here,
 * and gpuStepCost leaves out the update pass).
 */
export function convolutionCost(config: Config, variant: DriftVariant, updateFused = false): StepCost {
  const grid = gridOf(config);
  const r = kernelRadii(config);
  const cf = TRANSFER_FLOPS[config.transfer.type];
  switch (variant) {
    case 'spectral': {
      const fft = fftCost(grid.nx, grid.ny);
      return { bytes: 12 + 2 * fft.bytes + 24 + 8, flops: cf + 2 * fft.flops + 6 };
    }
    case 'separable': {
      const taps = separableTaps(config);
      if (!taps) throw new Error('the separable drift needs a separable kernel: the engine would not have run it');
      const rowStaged = (SEPARABLE_ROW_TILE + 2 * r.x) / SEPARABLE_ROW_TILE;
      const rowFlops = rowStaged * cf + taps.terms * 2 * (2 * r.x + 1);
      // A ring: the row pass is the whole convolution, its terms summed into one row of taps.
      if (taps.ring) return { bytes: 4 * rowStaged, flops: rowFlops };
      const columnTile = SEPARABLE_COLUMN_TILE[1];
      const columnStaged = (columnTile + 2 * r.y) / columnTile;
      // Fused: u_n and F_n staged instead of u′, u′ written once, the update on every staged cell.
      const rowBytes = updateFused ? 8 * rowStaged + 4 : 4 * rowStaged;
      return {
        bytes: rowBytes + 4 * taps.terms + 4 * taps.terms * columnStaged,
        flops: rowFlops + (updateFused ? rowStaged * UPDATE.flops : 0) + taps.terms * 2 * (2 * r.y + 1) + taps.terms - 1,
      };
    }
    case 'tiled':
    case 'direct': {
      const taps = (2 * r.x + 1) * (2 * r.y + 1);
      const [tx, ty] = tilesFor(grid).tile;
      const staged = variant === 'tiled' ? ((tx + 2 * r.x) * (ty + 2 * r.y)) / (tx * ty) : taps;
      return { bytes: 4 * staged, flops: staged * cf + 2 * taps };
    }
  }
}

/**
 * Bytes and flops of one cell-step: the update (a pass of its own, or with
 * `updateFused` inside the separable row pass), the drift by `variant`, and
 * the estimator's observation when attached.
 */
export function gpuStepCost(config: Config, variant: DriftVariant, estimator: boolean, updateFused = false): StepCost {
  const conv = convolutionCost(config, variant, updateFused);
  const update = updateFused ? { bytes: 0, flops: 0 } : UPDATE;
  const observe = estimator ? OBSERVE : { bytes: 0, flops: 0 };
  return {
    bytes: update.bytes + DRIFT.bytes + conv.bytes + observe.bytes,
    flops: update.flops + DRIFT.flops + conv.flops + observe.flops,
  };
}

/**
 * One cell-step of temporal blocking (passes/temporal/: T steps per dispatch,
 * unobserved, white noise, the 2-D stencil): a B_x × B_y tile reads u and F
 * over its region of (B + 2T·r) cells a side and writes u and F of its own
 * cells once per T steps; step t (0-based) updates the region inset by t·r
 * (Box–Muller, Euler–Maruyama, a transfer) and computes the drift over the
 * region inset by (t + 1)·r. Everything is per T·B_x·B_y cell-steps.
 */
export function temporalStepCost(config: Config, steps: number): StepCost {
  const r = kernelRadii(config);
  const cf = TRANSFER_FLOPS[config.transfer.type];
  const [bx, by] = TEMPORAL_TILE;
  const area = (inset: number) => (bx + 2 * inset * r.x) * (by + 2 * inset * r.y);
  const taps = (2 * r.x + 1) * (2 * r.y + 1);
  let flops = 0;
  for (let t = 0; t < steps; t++) flops += area(steps - t) * (UPDATE.flops + cf) + area(steps - t - 1) * (2 * taps + DRIFT.flops);
  return { bytes: (8 * area(steps) + 8 * bx * by) / (steps * bx * by), flops: flops / (steps * bx * by) };
}
