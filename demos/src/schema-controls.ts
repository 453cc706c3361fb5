import type { z } from 'zod';

/**
 * The GUI's controls, read from the config's zod schema instead of a second
 * copy of its shape: objects become folders, discriminated unions a `type`
 * choice whose variant's fields follow, plain unions (a number, or a map of
 * one of several kinds) a choice of alternative whose own controls follow,
 * numbers, enums, literals (and unions of literals), booleans and strings one
 * control each, tuples one control per item (a grid's [nx, ny]), optional keys
 * a checkbox that sets or unsets them. The GUI edits a deep copy of the parsed
 * config in place, so a key the walker cannot draw (an array, a record) is
 * still carried through export, import and links unchanged.
 *
 * Everything here is pure (no DOM); controls.ts binds the list to lil-gui.
 */

export type Key = string | number;
export type Path = Key[];
export type Choice = string | number | boolean;

/** Starting values registered beside the schema (see StartingValues in src/config/schema.ts). */
export interface StartingValuesSource {
  get(schema: z.ZodType): { variants?: Record<string, Record<string, unknown>>; whenSet?: unknown; alternatives?: Record<string, unknown> } | undefined;
}

/**
 * One alternative of a plain union: a member of it, or one variant of a
 * discriminated union among its members (then `tag` says which).
 */
export interface Alternative {
  /** The name an editor offers it under: the variant's tag, a registered name, or the member's kind. */
  name: string;
  /** The member's node; for a variant, the variant's object. */
  node: SchemaNode;
  /** For a variant of a discriminated member: its discriminator and tag. */
  tag?: { key: string; value: Choice };
  /** The value an editor switches to; absent: not offered, only kept when a document holds it. */
  start?: unknown;
}

export interface Field {
  key: string;
  /** The key's own schema, wrappers (default, optional) included. */
  schema: z.ZodType;
  node: SchemaNode;
  /** May be absent from a parsed config (`.optional()` without a default). */
  optional: boolean;
  /** Has a default: may be left out of a document, is always present once parsed. */
  defaulted: boolean;
  /** The value an editor gives an optional key it turns on. */
  whenSet?: unknown;
}

export type SchemaNode = { schema: z.ZodType } & (
  | { kind: 'object'; fields: Field[] }
  | { kind: 'union'; discriminator: string; variants: Map<Choice, SchemaNode & { kind: 'object' }>; starts: Record<string, unknown> }
  /** A plain union: offered alternatives first, in the registered order. `label` names the choice (a discriminated member's discriminator, else "form"). */
  | { kind: 'alternatives'; alternatives: Alternative[]; label: string }
  | { kind: 'tuple'; items: SchemaNode[] }
  | { kind: 'number'; min?: number; max?: number; integer: boolean }
  | { kind: 'choice'; options: Choice[] }
  | { kind: 'boolean' }
  | { kind: 'string' }
  /** Arrays, records and anything else: not drawn, carried unchanged. */
  | { kind: 'other' }
);

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  discriminator?: string;
  items?: z.ZodType[];
  values?: Choice[];
  entries?: Record<string, Choice>;
}

/** zod 4's description of a schema (`schema._zod.def`, what zod's own JSON Schema converter reads). */
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod;

