import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { fieldSpec, mappedFields, type MappedField } from '../../src/config/maps.js';
import type { Config, MapSpec } from '../../src/config/schema.js';

/**
 * A config that names map files: kept as it is (the GUI shows it, links and
 * exports carry it) but not run, since a page cannot read the user's files.
 */
export class UnloadableMaps extends ConfigError {
  constructor(readonly config: Config, files: { field: MappedField; file: string }[]) {
    super(
      files.map(
        ({ field, file }) =>
          `${field} is the map file "${file}", which this page cannot read (a browser has no access to your files); ` +
          `allowed here: a number or a pattern (choose one in the panel); to run it with its file: amari-ep run --config FILE`,
      ),
    );
    this.name = 'UnloadableMaps';
    this.message = this.problems.join('\n');
  }
}

/**
 * Parses a config for the page (schema, discretisation, pattern maps); a map
 * file is refused with UnloadableMaps, which holds the parsed config.
 */
export function checkConfig(input: unknown): Config {
  const config = parseConfig(structuredClone(input), { mapFiles: 'skip' });
  const files = mappedFields(config).flatMap((field) => {
    const spec = fieldSpec(config, field) as MapSpec;
    return 'file' in spec ? [{ field, file: spec.file }] : [];
  });
  if (files.length) throw new UnloadableMaps(config, files);
  return config;
}
