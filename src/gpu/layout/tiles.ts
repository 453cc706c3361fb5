/**
 * The tile geometry of the kernels, defined once per kind of grid: the WGSL
 * constants are generated from these numbers (`tileWgsl`) and the host
 * computes its dispatch counts from the same numbers.
 *
 * On a 2-D grid (PLANE_TILES):
 * - Cell kernels (noise, update, spectral prep): one thread per cell, 16×16 workgroups.
 * - Drift, tiled: an 8×16 workgroup computes a 32×16 tile, four cells per thread along x.
 * - Drift direct/spectral and the observe pass: one cell per thread, 8×16 workgroups
 *   (128 threads, the workgroup reduction's width).
 * On a ring (RING_TILES, ny = 1) the same kernels run on one-row workgroups of
 * as many threads (256 cells, a 512-cell tile of 128 threads, 128 cells), so
 * no thread sits on a row that does not exist; the ring's stencils have no y
 * radius, so its tile stages no halo rows.
 * - The per-step reduce: one 256-thread workgroup per replica.
 */
export interface TileGeometry {
  /** Workgroup of the one-thread-per-cell kernels. */
  readonly cell: readonly [number, number];
  /** Cells of the tiled drift's tile; its workgroup is [tileX / PER_THREAD, tileY]. */
  readonly tile: readonly [number, number];
  /** The tile's halo along y: MAX_TILED_RADIUS, or 0 on a ring. */
  readonly maxRadiusY: number;
}

export const PER_THREAD = 4;
/**
 * Widest stencil the tiled convolution stages in workgroup memory, along each
 * axis: a 2-D tile and its halo of (32 + 2·16) × (16 + 2·16) floats, 12 KiB.
 */
export const MAX_TILED_RADIUS = 16;
export const REDUCE_THREADS = 256;

export const PLANE_TILES: TileGeometry = { cell: [16, 16], tile: [32, 16], maxRadiusY: MAX_TILED_RADIUS };
/** A ring's tile stages (512 + 2·16) floats, 2 KiB. */
export const RING_TILES: TileGeometry = { cell: [256, 1], tile: [512, 1], maxRadiusY: 0 };

/** The 2-D tile (the benchmarks' cost model reads it). */
export const TILE_X = PLANE_TILES.tile[0];
export const TILE_Y = PLANE_TILES.tile[1];

/** The tile geometry of a grid: one row of cells (a ring) or a plane. */
export function tilesFor(grid: { readonly ny: number }): TileGeometry {
  return grid.ny === 1 ? RING_TILES : PLANE_TILES;
}

/** The workgroup of the drift kernels (tiled, direct, spectral) and of the observe pass. */
export function driftWorkgroup(t: TileGeometry): [number, number] {
  return [t.tile[0] / PER_THREAD, t.tile[1]];
}

/**
 * Threads of a workgroup that observes a step (drift or observe pass): the
 * drift workgroup of both geometries, a power of two for the tree reduction
 * (workgroup-reduce.wgsl).
 */
export const OBSERVE_THREADS = 128;

/** Whether a stencil of radii (rx, ry) runs tiled (each radius ≤ MAX_TILED_RADIUS) rather than direct. */
export function fitsTile(radii: { x: number; y: number }): boolean {
  return radii.x <= MAX_TILED_RADIUS && radii.y <= MAX_TILED_RADIUS;
}

/**
 * The separable drift (src/gpu/passes/drift/separable.ts), the same on every
 * grid: the row pass (and a ring's fused drift) runs one-row workgroups of
 * SEPARABLE_ROW_THREADS threads over a SEPARABLE_ROW_TILE-cell segment,
 * SEPARABLE_ROW_CELLS cells per thread, staging f(u) over the segment and its halo of rx cells
 * each side; the column pass (2-D grids) runs, by default, 32 × 4 threads
 * over a 32 × 32 tile, eight cells per thread along y, reading the row
 * pass's output from global memory (it has no halo to stage along x, and a
 * y halo of two terms would not fit workgroup memory at the radii this path
 * is for). Eight cells, not four: each workgroup's tree reduction of the
 * observation then serves twice the cells, and each thread reads 2r + 8
 * values for eight outputs instead of 2r + 4 for four (on llvmpipe the
 * observed step at 1024², radius 4, went from 37 to 47 M cell-steps/s:
 * .scratch measurements in issue 13's note). The shape is tuned per
 * adapter (SEPARABLE_SHAPES).
 */
