import { ConfigError } from '../config/errors.js';
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

export function describeGrid(config: Config): string {
  const { n, length } = config.grid;
  return `${n}×${n} cells, L = ${length}, dt = ${config.dt}`;
}
