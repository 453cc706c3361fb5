import { describeGrid, gridOf, kernelRadii, type Grid, type Radii } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { MAPPED_FIELDS, fieldSpec } from '../config/maps.js';
import { DEFAULT_SEPARABLE_SHAPE, SEPARABLE_SHAPES, shapeLabel, type SeparableShape } from './layout/tiles.js';
import { separableTaps } from './passes/drift/separable-taps.js';

/**
 * How the engine convolves, as `auto` chooses and caches: `stencil`, the
 * separable stencil where the kernel factorises (passes/drift/drift.ts:
 * driftVariant), else the 2-D stencil (tiled, or past MAX_TILED_RADIUS
 * direct); or `fft`.
 */
export type ConvolutionPath = 'stencil' | 'fft';

/**
 * What an engine may be asked for: a path, `auto` (the faster of the two,
 * measured), or `stencil-2d`, the 2-D stencil even where the separable one
 * is exact: a cross-check, which the engine reports as path `stencil`.
 */
export type ConvolutionRequest = ConvolutionPath | 'stencil-2d' | 'auto';

/**
 * Milliseconds per step of a path on a throwaway engine of `config` (the
 * engine supplies it: no import cycle), its separable column pass of `shape`
 * where given. It may stop timing, returning what it has, once a step is
 * known to cost more than `limitMs`.
 */
export type TimeConvolution = (path: ConvolutionPath, config: Config, limitMs?: number, shape?: SeparableShape) => Promise<number>;

/**
 * A choice as a cache holds it: the path, or where the separable column
 * pass's shape was tuned to other than the default, "stencil 16×8/8" (threads
 * along x × along y / cells per thread; before cells were tuned, "stencil
 * 16×8", four cells). The
 * default shape is stored as plain `stencil`, which every reader of the
 * older entries (paths only) still understands.
 */
export type CachedConvolution = ConvolutionPath | `stencil ${number}×${number}` | `stencil ${number}×${number}/${number}`;

/**
 * Where choices outlive the process: the browser's localStorage, a file on
 * disk for the CLI. Keys name the adapter, the grid (nx × ny, or a ring) and
 * the stencil's radii.
 */
export interface ConvolutionCache {
  load(key: string): CachedConvolution | undefined;
  store(key: string, entry: CachedConvolution): void;
}

/**
 * The path, how it was decided (for the start-up status and the CLI's note),
 * and where the separable stencil's column pass was tuned, its workgroup.
 */
export interface ConvolutionChoice {
  path: ConvolutionPath;
  how: string;
  shape?: SeparableShape;
}

/** A choice as the cache stores it (CachedConvolution). */
export function encodeChoice(choice: Pick<ConvolutionChoice, 'path' | 'shape'>): CachedConvolution {
  const { path, shape } = choice;
  if (path !== 'stencil' || !shape || shapeLabel(shape) === shapeLabel(DEFAULT_SEPARABLE_SHAPE)) return path;
  return `stencil ${shape[0]}×${shape[1]}/${shape[2]}`;
}

/** The column pass's cells per thread before they were tuned: what an entry without them ran. */
const CELLS_BEFORE_TUNING = 4;

/**
 * A cached entry read back, or undefined for anything else (a foreign or
 * stale value: measured again). A shape must be one of SEPARABLE_SHAPES: an
 * entry written by another version's candidates is not trusted. Entries
 * from before cells per thread were tuned ("stencil 16×8") had four.
 */
export function decodeChoice(entry: unknown): Pick<ConvolutionChoice, 'path' | 'shape'> | undefined {
  if (entry === 'fft' || entry === 'stencil') return { path: entry };
  const m = typeof entry === 'string' ? /^stencil (\d+)×(\d+)(?:\/(\d+))?$/.exec(entry) : null;
  const cells = m?.[3] === undefined ? CELLS_BEFORE_TUNING : Number(m[3]);
  const shape = m ? SEPARABLE_SHAPES.find((s) => s[0] === Number(m[1]) && s[1] === Number(m[2]) && s[2] === cells) : undefined;
  return shape ? { path: 'stencil', shape } : undefined;
}

