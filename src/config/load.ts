import { ConfigError, describeIssues, sig6 as fmt } from './errors.js';
import { cellSize, kernelRadiusCells, kernelReach, noiseRadiusCells } from './geometry.js';
import { mapProblems } from './maps.js';
import { presetNames, presets, type PresetName } from './presets.js';
import { configSchema, type Config } from './schema.js';

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
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, input));
  const problems = discretisationProblems(parsed.data);
  const all = problems.length ? problems : mapProblems(parsed.data, options.mapFiles ?? 'check');
  if (all.length) throw new ConfigError(all);
  return parsed.data;
}

function discretisationProblems(config: Config): string[] {
  const problems: string[] = [];
  const n = config.grid.n;
  const dx = cellSize(config);
  const rc = kernelRadiusCells(config);
  if (2 * rc + 1 > n) {
    const source = config.kernel.radius !== undefined ? 'kernel.radius' : '|kernel.shift| + 4·max σ';
    problems.push(
      `kernel: the stencil spans 2·ceil(R/Δx)+1 = ${2 * rc + 1} cells (R = ${fmt(kernelReach(config.kernel))} from ${source}, ` +
        `Δx = ${fmt(dx)}) but grid.n = ${n}; allowed: at most grid.n cells (a narrower kernel, a smaller radius, or more cells)`,
    );
  }
  const lambda = config.noise.correlationLength;
  if (lambda === 0 && config.noise.whiteFraction > 0) {
    problems.push(
      `noise.whiteFraction: got ${config.noise.whiteFraction} with noise.correlationLength = 0; allowed: 0 ` +
        `(a white floor only applies to correlated noise)`,
    );
  }
  if (lambda > 0 && lambda < dx) {
    problems.push(
      `noise.correlationLength: got ${fmt(lambda)}; allowed: 0 (white noise) or at least the cell size Δx = ${fmt(dx)} ` +
        `(a shorter correlation is below the grid's resolution)`,
    );
  } else if (lambda > 0 && 2 * noiseRadiusCells(config) + 1 > n) {
    problems.push(
      `noise.correlationLength: got ${fmt(lambda)}, whose filter spans ${2 * noiseRadiusCells(config) + 1} cells but grid.n = ${n}; ` +
        `allowed: a filter of at most grid.n cells (λ ≤ ${fmt((Math.floor((n - 1) / 2) * dx * Math.SQRT2) / 4)})`,
    );
  }
  return problems;
}

export function presetConfig(name: string): Config {
  if (!(presetNames as string[]).includes(name)) {
    throw new ConfigError([`preset: got "${name}"; allowed: ${presetNames.join(', ')}`]);
  }
  return parseConfig(structuredClone(presets[name as PresetName]));
}
