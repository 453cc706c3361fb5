import { isDeepStrictEqual } from 'node:util';
import { alternativeOf, describeSchema, getAt, omittableFields, type Path, type SchemaNode } from '../../demos/src/schema-controls.js';
import { parseConfig } from '../../src/config/load.js';
import { configSchema, startingValues, type Config } from '../../src/config/schema.js';

/** The config schema as the demo's GUI reads it. */
export const configTree = describeSchema(configSchema, startingValues);

const accepted = (c: unknown) => {
  try {
    parseConfig(c);
    return true;
  } catch {
    return false;
  }
};

/**
 * `base` with every key a document may leave out (optional or defaulted, read
 * from the schema, so a key added later is included) set, each to a value
 * other than its default: a key the demo dropped would come back as its
 * default, or not at all, and show. `accept` says which configs may be used
 * (by default, those the schema and the discretisation accept). Keys in
 * `keep` (path ids) stay as `base` has them: `grid.dimensions` keeps a torus a
 * torus, where its other value would make every such config a ring.
 */
export function withEveryKeySet(base: Config, accept: (c: Config) => boolean = accepted, keep: string[] = []): Config {
  const config = structuredClone(base);
  for (const { path, id, field } of omittableFields(configTree)) {
    if (keep.includes(id)) continue;
    const parent = getAt(config, path.slice(0, -1));
    if (typeof parent !== 'object' || parent === null) continue;
    // A key of a variant the config is not in is not there to set.
    if (!variantHas(config, path)) continue;
    const fallback = field.defaulted ? field.schema.safeParse(undefined) : undefined;
    const defaultValue = fallback?.success ? fallback.data : undefined;
    const current = (parent as Record<string, unknown>)[path[path.length - 1] as string];
    if (current !== undefined && !isDeepStrictEqual(current, defaultValue)) continue;
    const found = candidates(field.node, field.whenSet, defaultValue).find((v) => {
      if (isDeepStrictEqual(v, defaultValue)) return false;
      const trial = structuredClone(config);
      (getAt(trial, path.slice(0, -1)) as Record<string, unknown>)[path[path.length - 1] as string] = v;
      const parsed = configSchema.safeParse(trial);
      return parsed.success && accepted(trial) && accept(parsed.data);
    });
    if (found === undefined) throw new Error(`no value other than the default found for ${path.join('.')}`);
    (parent as Record<string, unknown>)[path[path.length - 1] as string] = found;
  }
  return parseConfig(config);
}

/** Whether the config's variants have the key at `path`. */
function variantHas(config: Config, path: Path): boolean {
  let node: SchemaNode = configTree;
  let value: unknown = config;
  for (const key of path) {
    if (node.kind === 'alternatives') {
      const alternative = alternativeOf(node, value);
      if (!alternative) return false;
      node = alternative.node;
    }
    if (node.kind === 'union') {
      const variant = node.variants.get((value as Record<string, string>)[node.discriminator]);
      if (!variant) return false;
      node = variant;
    }
    if (node.kind !== 'object') return true;
    const f = node.fields.find((x) => x.key === key);
    if (!f) return false;
    node = f.node;
    value = (value as Record<string, unknown>)?.[key as string];
  }
  return true;
}

/** Values to try for a key, in order. */
function candidates(node: SchemaNode, whenSet: unknown, defaultValue: unknown): unknown[] {
  const out: unknown[] = whenSet === undefined ? [] : [whenSet];
  switch (node.kind) {
    case 'number': {
      const d = typeof defaultValue === 'number' ? defaultValue : 0;
      out.push(d + 0.25, d + 1, d + 2, 2 * d + 3, 0.25, 1, 5);
      break;
    }
    case 'tuple': {
      const d = Array.isArray(defaultValue) ? defaultValue : [];
      for (const k of [0.5, 1, 0.25])
        out.push(node.items.map((item, i) => (candidates(item, undefined, d[i]) as unknown[]).find((v) => !isDeepStrictEqual(v, d[i])) ?? k));
      break;
    }
    case 'choice':
      out.push(...node.options);
      break;
    case 'boolean':
      out.push(true, false);
      break;
    case 'string':
      out.push('σ — λ', 'x');
      break;
    case 'union': {
      // The variants with the most keys first: their keys are set too.
      const tags = [...node.variants.entries()].sort((a, b) => b[1].fields.length - a[1].fields.length).map(([t]) => t);
      for (const tag of tags) out.push(node.starts[String(tag)] ?? { [node.discriminator]: tag });
      break;
    }
    case 'alternatives':
      // A number first (a plain value), then a pair (a shift [sx, sy] off its default), then each offered alternative's start.
      for (const a of node.alternatives) if (a.node.kind === 'number') out.push(...candidates(a.node, undefined, defaultValue));
      for (const a of node.alternatives) if (a.node.kind === 'tuple') out.push(...candidates(a.node, undefined, defaultValue));
      for (const a of node.alternatives) if (a.start !== undefined) out.push(a.start);
      break;
    case 'object':
      break;
    case 'other':
      break;
  }
  return out;
}
