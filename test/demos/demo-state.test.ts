import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  alternativeOf,
  controlList,
  describeSchema,
  everyVariant,
  getAt,
  inVariant,
  leafPaths,
  nodeAt,
  omittableFields,
  setEveryOptional,
  setOptional,
  switchAlternative,
  switchVariant,
  type Control,
  type Path,
} from '../../demos/src/schema-controls.js';
import { gridControlOptions, switchDimensions, switchGridForm, switchPageAlternative } from '../../demos/src/grid-controls.js';
import { checkConfig, UnloadableMaps } from '../../demos/src/page-config.js';
import { configFromHash, configToHash } from '../../demos/src/url-state.js';
import { gridOf, shiftVector } from '../../src/config/geometry.js';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { describeMap, fieldSpec, MAPPED_FIELDS, registerMapFile, type MappedField } from '../../src/config/maps.js';
import { presetNames } from '../../src/config/presets.js';
import { configSchema, MAP_PATTERNS, noiseSchema, startingValues, transferSchema, type Config } from '../../src/config/schema.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { configTree, withEveryKeySet } from './every-key.js';

const GRID_SIZES = [16, 32, 64, 100, 128, 256];
/** The controls as the page draws them (controls.ts): the grid's rules of grid-controls.ts included. */
const controlsOf = (config: unknown, tree = configTree) =>
  controlList(tree, config, { rootFolder: 'dynamics', ...gridControlOptions(config as Config, GRID_SIZES) });
/** The page's rules for every variant: its control options, and its switch of the grid's forms. */
const PAGE_RULES = { options: (v: unknown) => gridControlOptions(v as Config, GRID_SIZES), switchAlternative: switchPageAlternative };

/**
 * What the demo does with a config: the GUI edits a deep copy of it in place
 * (here every control writes its own value back, as lil-gui does on a finish
 * without change), export and links take a copy of that, the link is the hash,
 * and a loaded link is parsed again.
 */
function throughTheDemo(config: Config, tree = configTree, schema: z.ZodType = configSchema): unknown {
  const model = structuredClone(config);
  for (const c of controlsOf(model, tree)) {
    if (c.kind === 'variant' || c.kind === 'optional' || c.kind === 'alternative') continue;
    const parent = getAt(model, c.path.slice(0, -1)) as Record<string | number, unknown>;
    parent[c.path[c.path.length - 1]] = getAt(model, c.path);
  }
  const exported = JSON.parse(JSON.stringify(structuredClone(model)));
  return schema.parse(configFromHash(configToHash(exported)));
}

/** A torus with every key set; grid.dimensions is kept at 2 (its other value is the ring below). */
const full = (() => {
  const base = presetConfig('irreversible');
  switchVariant(configTree, base, ['initial', 'type'], 'random');
  return withEveryKeySet(base, undefined, ['grid.dimensions']);
})();

/** A ring with every key set: the irreversible field on 64 cells, its shift one number. */
const fullRing = (() => {
  const base = parseConfig({ ...presetConfig('irreversible'), grid: { n: 64, length: 64, dimensions: 1 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: 1.5 } });
  switchVariant(configTree, base, ['initial', 'type'], 'random');
  return withEveryKeySet(base);
})();

/** The paths of the mappable fields (docs/model.md §8) in a config. */
const MAP_PATHS: Record<MappedField, Path> = { 'noise.amplitude': ['noise', 'amplitude'], 'transfer.slope': ['transfer', 'slope'], input: ['input'] };
const ALTERNATIVES = ['uniform', ...MAP_PATTERNS];

/** `full` with every mappable field a map file (registered here, as a browser page cannot). */
const withFiles = (() => {
  const cells = gridOf(full).cells;
  registerMapFile('d.npy', new Float64Array(cells).fill(0.05));
  registerMapFile('g.npy', new Float64Array(cells).fill(0.8));
  registerMapFile('h.npy', new Float64Array(cells).fill(0.1));
  return parseConfig({ ...full, noise: { ...full.noise, amplitude: { file: 'd.npy' } }, transfer: { type: 'linear', slope: { file: 'g.npy' } }, input: { file: 'h.npy' } });
})();

/** Configs that between them hold every variant and every map, each with every key it can have set. */
const everyShape = [...everyVariant(configTree, full, PAGE_RULES), withFiles, ...everyVariant(configTree, fullRing, PAGE_RULES)].map((c) => {
  setEveryOptional(configTree, c);
  return parseConfig(c);
});

const hasMapFiles = (c: Config) =>
  MAPPED_FIELDS.some((f) => {
    const v = fieldSpec(c, f);
    return typeof v === 'object' && 'file' in v;
  });