/** Reads a zod 4 schema into the tree the GUI is drawn from. */
export function describeSchema(schema: z.ZodType, starting?: StartingValuesSource): SchemaNode {
  const { def } = defOf(schema);
  switch (def.type) {
    case 'default':
    case 'prefault':
    case 'optional':
    case 'nullable':
    case 'readonly':
    case 'nonoptional':
    case 'catch':
      return describeSchema(def.innerType!, starting);
    case 'pipe':
      return describeSchema(def.in!, starting);
    case 'object': {
      const fields = Object.entries(def.shape!).map(([key, s]) => {
        const { optional, defaulted } = optionality(s);
        return { key, schema: s, node: describeSchema(s, starting), optional, defaulted, whenSet: whenSetOf(s, starting) };
      });
      return { schema, kind: 'object', fields };
    }
    case 'union': {
      if (def.discriminator === undefined) return describeAlternatives(schema, def.options!, starting);
      const variants = new Map<Choice, SchemaNode & { kind: 'object' }>();
      for (const option of def.options!) {
        const node = describeSchema(option, starting);
        if (node.kind !== 'object') return { schema, kind: 'other' };
        const tag = node.fields.find((f) => f.key === def.discriminator)?.node;
        if (tag?.kind !== 'choice') return { schema, kind: 'other' };
        for (const value of tag.options) variants.set(value, node);
      }
      return { schema, kind: 'union', discriminator: def.discriminator, variants, starts: starting?.get(schema)?.variants ?? {} };
    }
    case 'tuple':
      return { schema, kind: 'tuple', items: def.items!.map((s) => describeSchema(s, starting)) };
    case 'number': {
      // Bounds where the schema states them as checks (.min(), .max(), .int(), …);
      // a .refine() is opaque, and the config is validated on every change anyway.
      const n = schema as z.ZodNumber;
      const bound = (v: number | null) => (v !== null && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
      const min = bound(n.minValue);
      const max = bound(n.maxValue);
      return { schema, kind: 'number', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), integer: n.isInt === true };
    }
    case 'literal':
      return { schema, kind: 'choice', options: [...def.values!] };
    case 'enum':
      return { schema, kind: 'choice', options: Object.values(def.entries!) };
    case 'boolean':
      return { schema, kind: 'boolean' };
    case 'string':
      return { schema, kind: 'string' };
    default:
      return { schema, kind: 'other' };
  }
}

/**
 * A union that is not discriminated: each member is an alternative, and a
 * discriminated union among them one alternative per variant. Names and
 * starting values come from the union's registered `alternatives` (a member's
 * name is the first registered name whose value it accepts); without them,
 * every alternative is offered from its plain starting value.
 */
function describeAlternatives(schema: z.ZodType, options: z.ZodType[], starting?: StartingValuesSource): SchemaNode {
  // A union of literals (grid.dimensions: 1 | 2) is one choice among them, not alternatives each of one value.
  const members = options.map((option) => describeSchema(option, starting));
  if (members.every((m) => m.kind === 'choice')) {
    return { schema, kind: 'choice', options: [...new Set(members.flatMap((m) => (m.kind === 'choice' ? m.options : [])))] };
  }
  const registered = starting?.get(schema)?.alternatives;
  const names = Object.keys(registered ?? {});
  const found: Alternative[] = [];
  const discriminators: string[] = [];
  for (const [i, option] of options.entries()) {
    const node = members[i];
    if (node.kind === 'other' || node.kind === 'alternatives') return { schema, kind: 'other' };
    if (node.kind === 'union') {
      discriminators.push(node.discriminator);
      for (const [value, variant] of node.variants) {
        const name = String(value);
        const start = registered ? registered[name] : (node.starts[name] ?? startValue(node, value));
        found.push({ name, node: variant, tag: { key: node.discriminator, value }, ...(start !== undefined ? { start: structuredClone(start) } : {}) });
      }
      continue;
    }
    const name = names.find((k) => !found.some((a) => a.name === k) && option.safeParse(registered![k]).success);
    if (name !== undefined) found.push({ name, node, start: structuredClone(registered![name]) });
    else found.push({ name: kindName(node), node, ...(registered ? {} : { start: startValue(node) }) });
  }
  // Offered alternatives in the registered order, then the others.
  const rank = (a: Alternative) => (a.start === undefined ? names.length : names.indexOf(a.name) < 0 ? names.length : names.indexOf(a.name));
  const alternatives = found.map((a, i) => ({ a, i })).sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i).map(({ a }) => a);
  return { schema, kind: 'alternatives', alternatives, label: discriminators.length === 1 ? discriminators[0] : 'form' };
}

