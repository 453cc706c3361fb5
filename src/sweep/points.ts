import type { Config } from '../config/schema.js';
import { shortHash } from './canonical.js';
import { checkParamPath, pointConfig } from './config-path.js';
import { SweepError } from './errors.js';
import type { SweptParam } from './params.js';

/** One point of a sweep: its place in the product, a stable id, and each parameter's value. */
export interface SweepPoint {
  index: number;
  /** `p0003-1a2b3c4d`: the index, zero-padded, and a hash of the values; the name of its folder under points/. */
  id: string;
  values: Record<string, number>;
}

/**
 * The product of the parameters' values, the first parameter varying slowest
 * (as nested loops in the order the --param options were given). The order
 * fixes the index; the id's hash names the values, so a point's folder
 * cannot be mistaken for another sweep's.
 */
export function sweepPoints(params: readonly SweptParam[]): SweepPoint[] {
  const total = params.reduce((n, p) => n * p.values.length, 1);
  const width = Math.max(4, String(total - 1).length);
  return Array.from({ length: total }, (_, index) => {
    const values: Record<string, number> = {};
    let rest = index;
    for (let j = params.length - 1; j >= 0; j--) {
      const count = params[j].values.length;
      values[params[j].path] = params[j].values[rest % count];
      rest = Math.floor(rest / count);
    }
    const ordered = Object.fromEntries(params.map((p) => [p.path, values[p.path]]));
    return { index, id: `p${String(index).padStart(width, '0')}-${shortHash(ordered, 8)}`, values: ordered };
  });
}

/** Every point's config, checked before any runs: a sweep refused for a bad point refuses at once, not hours in. */
export function checkedPointConfigs(base: Config, params: readonly SweptParam[], points: readonly SweepPoint[]): Config[] {
  if (params.length === 0) throw new SweepError('a sweep needs at least one --param PATH=a:b:count or PATH=v1,v2,...');
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.path)) throw new SweepError(`--param ${p.path} is given twice; allowed: each path once (one list of its values)`);
    seen.add(p.path);
    checkParamPath(base, p.path, p.values[0]);
  }
  return points.map((point) => pointConfig(base, point.values));
}

/** `--shard i/N`: which share of the points this run takes (1 ≤ i ≤ N). */
export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || !(count >= 1) || !(index >= 1 && index <= count)) {
    throw new SweepError(`--shard: got "${text}"; allowed: i/N with integers 1 ≤ i ≤ N (the i-th of N shares of the points)`);
  }
  return { index, count };
}

/** The shard's points: those whose index is i − 1 modulo N (shares differ by at most one point, spread along the sweep). */
export function shardPoints<T extends { index: number }>(points: readonly T[], shard: Shard): T[] {
  return points.filter((p) => p.index % shard.count === shard.index - 1);
}
