import { SweepError } from './errors.js';

/**
 * One swept parameter: a dotted path into the config document (object keys
 * and array indices: `kernel.shift.0`, `noise.amplitude`, `dt`) and its values
 * in the order given. Numbers only: every config value a sweep is for
 * (rates, lengths, amplitudes, the seed) is a number; a map or a choice of
 * type is changed in the config file instead.
 */
export interface SweptParam {
  path: string;
  values: number[];
}

/** A decimal number as a user types it (no hex, no empty string, no Infinity). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$/;
const ALLOWED = 'PATH=a:b:count (count evenly spaced values from a to b, both included, count ≥ 2) or PATH=v1,v2,... (a list of distinct numbers)';

function parseNumber(text: string, what: string): number {
  const value = Number(text);
  if (!NUMBER.test(text.trim()) || !Number.isFinite(value)) throw new SweepError(`${what} "${text}" is not a finite number; allowed: ${ALLOWED}`);
  return value;
}

/** `count` values from a to b, evenly spaced, the last exactly b (a + (b − a)·i/(count − 1) rounds). */
export function evenlySpaced(a: number, b: number, count: number): number[] {
  // Both ends as given (a + 0 would turn −0 into +0).
  return Array.from({ length: count }, (_, i) => (i === 0 ? a : i === count - 1 ? b : a + ((b - a) * i) / (count - 1)));
}

/** `PATH=a:b:count` or `PATH=v1,v2,...` (the form of --param); refuses anything else in one line. */
export function parseParam(text: string): SweptParam {
  const eq = text.indexOf('=');
  if (eq < 0) throw new SweepError(`got "${text}" with no "="; allowed: ${ALLOWED}`);
  const path = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  if (!PATH.test(path)) throw new SweepError(`got the path "${path}"; allowed: a dotted config path such as kernel.shift.0, noise.amplitude, transfer.slope, dt`);
  if (spec.includes(':')) {
    const parts = spec.split(':');
    if (parts.length !== 3) throw new SweepError(`got the range "${spec}" for ${path}; allowed: ${ALLOWED}`);
    const [a, b] = [parseNumber(parts[0], 'the start'), parseNumber(parts[1], 'the end')];
    const count = Number(parts[2]);
    if (!/^\s*\d+\s*$/.test(parts[2]) || !Number.isSafeInteger(count) || count < 2) {
      throw new SweepError(`got the count "${parts[2]}" for ${path}; allowed: an integer ≥ 2 (a single value is a list: ${path}=v)`);
    }
    if (a === b) throw new SweepError(`got the range ${spec} for ${path}, from a value to itself; allowed: a ≠ b (a single value is a list: ${path}=${parts[0]})`);
    return { path, values: evenlySpaced(a, b, count) };
  }
  const values = spec.split(',').map((v) => parseNumber(v, 'the value'));
  if (new Set(values).size !== values.length) throw new SweepError(`got "${spec}" for ${path}, with a value twice; allowed: distinct numbers`);
  return { path, values };
}