/** A member's name when nothing names it: its kind, or an object's keys. */
function kindName(node: SchemaNode): string {
  return node.kind === 'object' ? node.fields.map((f) => f.key).join(', ') : node.kind;
}

/** The alternative of a plain union that a value is in (a tagged variant by its tag, an object by its keys, a scalar by its type). */
export function alternativeOf(node: SchemaNode & { kind: 'alternatives' }, value: unknown): Alternative | undefined {
  const holds = (a: Alternative): boolean => {
    if (a.tag) return isRecord(value) && value[a.tag.key] === a.tag.value;
    switch (a.node.kind) {
      case 'object': {
        if (!isRecord(value)) return false;
        const keys = new Set(a.node.fields.map((f) => f.key));
        return Object.keys(value).every((k) => keys.has(k)) && a.node.fields.every((f) => f.optional || f.defaulted || value[f.key] !== undefined);
      }
      case 'number':
      case 'boolean':
      case 'string':
        return typeof value === a.node.kind;
      case 'choice':
        return a.node.options.includes(value as Choice);
      case 'tuple':
        return Array.isArray(value);
      default:
        return false;
    }
  };
  // Tagged variants first: an object with a tag is never taken for an untagged one.
  return node.alternatives.find((a) => a.tag && holds(a)) ?? node.alternatives.find((a) => !a.tag && holds(a));
}

function optionality(schema: z.ZodType): { optional: boolean; defaulted: boolean } {
  const { def } = defOf(schema);
  if (def.type === 'default' || def.type === 'prefault') return { optional: false, defaulted: true };
  if (def.type === 'optional') return { optional: true, defaulted: false };
  if (def.innerType && ['nullable', 'readonly', 'catch'].includes(def.type)) return optionality(def.innerType);
  return { optional: false, defaulted: false };
}

function whenSetOf(schema: z.ZodType, starting?: StartingValuesSource): unknown {
  for (let s: z.ZodType | undefined = schema; s; s = defOf(s).def.innerType) {
    const found = starting?.get(s)?.whenSet;
    if (found !== undefined) return structuredClone(found);
  }
  return undefined;
}

/** One control of the GUI, as data: what lil-gui draws, and where it writes. */
export interface Control {
  path: Path;
  /** The path joined with dots: 'kernel.shift.0'. */
  id: string;
  label: string;
  /** The nested folder titles the control sits in. */
  folder: string[];
  /**
   * number, boolean, string: edit the value at `path`; choice: one of
   * `options` (enums, literals, a number with a list of allowed values);
   * variant: a discriminated union's tag, switching replaces the sub-object;
   * optional: whether the optional key at `path` is present; alternative:
   * which alternative of a plain union the value at `path` is (`value`),
   * switching replaces it.
   */
  kind: 'number' | 'boolean' | 'string' | 'choice' | 'variant' | 'optional' | 'alternative';
  options?: Choice[];
  /** For `alternative`: the current one's name, and the names among `options` that cannot be switched to (shown because the value is in one). */
  value?: Choice;
  notOffered?: Choice[];
  min?: number;
  max?: number;
  step?: number;
  /** For `optional`: whether the key is set now. */
  set?: boolean;
}

/** A number entry the schema cannot describe (its bounds are a refine): lower bound, step, and its label beside a list. */
export interface EntryOptions {
  min?: number;
  step?: number;
  /** When the same id has a list (`choices`): the entry's label beside it. */
  label?: string;
}

export interface ControlOptions {
  /** Per path id: a fixed list of allowed values (the grid sizes the adapter holds). */
  choices?: Record<string, Choice[]>;
  /**
   * Per path id: a free number entry. Beside a list of `choices` it is a
   * second control on the same value (any n ≥ 4 next to the sizes offered);
   * alone it gives a number control its bounds and step.
   */
  entries?: Record<string, EntryOptions>;
  /**
   * Per path id of a plain union: alternatives not offered for the config as
   * it is (a ring takes no rectangle), though registered. The value's own
   * alternative is still shown, as one not offered.
   */
  withheld?: Record<string, Choice[]>;
  /** The folder for scalar keys at the top level. */
  rootFolder?: string;
}