/**
 * Cells per side of the grid the two paths are timed on (a ring: TIMING_N²
 * cells, as many as the square). Timing them at full size cost about a minute
 * at 4096² on a software adapter; at 512² a step of either path takes
 * milliseconds on a GPU and a fraction of a second on llvmpipe. A power of
 * two, so that the timing grid's cell size L·m/n / m is the run's L/n exactly
 * (its stencil the same in cells).
 */
export const TIMING_N = 512;

/** Radii up to this never lose to the FFT's two transforms per step: not measured. */
const SMALL_RADIUS = 2;

const choices = new Map<string, Promise<ConvolutionChoice>>();

/** "r=5,5" (a ring: "r=5"): the stencil's radii in cache keys and notes. */
function radiiLabel(grid: Grid, radii: Radii): string {
  return grid.dimensions === 1 ? `${radii.x}` : `${radii.x},${radii.y}`;
}

/**
 * The faster convolution for an adapter, grid and stencil: from the process's
 * memory, else the cache, else measured. Both paths are timed on a grid of at
 * most TIMING_N cells per side (a ring: TIMING_N² cells) with the same cell
 * sizes (the same stencil in cells) and extrapolated: the stencil's work
 * grows as the cells N, the FFT's as N log N, so the FFT's time is scaled by
 * log(N)/log(M) more (M the timing grid's cells). A stencil reaching across
 * the timing grid along either axis is wider than any stencil worth running:
 * the FFT, unmeasured.
 */
export function chooseConvolution(
  description: string, config: Config, time: TimeConvolution, cache?: ConvolutionCache,
): Promise<ConvolutionChoice> {
  const grid = gridOf(config);
  const radii = kernelRadii(config);
  const r = radiiLabel(grid, radii);
  if (Math.max(radii.x, radii.y) <= SMALL_RADIUS) return Promise.resolve({ path: 'stencil', how: `stencil radius ${r}: not measured` });
  const m = timingGrid(grid);
  if (2 * radii.x + 1 > m.nx || 2 * radii.y + 1 > m.ny) {
    return Promise.resolve({ path: 'fft', how: `stencil radius ${r} cells: wider than any stencil worth timing` });
  }
  // A choice measured against the 2-D stencil says nothing about the separable one: the key names the form.
  // Where the column pass's shape is tuned too, the key says so, and since cells per thread are tuned with it, that too:
  // entries from before hold a narrower choice (or none), and are measured again.
  const form = !separableTaps(config) ? '' : tunesShape(config) ? '|separable|shape|cells' : '|separable';
  const key = `${description}|${grid.dimensions === 1 ? `ring ${grid.nx}` : `${grid.nx}×${grid.ny}`}|r=${r}${form}`;
  let choice = choices.get(key);
  if (!choice) {
    const cached = decodeChoice(cache?.load(key));
    choice = cached ? Promise.resolve(cachedChoice(cached, config)) : measure(config, time).then((c) => (cache?.store(key, encodeChoice(c)), c));
    choices.set(key, choice);
    choice.catch(() => choices.delete(key));
  }
  return choice;
}

/** Whether `auto` tunes the separable column pass's shape: the separable stencil on a 2-D grid (a ring has no column pass). */
function tunesShape(config: Config): boolean {
  const taps = separableTaps(config);
  return taps !== undefined && !taps.ring;
}

/** A cached choice; the engine's note names the shape it runs (GpuEngine.convolutionNote). */
function cachedChoice(cached: Pick<ConvolutionChoice, 'path' | 'shape'>, config: Config): ConvolutionChoice {
  const how = 'cached for this adapter';
  if (cached.path !== 'stencil' || !tunesShape(config)) return { path: cached.path, how };
  return { path: 'stencil', shape: cached.shape ?? DEFAULT_SEPARABLE_SHAPE, how };
}

async function measure(config: Config, time: TimeConvolution): Promise<ConvolutionChoice> {
  const small = timingConfig(config);
  const [grid, timed] = [gridOf(config), gridOf(small)];
  const growth = Math.log(grid.cells) / Math.log(timed.cells);
  // `stencil` is the separable stencil wherever the kernel factorises: that is what the FFT is timed against.
  const { stencil, shape, shapes } = tunesShape(config) ? await fastestShape(small, time) : { stencil: await time('stencil', small), shape: undefined, shapes: '' };
  // The FFT loses once its step on the timing grid, scaled to the run's, costs more than the stencil's.
  const fftAtN = (await time('fft', small, stencil / growth)) * growth;
  const path = fftAtN < stencil ? 'fft' : 'stencil';
  const where = small === config ? describeGrid(grid) : `${describeGrid(timed)}, extrapolated to ${describeGrid(grid)}`;
  const name = separableTaps(config) ? 'separable stencil' : 'stencil';
  const how = `measured on ${where}: ${name} ${stencil.toPrecision(3)} ms, FFT ${fftAtN.toPrecision(3)} ms per step`;
  return path === 'stencil' && shape ? { path, shape, how: `${how}; column workgroup ${shapeLabel(shape)} (${shapes})` } : { path, how };
}

