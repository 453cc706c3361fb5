import type { Config } from '../../src/config/schema.js';
import { kernelRadiusCells } from '../../src/model/kernels.js';
import { MAX_TILED_RADIUS, TILE_X, TILE_Y } from '../../src/gpu/layout/tiles.js';

/**
 * What one cell-step of the GPU engine moves and computes, with the estimator
 * attached (white noise), by counting the kernels' global loads and stores and
 * their float operations (a transcendental counts as one):
 *
 *   update   reads u, F; writes u′                                   12 B   ~16 flops (Box–Muller 12, EM 4)
 *   drift    stages f(u) over the 32×16 tile and its halo once per workgroup:
 *            (32 + 2r)(16 + 2r)/512 loads per cell; writes F′        4·that + 4 B
 *            transfer per staged value, 2 flops per tap, 3 for F     that·c_f + 2(2r+1)² + 3
 *   observe  reads u_n, F_n, the density; writes the density          16 B   ~13 flops
 *
 * Stencils wider than the tile read every tap from global memory (an upper
 * bound: caches serve most of them). Weights are read by every thread alike
 * and come from cache: not counted.
 *
 * The FFT path replaces the staged convolution by: f(u) into a complex
 * buffer (4 + 8 B), a forward and an inverse 2-D FFT (each line read and
 * written once per dimension from workgroup memory: 4 × 16 B; 5·log2(n²)
 * flops per complex value per transform), the multiply by Ŵ (24 B, 6 flops),
 * and drift reading the real parts (8 + 4 + 4 B).
 */
export interface StepCost {
  bytes: number;
  flops: number;
}

const TRANSFER_FLOPS = { linear: 1, sigmoid: 5, tanh: 4 } as const;

export function gpuStepCost(config: Config, path: 'stencil' | 'fft' = 'stencil'): StepCost {
  const r = kernelRadiusCells(config);
  if (path === 'fft') {
    const log2N = 2 * Math.log2(config.grid.n);
    const fftBytes = 2 * 2 * 16;
    return {
      bytes: 12 + 12 + 2 * fftBytes + 24 + 16 + 16,
      flops: 16 + TRANSFER_FLOPS[config.transfer.type] + 2 * 5 * log2N + 6 + 3 + 13,
    };
  }
  const taps = (2 * r + 1) ** 2;
  const cf = TRANSFER_FLOPS[config.transfer.type];
  const staged = r <= MAX_TILED_RADIUS ? ((TILE_X + 2 * r) * (TILE_Y + 2 * r)) / (TILE_X * TILE_Y) : taps;
  return {
    bytes: 12 + 4 * staged + 4 + 16,
    flops: 16 + staged * cf + 2 * taps + 3 + 13,
  };
}