const AXES = ['x', 'y', 'z', 'w'];
const bounds = (entry: EntryOptions) => ({ ...(entry.min !== undefined ? { min: entry.min } : {}), ...(entry.step !== undefined ? { step: entry.step } : {}) });
const idOf = (path: Path) => path.join('.');

/** The controls for a config's current shape: its variants, and its optional keys as they are set. */
export function controlList(root: SchemaNode, value: unknown, options: ControlOptions = {}): Control[] {
  const out: Control[] = [];
  const rootFolder = options.rootFolder === undefined ? [] : [options.rootFolder];
  /** An object's keys: objects and unions in subfolders, scalars in `scalarFolder` (default: the object's folder). */
  const fields = (list: Field[], v: Record<string, unknown>, path: Path, inner: string[], scalarFolder = inner): void => {
    for (const f of list) {
      const fieldPath = [...path, f.key];
      const nested = f.node.kind === 'object' || f.node.kind === 'union' || f.node.kind === 'alternatives';
      const present = v[f.key] !== undefined;
      if (f.optional) {
        out.push({ path: fieldPath, id: idOf(fieldPath), label: `set ${f.key}`, folder: nested ? [...inner, f.key] : scalarFolder, kind: 'optional', set: present });
      }
      if (present) visit(f.node, v[f.key], fieldPath, f.key, nested ? inner : scalarFolder);
    }
  };
  const visit = (node: SchemaNode, v: unknown, path: Path, label: string, folder: string[]): void => {
    const id = idOf(path);
    const base = { path, id, label, folder };
    switch (node.kind) {
      case 'object':
        if (!isRecord(v)) return;
        fields(node.fields, v, path, path.length === 0 ? folder : [...folder, label], path.length === 0 ? rootFolder : undefined);
        return;
      case 'union': {
        if (!isRecord(v)) return;
        const inner = [...folder, label];
        const tagPath = [...path, node.discriminator];
        out.push({ path: tagPath, id: idOf(tagPath), label: node.discriminator, folder: inner, kind: 'variant', options: [...node.variants.keys()] });
        // The variant's other fields sit in the union's own folder.
        const variant = node.variants.get(v[node.discriminator] as Choice);
        if (variant) fields(variant.fields.filter((f) => f.key !== node.discriminator), v, path, inner);
        return;
      }
      case 'alternatives': {
        const current = alternativeOf(node, v);
        if (!current) return;
        const inner = [...folder, label];
        const withheld = options.withheld?.[id] ?? [];
        const offered = node.alternatives.filter((a) => a.start !== undefined && !withheld.includes(a.name)).map((a) => a.name);
        const shown = offered.includes(current.name) ? offered : [...offered, current.name];
        out.push({
          ...base,
          label: node.label,
          folder: inner,
          kind: 'alternative',
          options: shown,
          value: current.name,
          notOffered: shown.filter((name) => !offered.includes(name)),
        });
        // The alternative's own controls sit in the union's folder: an object's fields (not its tag), or the scalar itself.
        if (current.node.kind === 'object') {
          if (isRecord(v)) fields(current.node.fields.filter((f) => f.key !== current.tag?.key), v, path, inner);
        } else {
          visit(current.node, v, path, label, inner);
        }
        return;
      }
      case 'tuple':
        if (!Array.isArray(v)) return;
        node.items.forEach((item, i) => visit(item, v[i], [...path, i], `${label} ${AXES[i] ?? i}`, folder));
        return;
      case 'number': {
        if (typeof v !== 'number') return;
        const fixed = options.choices?.[id];
        const entry = options.entries?.[id];
        if (fixed) {
          const allowed = !fixed.includes(v) ? [...fixed, v].sort((a, b) => Number(a) - Number(b)) : [...fixed];
          out.push({ ...base, kind: 'choice', options: allowed });
          if (entry) out.push({ ...base, label: entry.label ?? `${label} (any)`, kind: 'number', ...bounds(entry) });
          return;
        }
        out.push({
          ...base,
          kind: 'number',
          ...(node.min !== undefined ? { min: node.min } : {}),
          ...(node.max !== undefined ? { max: node.max } : {}),
          ...(node.integer ? { step: 1 } : {}),
          ...(entry ? bounds(entry) : {}),
        });
        return;
      }
      case 'choice':
        if (node.options.includes(v as Choice)) out.push({ ...base, kind: 'choice', options: [...node.options] });
        return;
      case 'boolean':
      case 'string':
        if (typeof v === node.kind) out.push({ ...base, kind: node.kind });
        return;
      case 'other':
        return;
    }
  };
  visit(root, value, [], '', []);
  return out;
}