const mapName = (c: Config, f: MappedField) => {
  const v = fieldSpec(c, f);
  return v === undefined ? '-' : typeof v === 'number' ? 'uniform' : describeMap(v).replace(/^the /, '');
};
const shapeName = (c: Config) =>
  [JSON.stringify(c.grid), c.transfer.type, c.kernel.type, c.initial.type, ...MAPPED_FIELDS.map((f) => `${f} ${mapName(c, f)}`)].join(', ');

describe('demo state', () => {
  it('the test config sets noise.whiteFraction, the correlation length and every key a document may leave out', () => {
    expect(full.noise.whiteFraction).toBeGreaterThan(0);
    expect(full.noise.correlationLength).toBeGreaterThan(0);
    const omittable = omittableFields(configTree);
    expect(omittable.map((f) => f.id)).toEqual(expect.arrayContaining(['kernel.radius', 'kernel.shift', 'noise.whiteFraction', 'noise.correlationLength', 'seed', 'input', 'initial']));
    for (const { path, variant } of omittable) {
      if (variant && !inVariant(configTree, full, variant)) continue;
      expect(getAt(full, path), path.join('.')).toBeDefined();
    }
    expect(full.initial).toEqual({ type: 'random', std: expect.any(Number) });
  });

  it.each(presetNames)('preset %s survives the GUI model and the URL hash unchanged', (name) => {
    const config = presetConfig(name);
    expect(parseConfig(throughTheDemo(config))).toEqual(config);
  });

  it.each(everyShape.map((c) => [shapeName(c), c] as const))(
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
        if (c.kind === 'alternative') {
          expect(c.options, c.id).toContain(c.value);
          const node = nodeAt(configTree, config, c.path)!.node;
          expect(node.kind === 'alternatives' && alternativeOf(node, v)?.name, c.id).toBe(c.value);
        }
      }
    }
  });

  it('keeps the grid sizes the adapter allows, and a size from a link that is not among them, beside a free entry of any side', () => {
    const n = (config: Config) => controlsOf(config).filter((c) => c.id === 'grid.n' && c.kind !== 'alternative');
    expect(n(full)).toEqual([
      expect.objectContaining({ kind: 'choice', options: GRID_SIZES, label: 'n', folder: ['grid', 'n'] }),
      expect.objectContaining({ kind: 'number', min: 4, step: 1, label: 'n (any ≥ 4)', folder: ['grid', 'n'] }),
    ]);
    const small = parseConfig({ ...full, grid: { n: 8, length: 8 }, kernel: { ...full.kernel, radius: 3 }, noise: { amplitude: 0.02 } });
    expect(n(small)[0].options).toEqual([8, ...GRID_SIZES]);
    // A typed side (1000 is in no list here) is kept and shown in the list as well.
    const typed = parseConfig({ ...full, grid: { n: 1000, length: 1000 } });
    expect(n(typed)[0].options).toEqual([...GRID_SIZES, 1000]);
    expect(parseConfig(throughTheDemo(typed))).toEqual(typed);
  });

  it('edits a rectangle as [nx, ny] and [Lx, Ly], switching the grid\'s form with its cell sizes kept', () => {
    const model = structuredClone(full);
    const form = (id: string) => controlsOf(model).find((c) => c.id === id && c.kind === 'alternative');
    expect(form('grid.n')).toMatchObject({ label: 'form', options: ['square', 'rectangle'], value: 'square', folder: ['grid', 'n'] });
    expect(form('grid.length')).toMatchObject({ options: ['square', 'rectangle'], value: 'square' });
    switchPageAlternative(configTree, model, ['grid', 'n'], 'rectangle');
    // Half as many rows over half the length: Δx = Δy = 1 as before.
    expect(model.grid).toEqual({ n: [64, 32], length: [64, 32], dimensions: 2 });
    expect(form('grid.n')?.value).toBe('rectangle');
    expect(form('grid.length')?.value).toBe('rectangle');
    const sides = controlsOf(model).filter((c) => c.id.startsWith('grid.n.') || c.id.startsWith('grid.length.'));
    expect(sides.map((c) => [c.id, c.label, c.kind, c.min, c.step])).toEqual([
      ['grid.n.0', 'n x', 'number', 4, 1],
      ['grid.n.1', 'n y', 'number', 4, 1],
      ['grid.length.0', 'length x', 'number', undefined, undefined],
      ['grid.length.1', 'length y', 'number', undefined, undefined],
    ]);
    // The editor writes a side in place: 200 × 100 over [200, 100].
    model.grid.n = [200, 100];
    model.grid.length = [200, 100];
    const rectangle = parseConfig(model);
    expect(gridOf(rectangle)).toMatchObject({ nx: 200, ny: 100, dx: 1, dy: 1 });
    expect(parseConfig(throughTheDemo(rectangle))).toEqual(rectangle);
    switchGridForm(model, 'square');
    expect(model.grid).toEqual({ n: 200, length: 200, dimensions: 2 });
  });

  it('switches grid.dimensions between a torus and a ring, carrying n, length and the shift into the forms each takes', () => {
    const dimensions = (config: Config) => controlsOf(config).find((c) => c.id === 'grid.dimensions');
    // A union of two literals is one choice, not two alternatives of one value each.
    expect(dimensions(full)).toMatchObject({ kind: 'choice', options: [1, 2], label: 'dimensions', folder: ['grid'] });
    const model = parseConfig({ ...full, grid: { n: [64, 32], length: [64, 32] } });
    const [sx] = shiftVector(full.kernel);
    switchDimensions(model, 1);
    expect(model.grid).toEqual({ n: 64, length: 64, dimensions: 1 });
    expect(model.kernel.shift).toBe(sx);
    expect(gridOf(parseConfig(model))).toMatchObject({ dimensions: 1, nx: 64, ny: 1 });
    // A ring offers no rectangle, and its shift one number (or a vector [s, 0]); a torus no number.
    const offered = (config: Config, id: string) => controlsOf(config).find((c) => c.id === id && c.kind === 'alternative')?.options;
    expect(offered(model, 'grid.n')).toEqual(['square']);
    expect(offered(model, 'grid.length')).toEqual(['square']);
    expect(offered(model, 'kernel.shift')).toEqual(['vector', 'number']);
    expect(offered(full, 'kernel.shift')).toEqual(['vector']);
    switchDimensions(model, 2);
    expect(model.kernel.shift).toEqual([sx, 0]);
    expect(parseConfig(model).grid).toEqual({ n: 64, length: 64, dimensions: 2 });
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

  it('offers uniform and every pattern for each mappable field, from the starting values declared beside the schema', () => {
    const starts = (schema: unknown) => startingValues.get(schema as never)!.alternatives!;
    const registered: Record<MappedField, Record<string, unknown>> = {
      'noise.amplitude': starts(noiseSchema.shape.amplitude),
      'transfer.slope': starts(transferSchema.options[0].shape.slope),
      input: starts(configSchema.shape.input.unwrap()),
    };
    const model = presetConfig('irreversible');
    for (const field of MAPPED_FIELDS) {
      const path = MAP_PATHS[field];
      const key = String(path[path.length - 1]);
      const choice = controlsOf(model).find((c) => c.kind === 'alternative' && c.id === path.join('.'));
      expect(choice, field).toMatchObject({ label: 'pattern', options: ALTERNATIVES, value: 'uniform', notOffered: [] });
      expect(choice!.folder.at(-1)).toBe(key);
      // The uniform value is a number control in the same folder, labelled by its key.
      expect(controlsOf(model).find((c) => c.kind === 'number' && c.id === path.join('.'))).toMatchObject({ label: key, folder: choice!.folder });
      expect(Object.keys(registered[field])).toEqual(ALTERNATIVES);
      for (const name of MAP_PATTERNS) {
        const copy = structuredClone(model);
        switchAlternative(configTree, copy, path, name);
        // The registered start, its defaults filled in.
        expect(getAt(copy, path), `${field} → ${name}`).toEqual(getAt(parseConfig(setAt(model, path, registered[field][name])), path));
        expect(getAt(copy, path)).toMatchObject(registered[field][name] as object);
        const drawn = controlsOf(copy).filter((c) => c.id.startsWith(`${path.join('.')}.`) && c.kind !== 'alternative');
        // Every key of the pattern but its tag is drawn, in the field's folder.
        const keys = Object.keys(registered[field][name] as object).filter((k) => k !== 'pattern');
        expect(new Set(drawn.map((c) => String(c.path[path.length]))), `${field} → ${name}`).toEqual(new Set(keys));
        expect(drawn.every((c) => c.folder.join('/') === choice!.folder.join('/'))).toBe(true);
        expect(controlsOf(copy).find((c) => c.kind === 'alternative' && c.id === path.join('.'))?.value).toBe(name);
        // And back to a number.
        switchAlternative(configTree, copy, path, 'uniform');
        expect(getAt(copy, path)).toBe(registered[field].uniform);
      }
    }
  });

  it('every starting map runs on the grids of the presets', () => {
    for (const preset of ['irreversible', 'noise-stripe', 'gain-balanced']) {
      for (const field of MAPPED_FIELDS) {
        for (const name of ALTERNATIVES) {
          const model = presetConfig(preset);
          switchAlternative(configTree, model, MAP_PATHS[field], name);
          const config = parseConfig(model);
          expect(() => assertRunnable(config), `${preset}: ${field} → ${name}`).not.toThrow();
        }
      }
    }
  });

  it('keeps a map file as it is, shows it, and does not offer it; the page refuses to run it, saying why', () => {
    for (const field of MAPPED_FIELDS) {
      const path = MAP_PATHS[field];
      const choice = controlsOf(withFiles).find((c) => c.kind === 'alternative' && c.id === path.join('.'));
      expect(choice).toMatchObject({ options: [...ALTERNATIVES, 'file'], value: 'file', notOffered: ['file'] });
      expect(controlsOf(withFiles).find((c) => c.id === `${path.join('.')}.file`)).toMatchObject({ kind: 'string' });
      expect(() => switchAlternative(configTree, structuredClone(withFiles), path, 'file')).toThrow(/cannot be chosen/);
    }
    expect(parseConfig(throughTheDemo(withFiles))).toEqual(withFiles);
    // The page: the config is kept for the GUI, links and exports, and refused to run, naming each file.
    const link = configFromHash(configToHash(withFiles));
    let refusal: unknown;
    try {
      checkConfig(link);
    } catch (e) {
      refusal = e;
    }
    expect(refusal).toBeInstanceOf(UnloadableMaps);
    expect((refusal as UnloadableMaps).config).toEqual(withFiles);
    expect((refusal as UnloadableMaps).problems).toHaveLength(3);
    expect((refusal as Error).message).toMatch(/noise\.amplitude is the map file "d\.npy", which this page cannot read .*choose one in the panel.*amari-ep run --config FILE/);
    // A pattern runs.
    expect(checkConfig(configFromHash(configToHash(presetConfig('noise-stripe'))))).toEqual(presetConfig('noise-stripe'));
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
      // A union of a number and discriminated objects, with no starting values registered.
      level: z
        .union([
          z.number().min(0),
          z.discriminatedUnion('shape', [
            z.strictObject({ shape: z.literal('flat'), height: z.number() }),
            z.strictObject({ shape: z.literal('ramp'), from: z.number(), to: z.number().optional() }),
          ]),
        ])
        .default(2),
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

    expect(byId.get('level:alternative')).toMatchObject({ label: 'shape', options: ['number', 'flat', 'ramp'], value: 'number', folder: ['level'] });
    expect(byId.get('level:number')).toMatchObject({ min: 0, folder: ['level'] });
    switchAlternative(tree, model, ['level'], 'ramp');
    expect(model).toMatchObject({ level: { shape: 'ramp', from: 1 } });
    expect(controlsOf(model, tree).filter((c) => c.id.startsWith('level')).map((c) => `${c.id}:${c.kind}`)).toEqual(['level:alternative', 'level.from:number', 'level.to:optional']);
    setOptional(tree, model, ['level', 'to'], true);
    expect(model).toMatchObject({ level: { shape: 'ramp', from: 1, to: 1 } });
    expect(throughTheDemo(model as Config, tree, future)).toEqual(model);
    expect(leafPaths(tree)).toEqual(expect.arrayContaining(['level', 'level.height', 'level.from', 'level.to']));
    expect(omittableFields(tree).map((f) => f.id)).toEqual(expect.arrayContaining(['level', 'level.to']));
  });

  it('every offered alternative, like every variant, has a starting value the schema accepts', () => {
    // Each control on the shape that has it (a union inside a variant, as initial.direction of a wave, is only there).
    for (const [shape, c] of everyShape.flatMap((config) => controlsOf(config).map((x) => [config, x] as const)).filter(([, x]) => x.kind === 'alternative')) {
      // A map file holds one grid's values: another grid is refused, rightly, until the file is replaced.
      if (hasMapFiles(shape) && c.id.startsWith('grid.')) continue;
      for (const name of c.options!.filter((o) => !c.notOffered!.includes(o))) {
        const model = structuredClone(shape);
        switchPageAlternative(configTree, model, c.path, name);
        expect(() => parseConfig(model), `${shapeName(shape)}: ${c.id} = ${String(name)}`).not.toThrow();
      }
    }
  });

  it('carries non-ASCII-safe JSON through base64url and rejects a broken hash', () => {
    const doc = { note: 'σ — λ', n: [1, 2] };
    expect(configFromHash(configToHash(doc as never))).toEqual(doc);
    expect(configToHash(doc as never)).toMatch(/^#config=[A-Za-z0-9_-]+$/);
    expect(configFromHash('#other')).toBeUndefined();
    expect(() => configFromHash('#config=bm90IGpzb24')).toThrow(/not valid JSON/);
  });
});

/** A copy of a config with the value at `path` replaced. */
function setAt(config: Config, path: Path, value: unknown): unknown {
  const copy = structuredClone(config) as Record<string | number, unknown>;
  const parent = getAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = structuredClone(value);
  return copy;
}
