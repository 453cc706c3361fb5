import { ConfigError, describeIssues, sig6 as fmt } from './errors.js';
import { gridOf, kernelRadii, kernelReach, noiseRadii } from './geometry.js';
import { fieldSpec, mappedFields, mapProblems } from './maps.js';
import { nestingProblem } from './nesting.js';
import { presetNames, presets, type PresetName } from './presets.js';
import { configSchema, MAX_N, type Config } from './schema.js';

export interface ParseOptions {
  /**
   * 'check' (the default): a map file must have been registered (registerMapFile,
   * or loadConfigFile which reads it) and is checked; 'skip': map files are left
   * to the caller (loadConfigFile reads and checks them after parsing).
   */
  mapFiles?: 'check' | 'skip';
}

/**
 * Validates a configuration document: the schema first (each field on its own),
 * then the constraints between fields that the discretisation imposes (docs/model.md §2),
 * then the maps' values (docs/model.md §8). Throws one ConfigError that lists every
 * problem; returns the config with its defaults filled in.
 */
export function parseConfig(input: unknown, options: ParseOptions = {}): Config {
  const tooDeep = nestingProblem(input);
  if (tooDeep) throw new ConfigError([tooDeep]);
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, input));
  const problems = discretisationProblems(parsed.data);
  const all = problems.length ? problems : mapProblems(parsed.data, options.mapFiles ?? 'check');
  if (all.length) throw new ConfigError(all);
  return parsed.data;
}

function discretisationProblems(config: Config): string[] {
  const problems = shapeProblems(config);
  if (problems.length) return problems;
  const grid = gridOf(config);
  const axes = grid.dimensions === 1 ? (['x'] as const) : (['x', 'y'] as const);
  const cellsOn = (axis: 'x' | 'y') => (axis === 'x' ? grid.nx : grid.ny);
  const sizeOn = (axis: 'x' | 'y') => (axis === 'x' ? grid.dx : grid.dy);
  const largest = (axis: 'x' | 'y') => Math.floor((cellsOn(axis) - 1) / 2) * sizeOn(axis);
  const rc = kernelRadii(config);
  // Axes that fail alike (a square grid) share one message: "along x and y".
  const tooWide = axes.filter((axis) => 2 * rc[axis] + 1 > cellsOn(axis));
  for (const group of alike(tooWide, (axis) => `${rc[axis]}|${cellsOn(axis)}|${sizeOn(axis)}`)) {
    const axis = group[0];
    const along = group.join(' and ');
    const d = group.length > 1 ? 'Δ' : `Δ${axis}`;
    const source = config.kernel.radius !== undefined ? 'kernel.radius' : '|kernel.shift| + 4·max σ';
    problems.push(
      `kernel: along ${along} the stencil spans 2·ceil(R/${d})+1 = ${2 * rc[axis] + 1} cells (R = ${fmt(kernelReach(config.kernel))} from ${source}, ` +
        `${d} = ${fmt(sizeOn(axis))}) but the grid has ${cellsOn(axis)}; allowed: a reach R ≤ ${fmt(largest(axis))} ` +
        `(a narrower kernel, a smaller radius, or more cells along ${along})`,
    );
  }
  const lambda = config.noise.correlationLength;
  if (lambda === 0 && config.noise.whiteFraction > 0) {
    problems.push(
      `noise.whiteFraction: got ${config.noise.whiteFraction} with noise.correlationLength = 0; allowed: 0 ` +
        `(a white floor only applies to correlated noise)`,
    );
  }
  const coarsest = axes.length > 1 ? Math.max(grid.dx, grid.dy) : grid.dx;
  const cell = axes.length > 1 && grid.dx !== grid.dy ? `the larger cell side max(Δx, Δy) = ${fmt(coarsest)}` : `the cell size Δx = ${fmt(coarsest)}`;
  if (lambda > 0 && lambda < coarsest) {
    problems.push(
      `noise.correlationLength: got ${fmt(lambda)}; allowed: 0 (white noise) or at least ${cell} ` +
        `(a shorter correlation is below the grid's resolution)`,
    );
  } else if (lambda > 0) {
    const rn = noiseRadii(config);
    const tooWideNoise = axes.filter((axis) => 2 * rn[axis] + 1 > cellsOn(axis));
    for (const group of alike(tooWideNoise, (axis) => `${rn[axis]}|${cellsOn(axis)}|${sizeOn(axis)}`)) {
      const axis = group[0];
      problems.push(
        `noise.correlationLength: got ${fmt(lambda)}, whose filter spans ${2 * rn[axis] + 1} cells along ${group.join(' and ')} ` +
          `but the grid has ${cellsOn(axis)}; allowed: λ ≤ ${fmt((largest(axis) * Math.SQRT2) / 4)}`,
      );
    }
  }
  return problems;
}

/** The items grouped by key, in order of first appearance. */
function alike<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return [...groups.values()];
}

/** The forms that depend on grid.dimensions: a ring has one n, one L and a scalar shift. */
function shapeProblems(config: Config): string[] {
  const problems: string[] = [];
  const { grid, kernel } = config;
  if (grid.dimensions === 1) {
    if (typeof grid.n !== 'number') problems.push(`grid.n: got [${grid.n.join(', ')}] with grid.dimensions = 1; allowed: one integer, the ring's cells`);
    if (typeof grid.length !== 'number') {
      problems.push(`grid.length: got [${grid.length.join(', ')}] with grid.dimensions = 1; allowed: one number, the ring's circumference`);
    }
    if (typeof kernel.shift !== 'number' && kernel.shift[1] !== 0) {
      problems.push(`kernel.shift: got [${kernel.shift.join(', ')}] on a ring; allowed: one number (the shift along the ring)`);
    }
    for (const field of mappedFields(config)) {
      const spec = fieldSpec(config, field);
      if (typeof spec === 'object' && 'axis' in spec && spec.axis === 'y') {
        problems.push(`${field}: a ${spec.pattern} map along axis "y" on a ring; allowed: axis "x" (a ring has no y)`);
      }
    }
  } else {
    if (typeof grid.n === 'number' && grid.n > MAX_N) problems.push(`grid.n: got ${grid.n}; allowed: an integer from 4 to ${MAX_N} (larger only for a ring)`);
    if (typeof kernel.shift === 'number') {
      problems.push(`kernel.shift: got the number ${kernel.shift} on a 2-D grid; allowed: a pair [sx, sy] (one number only on a ring)`);
    }
  }
  return problems;
}

export function presetConfig(name: string): Config {
  if (!(presetNames as string[]).includes(name)) {
    throw new ConfigError([`preset: got "${name}"; allowed: ${presetNames.join(', ')}`]);
  }
  return parseConfig(structuredClone(presets[name as PresetName]));
}