/** Every path the schema can hold a drawn value at, over all variants (tags included); optional keys as their values. */
export function leafPaths(root: SchemaNode): string[] {
  const out = new Set<string>();
  const visit = (node: SchemaNode, path: Path): void => {
    switch (node.kind) {
      case 'object':
        for (const f of node.fields) visit(f.node, [...path, f.key]);
        return;
      case 'union':
        for (const variant of node.variants.values()) visit(variant, path);
        return;
      case 'alternatives':
        // The choice of alternative, then each alternative's leaves (an object's fields but its tag).
        out.add(idOf(path));
        for (const a of node.alternatives) {
          if (a.node.kind === 'object') for (const f of a.node.fields) if (f.key !== a.tag?.key) visit(f.node, [...path, f.key]);
          if (a.node.kind !== 'object') visit(a.node, path);
        }
        return;
      case 'tuple':
        node.items.forEach((item, i) => visit(item, [...path, i]));
        return;
      case 'other':
        return;
      default:
        out.add(idOf(path));
    }
  };
  visit(root, []);
  return [...out];
}

/** The keys a document may leave out (optional or defaulted), over all variants, with their schema nodes. */
export function omittableFields(root: SchemaNode): { path: Path; id: string; field: Field; variant?: { union: Path; tag: Choice } }[] {
  const out: ReturnType<typeof omittableFields> = [];
  const visit = (node: SchemaNode, path: Path, variant?: { union: Path; tag: Choice }): void => {
    if (node.kind === 'object') {
      for (const f of node.fields) {
        const p = [...path, f.key];
        if (f.optional || f.defaulted) out.push({ path: p, id: idOf(p), field: f, ...(variant ? { variant } : {}) });
        visit(f.node, p, variant);
      }
    } else if (node.kind === 'union') {
      for (const [tag, v] of node.variants) visit(v, path, { union: path, tag });
    } else if (node.kind === 'alternatives') {
      for (const a of node.alternatives) visit(a.node, path, { union: path, tag: a.name });
    } else if (node.kind === 'tuple') {
      node.items.forEach((item, i) => visit(item, [...path, i], variant));
    }
  };
  visit(root, []);
  return out;
}

/** Whether a value is in a variant (of a discriminated union) or an alternative (of a plain union) that omittableFields names. */
export function inVariant(root: SchemaNode, value: unknown, variant: { union: Path; tag: Choice }): boolean {
  const found = nodeAt(root, value, variant.union);
  const v = getAt(value, variant.union);
  if (found?.node.kind === 'union') return isRecord(v) && v[found.node.discriminator] === variant.tag;
  if (found?.node.kind === 'alternatives') return alternativeOf(found.node, v)?.name === variant.tag;
  return false;
}