export const SEPARABLE_ROW_THREADS = OBSERVE_THREADS;
/**
 * Eight cells per thread of the row pass: half the staged reads per output
 * of four, and a segment of 1024 cells (its halo a smaller share of it).
 */
export const SEPARABLE_ROW_CELLS = 8;
export const SEPARABLE_ROW_TILE = SEPARABLE_ROW_THREADS * SEPARABLE_ROW_CELLS;
export const SEPARABLE_COLUMN_THREADS: readonly [number, number] = [32, 4];
export const SEPARABLE_COLUMN_CELLS = 8;
export const SEPARABLE_COLUMN_TILE: readonly [number, number] = [SEPARABLE_COLUMN_THREADS[0], SEPARABLE_COLUMN_THREADS[1] * SEPARABLE_COLUMN_CELLS];
/**
 * Widest separable stencil along either axis. Its taps sit in one uniform
 * buffer of 2·511 + 1 vec4f, 16368 bytes: within the 16 KiB every adapter
 * binds (compatibility mode's default maxUniformBufferBindingSize). The row
 * pass stages (1024 + 2·511) floats, 8 KiB, beside the observation's 2 KiB.
 */
export const MAX_SEPARABLE_RADIUS = 511;
export const MAX_SEPARABLE_TAPS = 2 * MAX_SEPARABLE_RADIUS + 1;

/**
 * The separable column pass's workgroup, tuned per adapter, grid and radius
 * (convolution-choice.ts): [threads along x, threads along y, cells per
 * thread along y], so its tile is [x, cells·y]. A thread slides one window
 * down its column for all its cells (separable.ts columnConvolutionWgsl):
 * more cells per thread read fewer values per output (2r + c values for c
 * outputs) but hold more registers. Only the partition of the work changes;
 * each cell's arithmetic, and so every bit of the result, does not.
 */
export type SeparableShape = readonly [number, number, number];

export const DEFAULT_SEPARABLE_SHAPE: SeparableShape = [SEPARABLE_COLUMN_THREADS[0], SEPARABLE_COLUMN_THREADS[1], SEPARABLE_COLUMN_CELLS];

/**
 * The shapes `auto` times, the default first. Each has OBSERVE_THREADS
 * threads (the observation's tree reduction needs that width), and its tile
 * is at least as wide (8) and as tall (16) as the direct drift's 8 × 16
 * cells, so it never needs more workgroups than directDispatch counts: the
 * observation's partials are sized by that (observation.ts).
 */
export const SEPARABLE_SHAPES: readonly SeparableShape[] = [
  DEFAULT_SEPARABLE_SHAPE, [16, 8, 8], [32, 4, 4], [8, 16, 4], [32, 4, 16], [32, 4, 32],
];

/** "32×4/8": a shape in notes and cache entries, threads along x × along y / cells per thread. */
export function shapeLabel(shape: SeparableShape): string {
  return `${shape[0]}×${shape[1]}/${shape[2]}`;
}

/** The column pass's tile of a shape: `cells` cells per thread along y. */
export function separableColumnTile(shape: SeparableShape): [number, number] {
  return [shape[0], shape[1] * shape[2]];
}

/** The separable drift's constants (its generated head), for a column pass of `shape`. */
export function separableTileWgsl(shape: SeparableShape = DEFAULT_SEPARABLE_SHAPE): string {
  const tile = separableColumnTile(shape);
  return [
    `const SEPARABLE_ROW_THREADS: u32 = ${SEPARABLE_ROW_THREADS}u;`,
    `const SEPARABLE_ROW_TILE: u32 = ${SEPARABLE_ROW_TILE}u;`,
    `const ROW_CELLS: u32 = ${SEPARABLE_ROW_CELLS}u;`,
    `const SEPARABLE_COLUMN_THREADS_X: u32 = ${shape[0]}u;`,
    `const SEPARABLE_COLUMN_THREADS_Y: u32 = ${shape[1]}u;`,
    `const SEPARABLE_COLUMN_TILE_X: u32 = ${tile[0]}u;`,
    `const SEPARABLE_COLUMN_TILE_Y: u32 = ${tile[1]}u;`,
    `const COLUMN_CELLS: u32 = ${shape[2]}u;`,
    `const MAX_SEPARABLE_RADIUS: u32 = ${MAX_SEPARABLE_RADIUS}u;`,
    `const MAX_SEPARABLE_TAPS: u32 = ${MAX_SEPARABLE_TAPS}u;`,
  ].join('\n') + '\n';
}

