import { readFileSync } from 'node:fs';
import { ConfigError } from './errors.js';
import { parseConfig } from './load.js';
import type { Config } from './schema.js';

/** Reads and validates a configuration file (Node only; the browser parses JSON it already has). */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`cannot read config file ${path}: ${(e as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`config file ${path} is not valid JSON: ${(e as Error).message}`]);
  }
  return parseConfig(json);
}
