/**
 * The tile geometry of the kernels, defined once: the WGSL constants are
 * generated from these numbers (`tileWgsl`) and the host computes its
 * dispatch counts from the same numbers.
 *
 * - Cell kernels (noise, update, spectral prep): one thread per cell, 16×16 workgroups.
 * - Drift, tiled: an 8×16 workgroup computes a 32×16 tile, four cells per thread along x.
 * - Drift direct/spectral and the observe pass: one cell per thread, 8×16 workgroups
 *   (128 threads, the workgroup reduction's width).
 * - The per-step reduce: one 256-thread workgroup per replica.
 */
export const CELL_WORKGROUP = [16, 16] as const;
export const TILE_X = 32;
export const TILE_Y = 16;
export const PER_THREAD = 4;
export const DRIFT_WORKGROUP = [TILE_X / PER_THREAD, TILE_Y] as const;
/** Threads of a workgroup that observes a step (drift or observe pass). */
export const OBSERVE_THREADS = DRIFT_WORKGROUP[0] * DRIFT_WORKGROUP[1];
/** Widest stencil the tiled convolution stages in workgroup memory: 64 × 48 floats, 12 KiB. */
export const MAX_TILED_RADIUS = 16;
export const REDUCE_THREADS = 256;

/** The constants every pass's WGSL may use. */
export const tileWgsl = [
  `const CELL_WORKGROUP_X: u32 = ${CELL_WORKGROUP[0]}u;`,
  `const CELL_WORKGROUP_Y: u32 = ${CELL_WORKGROUP[1]}u;`,
  `const TILE_X: u32 = ${TILE_X}u;`,
  `const TILE_Y: u32 = ${TILE_Y}u;`,
  `const PER_THREAD: u32 = ${PER_THREAD}u;`,
  `const DRIFT_WORKGROUP_X: u32 = ${DRIFT_WORKGROUP[0]}u;`,
  `const DRIFT_WORKGROUP_Y: u32 = ${DRIFT_WORKGROUP[1]}u;`,
  `const OBSERVE_THREADS: u32 = ${OBSERVE_THREADS}u;`,
  `const MAX_TILED_RADIUS: u32 = ${MAX_TILED_RADIUS}u;`,
  `const REDUCE_THREADS: u32 = ${REDUCE_THREADS}u;`,
].join('\n') + '\n';

export type Dispatch = [number, number, number];

/** Workgroups of a one-cell-per-thread kernel over n×n cells and R replicas. */
export function cellDispatch(n: number, replicas: number): Dispatch {
  return [Math.ceil(n / CELL_WORKGROUP[0]), Math.ceil(n / CELL_WORKGROUP[1]), replicas];
}

/** Workgroups of the tiled drift (32×16 cells each). */
export function tiledDispatch(n: number, replicas: number): Dispatch {
  return [Math.ceil(n / TILE_X), Math.ceil(n / TILE_Y), replicas];
}

/** Workgroups of the 8×16 one-cell-per-thread kernels (direct and spectral drift, observe). */
export function directDispatch(n: number, replicas: number): Dispatch {
  return [Math.ceil(n / DRIFT_WORKGROUP[0]), Math.ceil(n / DRIFT_WORKGROUP[1]), replicas];
}