/**
 * A shape displaces the best so far only when at least this much faster
 * (5%): on llvmpipe the three shapes' steps differ by less than the spread of
 * repeated timings, and a coin toss should keep the default, not flip the
 * shape from one measurement to the next.
 */
const SHAPE_MARGIN = 0.95;

/**
 * The separable stencil's fastest column shape on the timing grid: each of
 * SEPARABLE_SHAPES, the default first, timed like the paths. A candidate may
 * stop timing once it cannot win, slower than the best so far less the margin
 * (TimeConvolution's limit), so a losing shape costs a batch or two.
 * `shapes` lists each candidate's time for the note ("32×4/8 12.0, 16×8/8 >13.1":
 * ">" marks a loser, whose timing may have stopped early, a lower bound).
 */
async function fastestShape(small: Config, time: TimeConvolution): Promise<{ stencil: number; shape: SeparableShape; shapes: string }> {
  let best = { stencil: Infinity, shape: DEFAULT_SEPARABLE_SHAPE };
  const notes: string[] = [];
  for (const shape of SEPARABLE_SHAPES) {
    const bar = best.stencil * SHAPE_MARGIN;
    const ms = await time('stencil', small, best.stencil === Infinity ? undefined : bar, shape);
    notes.push(`${shapeLabel(shape)} ${ms > bar ? '>' : ''}${ms.toPrecision(3)}`);
    if (ms < bar) best = { stencil: ms, shape };
  }
  return { ...best, shapes: `${notes.join(', ')} ms` };
}

/** The timing grid's cells: at most TIMING_N per side of a 2-D grid, TIMING_N² on a ring. */
function timingGrid(grid: Grid): { nx: number; ny: number } {
  if (grid.dimensions === 1) return { nx: Math.min(grid.nx, TIMING_N * TIMING_N), ny: 1 };
  return { nx: Math.min(grid.nx, TIMING_N), ny: Math.min(grid.ny, TIMING_N) };
}

/**
 * The config on the timing grid (timingGrid) with the same cell sizes: each
 * clipped axis keeps Δ and shrinks its length to Δ·m (exact: m is a power of
 * two), so the stencils are the run's. Maps become uniform: both paths read
 * them the same way, and a map file has the full grid's shape. Only the
 * convolution's cost is compared; the values need not be the run's. A grid
 * that is not clipped is the run's own config.
 */
export function timingConfig(config: Config): Config {
  const grid = gridOf(config);
  const m = timingGrid(grid);
  // The run's own config on its own grid: the spectra cached for it serve the timed engines too.
  if (m.nx === grid.nx && m.ny === grid.ny) return config;
  const uniform = (field: (typeof MAPPED_FIELDS)[number], fallback: number) => {
    const v = fieldSpec(config, field);
    return typeof v === 'number' ? v : fallback;
  };
  const transfer = config.transfer.type === 'linear' ? { ...config.transfer, slope: uniform('transfer.slope', 0.5) } : config.transfer;
  const lx = m.nx === grid.nx ? grid.lx : grid.dx * m.nx;
  const ly = m.ny === grid.ny ? grid.ly : grid.dy * m.ny;
  const shape = grid.dimensions === 1 ? { n: m.nx, length: lx }
    : m.nx === m.ny && lx === ly ? { n: m.nx, length: lx } : { n: [m.nx, m.ny], length: [lx, ly] };
  return {
    ...config,
    grid: { ...config.grid, ...shape },
    noise: { ...config.noise, amplitude: uniform('noise.amplitude', 0.01) },
    input: uniform('input', 0),
    transfer,
  } as Config;
}

/** Forgets the choices made in this process (tests measure afresh). */
export function forgetConvolutionChoices(): void {
  choices.clear();
}
