import { ConfigError, sig6 as fmt } from './errors.js';
import { forEachCell, gridOf, periodicDisplacement, wrapDisplacement, type Grid } from './geometry.js';
import type { Config, MapSpec, Mappable, PatternMap } from './schema.js';

/**
 * Maps of docs/model.md §8: per-cell values of noise.amplitude (D),
 * transfer.slope (linear transfer) and input (h), from a .npy file or a named
 * pattern. Values are a Float64Array of one value per cell at the flat index
 * i = iy·nx + ix (row = y), cell (ix, iy) at (ix·Δx, iy·Δy); a ring's cells lie
 * at (ix·Δx, 0) (docs/model.md §7). Pure and universal (no Node
 * builtins): files are read by src/config/load-file.ts, or by the caller,
 * and registered here by their path.
 */

export const MAPPED_FIELDS = ['noise.amplitude', 'transfer.slope', 'input'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];

export function isMap(value: Mappable): value is MapSpec {
  return typeof value !== 'number';
}

/** The config's value of a mappable field: a number or a map; undefined for the slope of a nonlinear transfer. */
export function fieldSpec(config: Pick<Config, 'noise' | 'transfer' | 'input'>, field: MappedField): Mappable | undefined {
  switch (field) {
    case 'noise.amplitude':
      return config.noise.amplitude;
    case 'transfer.slope':
      return config.transfer.type === 'linear' ? config.transfer.slope : undefined;
    case 'input':
      return config.input;
  }
}

/** The fields of the config that are maps. */
export function mappedFields(config: Pick<Config, 'noise' | 'transfer' | 'input'>): MappedField[] {
  return MAPPED_FIELDS.filter((f) => {
    const v = fieldSpec(config, f);
    return v !== undefined && isMap(v);
  });
}

/** The number of a uniform field, or undefined for a map. */
export function uniformValue(value: Mappable): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** A short name of a map for messages: `the stripe map`, `the map file "d.npy"`. */
export function describeMap(spec: MapSpec): string {
  return 'file' in spec ? `the map file "${spec.file}"` : `the ${spec.pattern} map`;
}

// ---------------------------------------------------------------------------
// Files: registered by path (load-file.ts registers the resolved absolute path).

const files = new Map<string, Float64Array>();

/**
 * Registers the values of a map file under the path a config names it by
 * (`{ "file": path }`): one value per cell, row = y. loadConfigFile does this for every
 * file a config names, with the path resolved against the config's folder;
 * in a browser, the caller reads the file and registers it before parseConfig.
 */
export function registerMapFile(file: string, values: Float64Array): void {
  files.set(file, values);
}

export function registeredMapFile(file: string): Float64Array | undefined {
  return files.get(file);
}

function notLoaded(field: MappedField, file: string): string {
  return (
    `${field}: the map file "${file}" has not been loaded; allowed: a file loaded with its config by loadConfigFile ` +
    `(amari-ep/node, the CLI: paths relative to the config file), or values registered first with registerMapFile("${file}", values)`
  );
}

// ---------------------------------------------------------------------------
// Values.

const computed = new WeakMap<MapSpec, { grid: Grid; values: Float64Array }>();

const sameGrid = (a: Grid, b: Grid) =>
  a.dimensions === b.dimensions && a.nx === b.nx && a.ny === b.ny && a.lx === b.lx && a.ly === b.ly;

/** The shape a map file must have: [ny, nx], or [n] on a ring. */
export function mapShape(grid: Grid): string {
  return grid.dimensions === 1 ? `[${grid.nx}] (the ring's cells)` : `[${grid.ny}, ${grid.nx}] (ny × nx, row = y)`;
}

/** The values of a map on the grid (computed once per spec object; read-only). */
export function mapValues(spec: MapSpec, grid: Grid, field: MappedField): Float64Array {
  if ('file' in spec) {
    const values = files.get(spec.file);
    if (!values) throw new ConfigError([notLoaded(field, spec.file)]);
    if (values.length !== grid.cells) {
      throw new ConfigError([
        `${field}: ${describeMap(spec)} holds ${values.length} values; allowed: one per cell, ${grid.cells} (shape ${mapShape(grid)})`,
      ]);
    }
    return values;
  }
  const hit = computed.get(spec);
  if (hit && sameGrid(hit.grid, grid)) return hit.values;
  const values = patternValues(spec, grid);
  computed.set(spec, { grid, values });
  return values;
}

