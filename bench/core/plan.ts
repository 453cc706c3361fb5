import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';

export type BenchMode = 'smoke' | 'quick' | 'full';

/** A benchmark grid: nx × ny cells (a square: nx = ny). */
export interface GridSize {
  nx: number;
  ny: number;
}

/**
 * What the GPU engine is asked to convolve with: `stencil` (the separable
 * stencil wherever the kernel factorises, the default), `stencil-2d` (the
 * tiled 2-D stencil, the path the separable one replaced) or `fft`.
 */
/** A convolution asked of the GPU engine; `auto` is a user's default run: the path and column shape tuned on this adapter. */
export type GpuRequest = 'stencil' | 'stencil-2d' | 'fft' | 'auto';

/**
 * One grid of a plan: the radii the engines are measured at (the separable
 * stencil and the FFT, each with and without the estimator, and the CPU
 * reference), the radii at which the 2-D stencil is measured too, and those
 * at which the Python peers run.
 */
export interface Case extends GridSize {
  radii: number[];
  stencil2dRadii: number[];
  peerRadii: number[];
}

export interface Plan {
  cases: Case[];
  repeats: number;
  targetSeconds: number;
  rowBudgetSeconds: number;
  roofline: { bytes: number; fmaThreads: number; fmaIterations: number };
}

const square = (n: number): GridSize => ({ nx: n, ny: n });
export const cellsOf = (g: GridSize): number => g.nx * g.ny;
/** A grid as the tables write it: "1024²", "4096 × 256". */
export const gridLabel = (g: GridSize): string => (g.nx === g.ny ? `${g.nx}²` : `${g.nx} × ${g.ny}`);

/** The GPU convolutions measured at a radius of a case, in table order. */
export function gpuRequests(c: Case, radius: number): GpuRequest[] {
  const requests: GpuRequest[] = c.stencil2dRadii.includes(radius) ? ['stencil', 'stencil-2d', 'fft'] : ['stencil', 'fft'];
  // Where the peers run, also what a user's run takes: the comparison the targets are about.
  return c.peerRadii.includes(radius) ? [...requests, 'auto'] : requests;
}

/**
 * Beside the powers of two, 1000² (the same config as 1024² but for the side,
 * so their ratio is the price of a side that is not a power of two: the FFT
 * runs mixed radix 2·5 lines, the stencil a last tile part empty) and a 4096 ×
 * 256 strip (as many cells as 1024², one side 16 times the other).
 */
const OFF_POWER: GridSize[] = [square(1000), { nx: 4096, ny: 256 }];

/**
 * The plan of a mode, on grids of at most `maxCells` cells (what the
 * adapter's buffers hold). Quick: 256² at radii 2–16; 1000², 1024² and the
 * strip at radius 4; and 1024² at radius 16 too, where the separable
 * stencil's 2(2r + 1) taps per term stand furthest from the 2-D stencil's
 * (2r + 1)², so both are measured there and at radius 4, with the peers.
 */
export function benchPlan(mode: BenchMode, maxCells: number): Plan {
  const fits = (c: Case) => cellsOf(c) <= maxCells;
  if (mode === 'smoke') {
    return {
      cases: [{ ...square(32), radii: [2], stencil2dRadii: [2], peerRadii: [2] }],
      repeats: 1,
      targetSeconds: 0.01,
      rowBudgetSeconds: 10,
      roofline: { bytes: 1 << 20, fmaThreads: 1 << 12, fmaIterations: 64 },
    };
  }
  if (mode === 'quick') {
    const cases: Case[] = [
      { ...square(256), radii: [2, 4, 8, 16], stencil2dRadii: [], peerRadii: [4] },
      { ...square(1000), radii: [4], stencil2dRadii: [], peerRadii: [4] },
      { ...square(1024), radii: [4, 16], stencil2dRadii: [4, 16], peerRadii: [4, 16] },
      { ...OFF_POWER[1], radii: [4], stencil2dRadii: [], peerRadii: [4] },
    ];
    return {
      cases: cases.filter(fits),
      repeats: 3,
      targetSeconds: 0.3,
      rowBudgetSeconds: 25,
      roofline: { bytes: 64 << 20, fmaThreads: 1 << 16, fmaIterations: 1024 },
    };
  }
  const grids: GridSize[] = [...OFF_POWER];
  for (let n = 256; n <= 16384; n *= 2) grids.push(square(n));
  const cases = grids
    .map((g): Case => ({
      ...g,
      radii: [2, 4, 8, 16],
      stencil2dRadii: [4, 16],
      // The peers are single-threaded (NumPy) or a Python loop (PyTorch): radius 16 only up to 1024², radius 4 up to 2048².
      peerRadii: cellsOf(g) <= 1024 * 1024 ? [4, 16] : cellsOf(g) <= 2048 * 2048 ? [4] : [],
    }))
    .filter(fits)
    .sort((a, b) => cellsOf(a) - cellsOf(b) || a.ny - b.ny);
  return {
    cases,
    repeats: 5,
    targetSeconds: 1,
    rowBudgetSeconds: 120,
    roofline: { bytes: 256 << 20, fmaThreads: 1 << 20, fmaIterations: 4096 },
  };
}

/** The benchmark's field: Δx = Δy = 1 on nx × ny cells (a number: a square), a shifted Gaussian truncated at `radius` cells, linear transfer. */
export function benchConfig(grid: number | GridSize, radius: number): Config {
  const { nx, ny } = typeof grid === 'number' ? square(grid) : grid;
  return parseConfig({
    grid: nx === ny ? { n: nx, length: nx } : { n: [nx, ny], length: [nx, ny] },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: Math.max(0.5, radius / 4), shift: [0.5, 0], radius },
    input: 0.1,
    noise: { amplitude: 0.02 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'fixed-point' },
  });
}
