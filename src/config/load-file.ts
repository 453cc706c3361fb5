import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import { parseConfig } from './load.js';
import { gridOf, type Grid } from './geometry.js';
import { fieldSpec, mapShape, mappedFields, registerMapFile, valueProblem, type MappedField } from './maps.js';
import { decodeNpy } from './npy.js';
import type { Config, FileMap } from './schema.js';

/**
 * Reads and validates a configuration file (Node only; the browser parses JSON it already has),
 * UTF-8 with or without a byte-order mark.
 * Map files (docs/model.md §8) are read here, before anything runs: each path is
 * resolved against the config file's folder, checked (a .npy of float64 or float32
 * in C order, shape [grid.n, grid.n], finite, and > 0 for the noise amplitude)
 * and registered; the returned config names each file by its absolute path.
 */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`cannot read config file ${path}: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    // A byte-order mark, which some editors write at the start of UTF-8 files, is not JSON.
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (e) {
    throw new ConfigError([`config file ${path} is not valid JSON: ${(e as Error).message}`]);
  }
  const config = parseConfig(json, { mapFiles: 'skip' });
  const problems: string[] = [];
  for (const field of mappedFields(config)) {
    const spec = fieldSpec(config, field);
    if (typeof spec === 'object' && 'file' in spec) {
      const problem = loadMapFile(spec, dirname(resolve(path)), gridOf(config), field);
      if (problem) problems.push(problem);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/**
 * Reads one map file relative to `folder`, checks it and registers it under its
 * absolute path, which it writes back into the spec; returns the problem, if any.
 */
function loadMapFile(spec: FileMap, folder: string, grid: Grid, field: MappedField): string | undefined {
  const absolute = resolve(folder, spec.file);
  const named = `the map file "${spec.file}"${absolute === spec.file ? '' : ` (${absolute})`}`;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(absolute);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `${field}: cannot read ${named}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}; allowed: a .npy file, its path relative to the config file`;
  }
  let decoded;
  try {
    decoded = decodeNpy(bytes);
  } catch (e) {
    return `${field}: ${named}: ${(e as Error).message}`;
  }
  const { shape, data } = decoded;
  if (shape.length !== grid.shape.length || shape.some((d, i) => d !== grid.shape[i])) {
    return `${field}: ${named} has shape [${shape.join(', ')}]; allowed: ${mapShape(grid)}`;
  }
  const problem = valueProblem(data, grid.nx, field === 'noise.amplitude');
  if (problem) return `${field}: ${named} ${problem}`;
  registerMapFile(absolute, data);
  spec.file = absolute;
  return undefined;
}
