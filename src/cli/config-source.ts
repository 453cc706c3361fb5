import { ConfigError } from '../config/errors.js';
import { describeGrid, gridOf } from '../config/geometry.js';
import { loadConfigFile } from '../config/load-file.js';
import { presetConfig } from '../config/load.js';
import { DEFAULT_PRESET } from '../config/presets.js';
import type { Config } from '../config/schema.js';

export interface ConfigSource {
  config?: string;
  preset?: string;
}

/** --config FILE or --preset NAME (the default preset when neither is given). */
export function resolveConfig(options: ConfigSource): { config: Config; label: string } {
  if (options.config && options.preset) {
    throw new ConfigError(['give --config FILE or --preset NAME, not both']);
  }
  if (options.config) return { config: loadConfigFile(options.config), label: options.config };
  const name = options.preset ?? DEFAULT_PRESET;
  return { config: presetConfig(name), label: `preset ${name}` };
}

/**
 * The grid, its size and the time step as the commands print them:
 * "64² cells, L = 64, dt = 0.05", "24 × 10 cells, L = 12 × 5, dt = 0.05",
 * "a ring of 64 cells, L = 32, dt = 0.05" (describeGrid names the grid).
 */
export function describeSetting(config: Config): string {
  const grid = gridOf(config);
  const cells = grid.dimensions === 1 ? describeGrid(grid) : `${describeGrid(grid)} cells`;
  const length = grid.dimensions === 1 || grid.lx === grid.ly ? `${grid.lx}` : `${grid.lx} × ${grid.ly}`;
  return `${cells}, L = ${length}, dt = ${config.dt}`;
}
