import { gridOf, kernelRadii } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import { planLine, type LinePlan } from '../../src/gpu/passes/fft/plan.js';
import { fitsTile, tilesFor } from '../../src/gpu/layout/tiles.js';

/**
 * What one cell-step of the GPU engine moves and computes, with the estimator
 * attached (white noise), by counting the kernels' global loads and stores and
 * their float operations (a transcendental counts as one). The grid is nx × ny
 * cells (a ring: ny = 1) and the stencil reaches rx cells along x and ry along
 * y (src/config/geometry.ts kernelRadii: ceil(R/Δx), ceil(R/Δy); a ring's ry = 0):
 *
 *   update   reads u, F; writes u′                                   12 B   ~16 flops (Box–Muller 12, EM 4)
 *   drift    stages f(u) over the tile and its halo once per workgroup:
 *            (tx + 2rx)(ty + 2ry)/(tx·ty) loads per cell (tiles.ts: a
 *            32×16 tile on a plane, 512×1 on a ring); writes F′      4·that + 4 B
 *            transfer per staged value, 2 flops per tap, 3 for F     that·c_f + 2(2rx+1)(2ry+1) + 3
 *   observe  reads u_n, F_n, the density; writes the density          16 B   ~13 flops
 *
 * Stencils wider than the tile read every tap from global memory (an upper
 * bound: caches serve most of them). Weights are read by every thread alike
 * and come from cache: not counted.
 *
 * The FFT path replaces the staged convolution by: f(u) into a complex
 * buffer (4 + 8 B), a forward and an inverse 2-D FFT, the multiply by Ŵ
 * (24 B, 6 flops), and drift reading the real parts (8 + 4 + 4 B). Each
 * transform runs the line plans of src/gpu/passes/fft/plan.ts along x and
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

export function gpuStepCost(config: Config, path: 'stencil' | 'fft' = 'stencil'): StepCost {
  const grid = gridOf(config);
  const r = kernelRadii(config);
  const cf = TRANSFER_FLOPS[config.transfer.type];
  if (path === 'fft') {
    const fft = fftCost(grid.nx, grid.ny);
    return {
      bytes: 12 + 12 + 2 * fft.bytes + 24 + 16 + 16,
      flops: 16 + cf + 2 * fft.flops + 6 + 3 + 13,
    };
  }
  const taps = (2 * r.x + 1) * (2 * r.y + 1);
  const [tx, ty] = tilesFor(grid).tile;
  const staged = fitsTile(r) ? ((tx + 2 * r.x) * (ty + 2 * r.y)) / (tx * ty) : taps;
  return {
    bytes: 12 + 4 * staged + 4 + 16,
    flops: 16 + staged * cf + 2 * taps + 3 + 13,
  };
}