/** The node of the schema at a path of a value (the value decides which variant a union is in). */
export function nodeAt(root: SchemaNode, value: unknown, path: Path): { node: SchemaNode; field?: Field } | undefined {
  let node = root;
  let v = value;
  let field: Field | undefined;
  for (const key of path) {
    if (node.kind === 'alternatives') {
      const current = alternativeOf(node, v);
      if (!current) return undefined;
      node = current.node;
    }
    if (node.kind === 'union') {
      if (!isRecord(v)) return undefined;
      const variant = node.variants.get(v[node.discriminator] as Choice);
      if (!variant) return undefined;
      node = variant;
    }
    if (node.kind === 'object') {
      field = node.fields.find((f) => f.key === key);
      if (!field) return undefined;
      node = field.node;
    } else if (node.kind === 'tuple' && typeof key === 'number' && key < node.items.length) {
      field = undefined;
      node = node.items[key];
    } else {
      return undefined;
    }
    v = (v as Record<Key, unknown> | undefined)?.[key];
  }
  return { node, field };
}

/**
 * A value for a node when nothing else says what: the registered starting
 * value, the schema's default, the first option, a number inside the bounds.
 */
export function startValue(node: SchemaNode, tag?: Choice): unknown {
  switch (node.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const f of node.fields) if (!f.optional) out[f.key] = defaultOf(f) ?? startValue(f.node);
      return out;
    }
    case 'union': {
      const chosen = tag ?? [...node.variants.keys()][0];
      const variant = node.variants.get(chosen)!;
      const registered = node.starts[String(chosen)];
      const value = registered !== undefined ? structuredClone(registered) : { ...(startValue(variant) as object), [node.discriminator]: chosen };
      const parsed = variant.schema.safeParse(value);
      return parsed.success ? parsed.data : value;
    }
    case 'alternatives': {
      const first = node.alternatives.find((a) => a.start !== undefined);
      return first ? structuredClone(first.start) : undefined;
    }
    case 'tuple':
      return node.items.map((item) => startValue(item));
    case 'number': {
      // The lowest bound that the schema accepts, else 1, else 0.
      const { min, max } = node;
      const tries = [min, min === undefined ? undefined : Math.ceil(min), min === undefined ? undefined : Math.floor(min) + 1, 1, 0, max];
      return tries.find((v) => v !== undefined && node.schema.safeParse(v).success) ?? 1;
    }
    case 'choice':
      return node.options[0];
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'other':
      return undefined;
  }
}

/** A defaulted key's default: what the schema fills in when the key is left out. */
function defaultOf(field: Field): unknown {
  if (!field.defaulted) return undefined;
  const parsed = field.schema.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}

/** Reads the value at a path. */
export function getAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<Key, unknown> | undefined)?.[k], value);
}

function parentOf(value: unknown, path: Path): Record<Key, unknown> {
  const parent = getAt(value, path.slice(0, -1));
  if (!isRecord(parent) && !Array.isArray(parent)) throw new Error(`no object at ${idOf(path.slice(0, -1)) || 'the root'}`);
  return parent as Record<Key, unknown>;
}

/**
 * Switches the union whose tag is at `tagPath` to the variant `tag`, in place:
 * the sub-object becomes the variant's starting value, except for keys the two
 * variants declare with one shared schema (the kernel's shift and radius),
 * which keep their values: a key that only shares a name (sigmoid's and
 * tanh's gain) may mean something else. Everything outside is untouched.
 */
export function switchVariant(root: SchemaNode, model: unknown, tagPath: Path, tag: Choice): void {
  const unionPath = tagPath.slice(0, -1);
  if (unionPath.length === 0) throw new Error('the root cannot be a union');
  const found = nodeAt(root, model, unionPath);
  if (found?.node.kind !== 'union') throw new Error(`no discriminated union at ${idOf(unionPath)}`);
  const union = found.node;
  const variant = union.variants.get(tag);
  if (!variant) throw new Error(`${idOf(tagPath)}: no variant ${JSON.stringify(tag)}`);
  const old = getAt(model, unionPath);
  const next = startValue(union, tag) as Record<string, unknown>;
  const before = isRecord(old) ? union.variants.get(old[union.discriminator] as Choice) : undefined;
  if (isRecord(old) && before) {
    for (const f of variant.fields) {
      const shared = before.fields.find((b) => b.key === f.key)?.schema === f.schema;
      if (f.key === union.discriminator || !shared) continue;
      if (old[f.key] === undefined) delete next[f.key];
      else next[f.key] = structuredClone(old[f.key]);
    }
  }
  next[union.discriminator] = tag;
  parentOf(model, unionPath)[unionPath[unionPath.length - 1]] = next;
}

