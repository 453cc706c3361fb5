import type { z } from 'zod';

/** Every way a configuration can be refused; the message lists each problem on its own line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `invalid configuration: ${problems[0]}`
        : `invalid configuration:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function lookup(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in (node as object))) return { found: false, value: undefined };
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: node };
}

/**
 * Whether a union branch failed on the kind of value rather than inside it: a
 * number where it wants an object (or the reverse), keys it does not know, or
 * a discriminated union whose discriminator the value does not have.
 */
function wrongKind(branch: readonly z.core.$ZodIssue[], value: unknown): boolean {
  return branch.some(
    (i) =>
      (i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'unrecognized_keys')) ||
      (i.code === 'invalid_union' && 'discriminator' in i && typeof i.discriminator === 'string' && !hasKey(lookup(value, i.path.slice(0, -1)).value, i.discriminator)),
  );
}

const hasKey = (v: unknown, key: string) => v !== null && typeof v === 'object' && key in v;
const isEmptyObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

/**
 * A union (a number or a map) that failed: when the value is of the kind of
 * exactly one branch (an object with `file`, an object with `pattern`), that
 * branch's own issues say what is wrong inside it; otherwise the union's
 * message says what is allowed.
 */
function flatten(issues: readonly z.core.$ZodIssue[], input: unknown, prefix: readonly PropertyKey[] = []): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const value = lookup(input, path).value;
      const fitting = isEmptyObject(value) ? [] : issue.errors.filter((branch) => !wrongKind(branch, value));
      if (fitting.length === 1) return flatten(fitting[0], input, path);
    }
    return [{ ...issue, path } as z.core.$ZodIssue];
  });
}

/** One line per zod issue: the field, what it got, and what is allowed. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): string[] {
  return flatten(issues, input).map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    if (issue.code === 'unrecognized_keys') {
      return `${field}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    const got = lookup(input, issue.path);
    const gotText = got.found ? `got ${show(got.value)}` : 'missing';
    return `${field}: ${gotText}; allowed: ${issue.message}`;
  });
}

/** Six significant digits, no trailing zeros: numbers inside refusal messages. */
export function sig6(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}
