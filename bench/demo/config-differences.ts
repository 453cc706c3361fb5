import { parseConfig } from '../../src/config/load.js';

/**
 * Where the config a page runs differs from the one asked for, one line per
 * differing leaf ("grid.n: asked 1024, runs 64"); empty when they agree. Both
 * are parsed first, so a default the link left out and the page filled in is
 * not a difference.
 */
export function configDifferences(asked: unknown, running: unknown): string[] {
  const differences: string[] = [];
  walk(parseConfig(asked), parseConfig(running), '', differences);
  return differences;
}

function walk(asked: unknown, running: unknown, path: string, out: string[]): void {
  const branch = (x: unknown) => typeof x === 'object' && x !== null;
  if (branch(asked) && branch(running) && Array.isArray(asked) === Array.isArray(running)) {
    const a = asked as Record<string, unknown>;
    const r = running as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(r)])) walk(a[key], r[key], path ? `${path}.${key}` : key, out);
    return;
  }
  if (!Object.is(asked, running)) out.push(`${path}: asked ${JSON.stringify(asked)}, runs ${JSON.stringify(running)}`);
}