/**
 * Switches the plain union at `path` to its alternative `name`, in place: the
 * value becomes that alternative's starting value (registered beside the
 * schema), parsed so that its defaults are filled in. Only offered
 * alternatives can be switched to.
 */
export function switchAlternative(root: SchemaNode, model: unknown, path: Path, name: Choice): void {
  if (path.length === 0) throw new Error('the root cannot be a union');
  const found = nodeAt(root, model, path);
  if (found?.node.kind !== 'alternatives') throw new Error(`no union of alternatives at ${idOf(path)}`);
  const alternative = found.node.alternatives.find((a) => a.name === name);
  if (!alternative) throw new Error(`${idOf(path)}: no alternative ${JSON.stringify(name)}`);
  if (alternative.start === undefined) throw new Error(`${idOf(path)}: the alternative ${JSON.stringify(name)} cannot be chosen here`);
  const start = structuredClone(alternative.start);
  const parsed = alternative.node.schema.safeParse(start);
  parentOf(model, path)[path[path.length - 1]] = parsed.success ? parsed.data : start;
}

/** Sets (with its starting value) or removes the optional key at `path`, in place. */
export function setOptional(root: SchemaNode, model: unknown, path: Path, on: boolean): void {
  const found = nodeAt(root, model, path);
  if (!found?.field?.optional) throw new Error(`${idOf(path)} is not an optional key`);
  const parent = parentOf(model, path);
  const key = path[path.length - 1];
  if (!on) {
    delete parent[key];
    return;
  }
  if (parent[key] !== undefined) return;
  const start = found.field.whenSet ?? startValue(found.node);
  const parsed = found.field.schema.safeParse(start);
  parent[key] = parsed.success ? parsed.data : start;
}

/** Sets every optional key the value's variants have and does not set yet, in place. */
export function setEveryOptional(root: SchemaNode, model: unknown): void {
  for (const c of controlList(root, model)) {
    if (c.kind === 'optional' && !c.set) {
      setOptional(root, model, c.path, true);
      setEveryOptional(root, model);
      return;
    }
  }
}

/** A page's own rules on top of the schema: its control options for a value, and how it switches an alternative. */
export interface EditorRules {
  options?: (value: unknown) => ControlOptions;
  /** Default: switchAlternative (the registered starting value). */
  switchAlternative?: (root: SchemaNode, model: unknown, path: Path, name: Choice) => void;
}

/**
 * Copies of `base` in which, between them, every variant of every union and
 * every offered alternative of every plain union appears (each switched from
 * `base` as the GUI would switch it, under the page's `rules`).
 */
export function everyVariant(root: SchemaNode, base: unknown, rules: EditorRules = {}): unknown[] {
  const seen = new Set<string>();
  const out: unknown[] = [structuredClone(base)];
  const switchTo = rules.switchAlternative ?? switchAlternative;
  for (let i = 0; i < out.length; i++) {
    for (const c of controlList(root, out[i], rules.options?.(out[i]))) {
      if (c.kind !== 'variant' && c.kind !== 'alternative') continue;
      for (const tag of c.options!) {
        const key = `${c.id}=${String(tag)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const current = c.kind === 'variant' ? getAt(out[i], c.path) : c.value;
        if (current === tag || c.notOffered?.includes(tag)) continue;
        const copy = structuredClone(out[i]);
        if (c.kind === 'variant') switchVariant(root, copy, c.path, tag);
        else switchTo(root, copy, c.path, tag);
        out.push(copy);
      }
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
