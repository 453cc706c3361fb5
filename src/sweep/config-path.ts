import { ConfigError } from '../config/errors.js';
import { parseConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { SweepError } from './errors.js';

const EXAMPLES = 'a dotted path to a number of the config, such as kernel.shift.0, noise.amplitude, transfer.slope, dt';

type Node = Record<string, unknown> | unknown[];
const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object';

/** The path's last container and key, or where the walk stopped. */
function walk(doc: unknown, path: string): { parent: Node; key: string } | { missing: string } {
  const keys = path.split('.');
  let node: unknown = doc;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = keys[i];
    if (!isNode(node) || !(key in node)) return { missing: keys.slice(0, i + 1).join('.') };
    node = (node as Record<string, unknown>)[key];
  }
  if (!isNode(node)) return { missing: keys.slice(0, -1).join('.') };
  return { parent: node, key: keys[keys.length - 1] };
}

/** Sets the number at `path` in a plain JSON document (in place). */
export function setAt(doc: unknown, path: string, value: number): void {
  const at = walk(doc, path);
  if ('missing' in at) throw new SweepError(`--param ${path}: the config has no ${at.missing}; allowed: ${EXAMPLES}`);
  if (Array.isArray(at.parent) && !(Number(at.key) < at.parent.length)) {
    throw new SweepError(`--param ${path}: ${path.split('.').slice(0, -1).join('.')} has ${at.parent.length} entries; allowed: an index from 0 to ${at.parent.length - 1}`);
  }
  (at.parent as Record<string, unknown>)[at.key] = value;
}

/** The config with each path set to its value, checked as a config file is (parseConfig: the schema, then the discretisation). */
export function pointConfig(base: Config, values: Record<string, number>): Config {
  const doc: unknown = structuredClone(base);
  for (const [path, value] of Object.entries(values)) setAt(doc, path, value);
  try {
    return parseConfig(doc);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const where = Object.entries(values).map(([p, v]) => `${p} = ${v}`).join(', ');
    throw new SweepError(`the sweep's point ${where} is not a valid config: ${e.problems.join('; ')}`);
  }
}

/**
 * Refuses a path the config cannot sweep, in one line: one that leads nowhere,
 * one that holds something other than a number (a map, a type, a pair: sweep
 * one of its entries, kernel.shift.0), or a key the schema does not know.
 * A key the config leaves out but the schema takes (kernel.radius) is allowed.
 */
export function checkParamPath(base: Config, path: string, first: number): void {
  const doc: unknown = structuredClone(base);
  const at = walk(doc, path);
  if ('missing' in at) throw new SweepError(`--param ${path}: the config has no ${at.missing}; allowed: ${EXAMPLES}`);
  if (at.key in at.parent) {
    const value = (at.parent as Record<string, unknown>)[at.key];
    if (typeof value !== 'number') {
      const what = Array.isArray(value) ? `a list (sweep one entry: ${path}.0)` : isNode(value) ? 'an object (a map or a choice: not swept; sweep a number inside it)' : `${JSON.stringify(value)}`;
      throw new SweepError(`--param ${path}: the config holds ${what} there; allowed: ${EXAMPLES}`);
    }
    return;
  }
  if (Array.isArray(at.parent)) throw new SweepError(`--param ${path}: ${path.split('.').slice(0, -1).join('.')} has ${at.parent.length} entries; allowed: an index from 0 to ${at.parent.length - 1}`);
  // Absent here: a key the schema takes is accepted by it (its value may still be out of range: each point is checked later).
  (at.parent as Record<string, unknown>)[at.key] = first;
  try {
    parseConfig(doc);
  } catch (e) {
    if (e instanceof ConfigError && e.problems.some((p) => p.includes(`unknown key "${at.key}"`))) {
      throw new SweepError(`--param ${path}: the config has no key ${path}; allowed: ${EXAMPLES}`);
    }
    if (!(e instanceof ConfigError)) throw e;
  }
}
