import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  controlList,
  describeSchema,
  everyVariant,
  getAt,
  leafPaths,
  omittableFields,
  setEveryOptional,
  setOptional,
  switchVariant,
  type Control,
} from '../../demos/src/schema-controls.js';
import { configFromHash, configToHash } from '../../demos/src/url-state.js';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { presetNames } from '../../src/config/presets.js';
import { configSchema, startingValues, type Config } from '../../src/config/schema.js';
import { configTree, withEveryKeySet } from './every-key.js';

const GRID_SIZES = [16, 32, 64, 128, 256];
const controlsOf = (config: unknown, tree = configTree) => controlList(tree, config, { rootFolder: 'dynamics', choices: { 'grid.n': GRID_SIZES } });

/**
 * What the demo does with a config: the GUI edits a deep copy of it in place
 * (here every control writes its own value back, as lil-gui does on a finish
 * without change), export and links take a copy of that, the link is the hash,
 * and a loaded link is parsed again.
 */
function throughTheDemo(config: Config, tree = configTree, schema: z.ZodType = configSchema): unknown {
  const model = structuredClone(config);
  for (const c of controlsOf(model, tree)) {
    if (c.kind === 'variant' || c.kind === 'optional') continue;
    const parent = getAt(model, c.path.slice(0, -1)) as Record<string | number, unknown>;
    parent[c.path[c.path.length - 1]] = getAt(model, c.path);
  }
  const exported = JSON.parse(JSON.stringify(structuredClone(model)));
  return schema.parse(configFromHash(configToHash(exported)));
}

const full = (() => {
  const base = presetConfig('irreversible');
  switchVariant(configTree, base, ['initial', 'type'], 'random');
  return withEveryKeySet(base);
})();

/** Configs that between them hold every variant, each with every key it can have set. */
const everyShape = everyVariant(configTree, full).map((c) => {
  setEveryOptional(configTree, c);
  return parseConfig(c);
});