/** The per-cell values of a field: its number when uniform (the cheap scalar path), else the map's values. */
export function fieldValues(config: Config, field: MappedField): number | Float64Array {
  const v = fieldSpec(config, field);
  if (v === undefined) throw new Error(`${field} has no value for transfer.type = "${config.transfer.type}"`);
  return typeof v === 'number' ? v : mapValues(v, gridOf(config), field);
}

/** The values of a field on every cell (a uniform field filled with its number). */
export function fieldArray(config: Config, field: MappedField): Float64Array {
  const v = fieldValues(config, field);
  return typeof v === 'number' ? new Float64Array(gridOf(config).cells).fill(v) : v;
}

/**
 * Everything wrong with the config's maps, one line each: a file not loaded
 * (unless `files` is 'skip': the loader checks them itself), the wrong number
 * of values, a value that is not finite, and noise amplitudes that are not > 0.
 */
export function mapProblems(config: Config, files: 'check' | 'skip' = 'check'): string[] {
  const problems: string[] = [];
  for (const field of mappedFields(config)) {
    const spec = fieldSpec(config, field) as MapSpec;
    if ('file' in spec && files === 'skip') continue;
    let values: Float64Array;
    try {
      values = mapValues(spec, gridOf(config), field);
    } catch (e) {
      if (e instanceof ConfigError) {
        for (const problem of e.problems) problems.push(problem);
        continue;
      }
      throw e;
    }
    const problem = valueProblem(values, gridOf(config).nx, field === 'noise.amplitude');
    if (problem) {
      const hint =
        field === 'noise.amplitude' && 'pattern' in spec && spec.pattern === 'random' && spec.distribution === 'normal'
          ? ' (a "lognormal" distribution is positive everywhere; or a smaller std)'
          : '';
      problems.push(`${field}: ${describeMap(spec)} ${problem}${hint}`);
    }
  }
  return problems;
}

/**
 * Why a map's values cannot be used, or undefined: a value that is not finite,
 * or (for the noise amplitude) one that is not > 0. Names the first such cell.
 */