/** The constants every pass's WGSL may use, for a grid of this geometry. */
export function tileWgsl(t: TileGeometry): string {
  const [driftX, driftY] = driftWorkgroup(t);
  return [
    `const CELL_WORKGROUP_X: u32 = ${t.cell[0]}u;`,
    `const CELL_WORKGROUP_Y: u32 = ${t.cell[1]}u;`,
    `const TILE_X: u32 = ${t.tile[0]}u;`,
    `const TILE_Y: u32 = ${t.tile[1]}u;`,
    `const PER_THREAD: u32 = ${PER_THREAD}u;`,
    `const DRIFT_WORKGROUP_X: u32 = ${driftX}u;`,
    `const DRIFT_WORKGROUP_Y: u32 = ${driftY}u;`,
    `const OBSERVE_THREADS: u32 = ${OBSERVE_THREADS}u;`,
    `const MAX_TILED_RADIUS: u32 = ${MAX_TILED_RADIUS}u;`,
    `const MAX_TILED_RADIUS_Y: u32 = ${t.maxRadiusY}u;`,
    `const REDUCE_THREADS: u32 = ${REDUCE_THREADS}u;`,
  ].join('\n') + '\n';
}

export type Dispatch = [number, number, number];

/** The cells a dispatch covers: nx × ny (a ring: ny = 1). */
export interface DispatchGrid {
  readonly nx: number;
  readonly ny: number;
}

/**
 * Workgroups of `size` cells covering the grid along x and y, R replicas
 * along z. Each count stays within WebGPU's 65535 per dimension for every
 * grid the config allows: 16384 cells a side over 8-wide groups is 2048, a
 * ring of 262144 cells (MAX_RING_N) over 128-wide groups 2048.
 */
function cover(grid: DispatchGrid, size: readonly [number, number], replicas: number): Dispatch {
  return [Math.ceil(grid.nx / size[0]), Math.ceil(grid.ny / size[1]), replicas];
}

/** Workgroups of a one-cell-per-thread kernel. */
export function cellDispatch(grid: DispatchGrid, replicas: number): Dispatch {
  return cover(grid, tilesFor(grid).cell, replicas);
}

/** Workgroups of the tiled drift, one per tile. */
export function tiledDispatch(grid: DispatchGrid, replicas: number): Dispatch {
  return cover(grid, tilesFor(grid).tile, replicas);
}

/** Workgroups of the one-cell-per-thread drift kernels (direct and spectral drift, observe). */
export function directDispatch(grid: DispatchGrid, replicas: number): Dispatch {
  return cover(grid, driftWorkgroup(tilesFor(grid)), replicas);
}

/** Workgroups of the separable row pass (and a ring's fused separable drift): one per row segment. */
export function separableRowDispatch(grid: DispatchGrid, replicas: number): Dispatch {
  return cover(grid, [SEPARABLE_ROW_TILE, 1], replicas);
}

/** Workgroups of the separable column pass of `shape`, fused with the drift (2-D grids). */
export function separableColumnDispatch(grid: DispatchGrid, replicas: number, shape: SeparableShape = DEFAULT_SEPARABLE_SHAPE): Dispatch {
  return cover(grid, separableColumnTile(shape), replicas);
}

/**
 * Temporal blocking (src/gpu/passes/temporal/): TEMPORAL_STEPS white-noise
 * steps per dispatch on a 2-D grid, a workgroup of TEMPORAL_THREADS threads
 * owning a TEMPORAL_TILE tile and recomputing a halo of TEMPORAL_STEPS·r
 * cells around it. Workgroup memory holds f(u) over tile and halo, at most
 * TEMPORAL_MAX_STAGED floats (16 KiB: ENGINE_NEEDS' workgroup storage); each
 * thread keeps u and F of TEMPORAL_CELLS of those cells in registers.
 * At two steps the 32² tile takes radii up to 8 (a 64² region).
 */
export const TEMPORAL_STEPS = 2;
export const TEMPORAL_TILE: readonly [number, number] = [32, 32];
export const TEMPORAL_THREADS = 256;
export const TEMPORAL_MAX_STAGED = 4096;
export const TEMPORAL_CELLS = TEMPORAL_MAX_STAGED / TEMPORAL_THREADS;
