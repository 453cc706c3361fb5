import { createHash } from 'node:crypto';

/** JSON with every object's keys sorted: the same value gives the same text whatever order its keys were written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** The first `length` hex digits of the SHA-256 of a value's canonical JSON. */
export function shortHash(value: unknown, length: number): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, length);
}