export function valueProblem(values: Float64Array, nx: number, positive: boolean): string | undefined {
  let worst = -1;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      return `has the value ${values[i]} at cell (ix, iy) = (${i % nx}, ${Math.floor(i / nx)}); allowed: finite values`;
    }
    if (positive && (worst < 0 || values[i] < values[worst])) worst = i;
  }
  if (positive && values[worst] <= 0) {
    return (
      `has the minimum ${fmt(values[worst])} at cell (ix, iy) = (${worst % nx}, ${Math.floor(worst / nx)}); ` +
      `allowed: a noise amplitude D > 0 in every cell (the entropy estimator divides by it)`
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Patterns.

/**
 * The values of a named pattern on a grid (README, "Maps"): positions in units
 * of length, displacements periodic on each side. On a ring (cells at y = 0) a
 * centre's y is not used and a stripe or tilt runs along x only (the config
 * check refuses axis "y" there).
 */
export function patternValues(p: PatternMap, grid: Grid): Float64Array {
  const out = new Float64Array(grid.cells);
  const each = (f: (x: number, y: number) => number) => forEachCell(grid, (x, y, i) => (out[i] = f(x, y)));
  switch (p.pattern) {
    case 'stripe':
      each((x, y) => {
        const d = p.axis === 'x' ? wrapDisplacement(x - p.center, grid.lx) : wrapDisplacement(y - p.center, grid.ly);
        return d >= -p.width / 2 && d < p.width / 2 ? p.inside : p.outside;
      });
      break;
    case 'disc':
      each((x, y) => (Math.hypot(...periodicDisplacement(grid, x, y, p.center[0], p.center[1])) <= p.radius ? p.inside : p.outside));
      break;
    case 'bump':
      each((x, y) => {
        const [rx, ry] = periodicDisplacement(grid, x, y, p.center[0], p.center[1]);
        return p.base + (p.peak - p.base) * Math.exp(-(rx * rx + ry * ry) / (2 * p.sigma * p.sigma));
      });
      break;
    case 'tilt':
      each((x, y) => p.base * Math.exp(p.rate * (p.axis === 'x' ? x : y)));
      break;
    case 'random': {
      const z = smoothNormalField(grid, p.correlationLength, p.seed);
      if (p.distribution === 'normal') {
        for (let i = 0; i < out.length; i++) out[i] = p.mean + p.std * z[i];
      } else {
        if (!(p.mean > 0)) {
          throw new ConfigError([`random map: mean ${fmt(p.mean)} with "distribution": "lognormal"; allowed: a mean > 0`]);
        }
        // Log-normal with this mean and standard deviation: exp(μ + s·z), s² = ln(1 + (std/mean)²), μ = ln mean − s²/2.
        const s2 = Math.log1p((p.std / p.mean) ** 2);
        const s = Math.sqrt(s2);
        for (let i = 0; i < out.length; i++) out[i] = p.mean * Math.exp(s * z[i] - s2 / 2);
      }
      break;
    }
  }
  return out;
}

/** A 32-bit integer hash (a finaliser of the lowbias32 family): well mixed, the same in every JavaScript engine. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A Gaussian random field on the grid's torus (or ring), standardised to mean 0
 * and variance 1 over the grid: independent normals per cell (a hash of the
 * seed and the cell, Box–Muller), smoothed for ℓ > 0 by the separable periodic
 * filter exp(−r²/ℓ²) (standard deviation ℓ/√2 per axis; along x only on a
 * ring), so that the correlation is exp(−r²/(2ℓ²)). ℓ = 0: independent cells.
 */
export function smoothNormalField(grid: Grid, correlationLength: number, seed: number): Float64Array {
  const N = grid.cells;
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 2 ** 32) >>> 0;
  const key = mix32(mix32(lo ^ 0x9e3779b9) ^ hi);
  let z = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const h = mix32(key ^ mix32(i + 0x632be5ab));
    const u0 = (mix32(h ^ 0x85ebca6b) + 0.5) / 2 ** 32;
    const u1 = (mix32(h ^ 0xc2b2ae35) + 0.5) / 2 ** 32;
    z[i] = Math.sqrt(-2 * Math.log(u0)) * Math.cos(2 * Math.PI * (u1 - 0.5));
  }
  if (correlationLength > 0) {
    z = smoothAlong(z, grid, 'x', correlationLength);
    if (grid.dimensions === 2) z = smoothAlong(z, grid, 'y', correlationLength);
  }
  let mean = 0;
  for (const v of z) mean += v;
  mean /= N;
  let variance = 0;
  for (const v of z) variance += (v - mean) ** 2;
  const scale = variance > 0 ? 1 / Math.sqrt(variance / N) : 0;
  for (let i = 0; i < N; i++) z[i] = (z[i] - mean) * scale;
  return z;
}

/** The periodic filter exp(−(mΔ)²/ℓ²), |m| ≤ ceil(4ℓ/(√2 Δ)), along one axis. */
function smoothAlong(z: Float64Array, grid: Grid, axis: 'x' | 'y', correlationLength: number): Float64Array<ArrayBuffer> {
  const { nx, ny } = grid;
  const [d, count] = axis === 'x' ? [grid.dx, nx] : [grid.dy, ny];
  const r = Math.ceil((4 * correlationLength) / Math.SQRT2 / d);
  const taps = Float64Array.from({ length: 2 * r + 1 }, (_, k) => Math.exp(-(((k - r) * d) ** 2) / correlationLength ** 2));
  const wrapIndex = (v: number) => ((v % count) + count) % count;
  const out = new Float64Array(z.length);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      let s = 0;
      if (axis === 'x') for (let k = -r; k <= r; k++) s += taps[k + r] * z[iy * nx + wrapIndex(ix - k)];
      else for (let k = -r; k <= r; k++) s += taps[k + r] * z[wrapIndex(iy - k) * nx + ix];
      out[iy * nx + ix] = s;
    }
  }
  return out;
}