describe('demo state', () => {
  it('the test config sets noise.whiteFraction, the correlation length and every key a document may leave out', () => {
    expect(full.noise.whiteFraction).toBeGreaterThan(0);
    expect(full.noise.correlationLength).toBeGreaterThan(0);
    const omittable = omittableFields(configTree);
    expect(omittable.map((f) => f.id)).toEqual(expect.arrayContaining(['kernel.radius', 'kernel.shift', 'noise.whiteFraction', 'noise.correlationLength', 'seed', 'input', 'initial']));
    for (const { path, variant } of omittable) {
      if (variant && getAt(full, [...variant.union, 'type']) !== variant.tag) continue;
      expect(getAt(full, path), path.join('.')).toBeDefined();
    }
    expect(full.initial).toEqual({ type: 'random', std: expect.any(Number) });
  });

  it.each(presetNames)('preset %s survives the GUI model and the URL hash unchanged', (name) => {
    const config = presetConfig(name);
    expect(parseConfig(throughTheDemo(config))).toEqual(config);
  });

  it.each(everyShape.map((c) => [`${c.transfer.type}, ${c.kernel.type}, ${c.initial.type}`, c] as const))(
    'a config with every key set (%s) survives the GUI model and the URL hash unchanged',
    (_, config) => {
      expect(parseConfig(throughTheDemo(config))).toEqual(config);
      expect(parseConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
    },
  );

  it('draws a control for every leaf of the schema, in every variant, and for every optional key', () => {
    const drawn = new Set<string>();
    const toggles = new Set<string>();
    for (const c of everyShape.flatMap((config) => controlsOf(config))) (c.kind === 'optional' ? toggles : drawn).add(c.id);
    expect([...drawn].sort()).toEqual(leafPaths(configTree).sort());
    const optional = omittableFields(configTree).filter((f) => f.field.optional).map((f) => f.id);
    expect(optional).toContain('kernel.radius');
    expect([...toggles].sort()).toEqual([...new Set(optional)].sort());
  });

  it('every control resolves to a value of its kind in the model', () => {
    for (const config of everyShape) {
      for (const c of controlsOf(config)) {
        const v = getAt(config, c.path);
        if (c.kind === 'number') expect(typeof v, c.id).toBe('number');
        if (c.kind === 'choice' || c.kind === 'variant') expect(c.options, c.id).toContain(v);
        if (c.kind === 'optional') expect(v !== undefined, c.id).toBe(c.set);
      }
    }
  });

  it('keeps the grid sizes the adapter allows, and a size from a link that is not among them', () => {
    const n = (config: Config) => controlsOf(config).find((c) => c.id === 'grid.n') as Control;
    expect(n(full)).toMatchObject({ kind: 'choice', options: GRID_SIZES });
    const small = parseConfig({ ...full, grid: { n: 8, length: 8 }, kernel: { ...full.kernel, radius: 3 }, noise: { amplitude: 0.02 } });
    expect(n(small).options).toEqual([8, ...GRID_SIZES]);
  });

  it('switching a type replaces only that sub-object, with the starting values declared beside the schema', () => {
    const model = structuredClone(full);
    switchVariant(configTree, model, ['transfer', 'type'], 'tanh');
    expect(model.transfer).toEqual({ type: 'tanh', gain: 0.8, threshold: 0 });
    expect({ ...model, transfer: full.transfer }).toEqual(full);

    // The kernel's shift and radius are declared once for both variants: they are kept.
    switchVariant(configTree, model, ['kernel', 'type'], 'mexican-hat');
    expect(model.kernel).toEqual({
      type: 'mexican-hat',
      excitation: { amplitude: 1, sigma: 1 },
      inhibition: { amplitude: 0.5, sigma: 2 },
      shift: full.kernel.shift,
      radius: full.kernel.radius,
    });
    switchVariant(configTree, model, ['initial', 'type'], 'fixed-point');
    expect(model.initial).toEqual({ type: 'fixed-point' });
    expect(model.noise).toEqual(full.noise);
    expect(parseConfig(model)).toEqual(model);
  });

  it('every variant of every union has a starting value the schema accepts', () => {
    for (const c of everyShape.flatMap((config) => controlsOf(config)).filter((x) => x.kind === 'variant')) {
      for (const tag of c.options!) {
        const model = structuredClone(full);
        switchVariant(configTree, model, c.path, tag);
        expect(getAt(model, c.path)).toBe(tag);
        expect(() => parseConfig(model), `${c.id} = ${String(tag)}`).not.toThrow();
      }
    }
  });

  it('sets and unsets an optional key', () => {
    const model = presetConfig('irreversible');
    expect(model.kernel.radius).toBeUndefined();
    expect(controlsOf(model).find((c) => c.id === 'kernel.radius')).toMatchObject({ kind: 'optional', set: false });
    setOptional(configTree, model, ['kernel', 'radius'], true);
    expect(model.kernel.radius).toBe(8);
    expect(controlsOf(model).filter((c) => c.id === 'kernel.radius').map((c) => c.kind)).toEqual(['optional', 'number']);
    expect(parseConfig(throughTheDemo(parseConfig(model)))).toEqual(model);
    setOptional(configTree, model, ['kernel', 'radius'], false);
    expect('radius' in model.kernel).toBe(false);
    expect(model).toEqual(presetConfig('irreversible'));
  });

  it('draws and carries a key added to the schema later, with no change to the demo', () => {
    const future = configSchema.extend({
      ratio: z.number().min(0).max(1).default(0.5),
      count: z.int().min(1).optional(),
      probe: z.strictObject({ mode: z.enum(['near', 'far']), on: z.boolean(), label: z.string() }).optional(),
      tags: z.array(z.string()).default([]),
    });
    const tree = describeSchema(future, startingValues);
    const model = future.parse({ ...full, ratio: 0.25, tags: ['kept'] });
    const byId = new Map(controlsOf(model, tree).map((c) => [c.id + ':' + c.kind, c]));
    expect(byId.get('ratio:number')).toMatchObject({ min: 0, max: 1, folder: ['dynamics'] });
    expect(byId.get('count:optional')).toMatchObject({ set: false });
    expect(byId.get('probe:optional')).toMatchObject({ set: false, folder: ['probe'] });
    setOptional(tree, model, ['count'], true);
    setOptional(tree, model, ['probe'], true);
    expect(model).toMatchObject({ count: 1, probe: { mode: 'near', on: false, label: '' } });
    const ids = controlsOf(model, tree).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['count', 'probe.mode', 'probe.on', 'probe.label']));
    expect(leafPaths(tree)).toEqual(expect.arrayContaining(['ratio', 'count', 'probe.mode', 'probe.on', 'probe.label']));
    expect(throughTheDemo(model as Config, tree, future)).toEqual(model);
  });

  it('carries non-ASCII-safe JSON through base64url and rejects a broken hash', () => {
    const doc = { note: 'σ — λ', n: [1, 2] };
    expect(configFromHash(configToHash(doc as never))).toEqual(doc);
    expect(configToHash(doc as never)).toMatch(/^#config=[A-Za-z0-9_-]+$/);
    expect(configFromHash('#other')).toBeUndefined();
    expect(() => configFromHash('#config=bm90IGpzb24')).toThrow(/not valid JSON/);
  });
});
