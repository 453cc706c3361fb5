import fc from 'fast-check';

/**
 * Generators of hostile input for the fuzz tests: configuration documents
 * (mutations of a small valid one), the text of a config file, .npy map files
 * and command-line arguments. Whatever passes validation must run in
 * milliseconds on the CPU engine, so grids stay at 8² or below and step counts
 * small; everything else is meant to be refused.
 */

export type Doc = Record<string, unknown>;

/** A valid config on n² cells (n = 4..8, Δx = 1): runs in milliseconds. */
export function smallDoc(n: number): Doc {
  return {
    grid: { n, length: n },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [0.7, 0], radius: 1 },
    input: 0.1,
    noise: { amplitude: 0.05 },
    dt: 0.05,
    seed: 3,
    initial: { type: 'fixed-point' },
  };
}

/** Numbers at and beyond the edges of every range: zeros, signs, the float64 extremes, non-finite values. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, -0, -1, 1, 0.5, 2, 3, 4, 0.1, -0.5, 1e-300, 1e300, 1e308, -1e308, 5e-324, 1e-7, 1e7, 1e20, -1e20, 1e-20, 2 ** 53, 16385) },
  { weight: 2, arbitrary: fc.double({ min: -10, max: 10, noNaN: true }) },
  { weight: 1, arbitrary: fc.double() },
);

const notANumber = fc.constantFrom<unknown>(null, true, false, '1', '', [], {}, [1, 2], [1, 2, 3], [[1]], { file: 'missing.npy' }, { pattern: 'disc' });

/** A map of docs/model.md §8 with hostile parameters, or a file (written by the test as map.npy). */
const mapSpec: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({ file: 'map.npy' }),
  fc.record(
    {
      pattern: fc.constantFrom('stripe', 'disc', 'bump', 'tilt', 'random', 'spiral'),
      axis: fc.constantFrom('x', 'y', 'z'),
      center: fc.oneof(fc.tuple(hostileNumber, hostileNumber), hostileNumber),
      width: hostileNumber,
      radius: hostileNumber,
      sigma: hostileNumber,
      inside: hostileNumber,
      outside: hostileNumber,
      base: hostileNumber,
      peak: hostileNumber,
      rate: hostileNumber,
      mean: hostileNumber,
      std: hostileNumber,
      correlationLength: hostileNumber,
      seed: hostileNumber,
      distribution: fc.constantFrom('normal', 'lognormal', 'cauchy'),
    },
    { requiredKeys: ['pattern'] },
  ),
);

/** Any value a user could write in a field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileNumber },
  { weight: 2, arbitrary: notANumber },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: mapSpec },
);

/** Whole sections in their other forms, with hostile numbers inside. */
const section: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(fc.constant('transfer'), fc.record({ type: fc.constantFrom('sigmoid', 'tanh', 'relu'), gain: hostileNumber, threshold: hostileNumber })),
  fc.tuple(fc.constant('transfer'), fc.record({ type: fc.constant('linear'), slope: hostileValue })),
  fc.tuple(
    fc.constant('kernel'),
    fc.record({
      type: fc.constant('mexican-hat'),
      excitation: fc.record({ amplitude: hostileNumber, sigma: hostileNumber }),
      inhibition: fc.record({ amplitude: hostileNumber, sigma: hostileNumber }),
      shift: fc.constant([0.5, 0]),
      radius: fc.constant(1),
    }),
  ),
  fc.tuple(fc.constant('initial'), fc.record({ type: fc.constant('random'), std: hostileNumber })),
  fc.tuple(fc.constant('initial'), fc.record({ type: fc.constantFrom('bump', 'wave'), center: fc.constant([1, 1]), width: hostileNumber, wavelength: hostileNumber, amplitude: hostileNumber, base: hostileNumber }, { requiredKeys: ['type', 'amplitude'] })),
  fc.tuple(fc.constant('initial'), fc.record({ type: fc.constantFrom('zero', 'fixed-point', 'spiral') })),
  fc.tuple(fc.constant('noise'), fc.record({ amplitude: hostileValue, correlationLength: fc.oneof(hostileNumber, fc.constantFrom(1, 1.5, 2)), whiteFraction: hostileNumber }, { requiredKeys: ['amplitude'] })),
);

/** Fields to set, with grid.n kept to small or refused values (a valid 16384² grid would not run in milliseconds). */
const leaf = fc.oneof(
  fc.tuple(fc.constant(['grid', 'n']), fc.constantFrom<unknown>(0, 3, 4, 5, 6, -1, 2.5, 16385, 262145, 1e300, '8', [4, 6], [4], [4, 4, 4], null, [5, 1e9])),
  fc.tuple(fc.constant(['grid', 'dimensions']), fc.constantFrom<unknown>(1, 2, 3, 0, '1', null)),
  fc.tuple(
    fc.constantFrom(
      ['grid', 'length'],
      ['tau'],
      ['dt'],
      ['seed'],
      ['input'],
      ['transfer', 'slope'],
      ['kernel', 'amplitude'],
      ['kernel', 'sigma'],
      ['kernel', 'shift'],
      ['kernel', 'radius'],
      ['kernel', 'type'],
      ['noise', 'amplitude'],
      ['noise', 'correlationLength'],
      ['noise', 'whiteFraction'],
      ['initial'],
      ['grid'],
      ['noise'],
    ),
    hostileValue,
  ),
);

type Mutation = { set: readonly [readonly string[], unknown] } | { remove: readonly string[] } | { section: [string, unknown] } | { unknownKey: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: leaf.map((set) => ({ set })) },
  { weight: 1, arbitrary: fc.constantFrom(['tau'], ['dt'], ['grid'], ['noise', 'amplitude'], ['kernel', 'sigma'], ['transfer']).map((remove) => ({ remove })) },
  { weight: 3, arbitrary: section.map((s) => ({ section: s })) },
  { weight: 1, arbitrary: fc.constantFrom('extra', 'Dt', 'noise_amplitude', '__proto__', 'constructor').map((unknownKey) => ({ unknownKey })) },
);

function apply(doc: Doc, m: Mutation): void {
  if ('set' in m || 'remove' in m) {
    const path = 'set' in m ? m.set[0] : m.remove;
    let node = doc as Record<string, unknown>;
    for (const key of path.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    const last = path[path.length - 1];
    if ('set' in m) node[last] = structuredClone(m.set[1]);
    else delete node[last];
  } else if ('section' in m) {
    doc[m.section[0]] = structuredClone(m.section[1]);
  } else {
    // Defined as an own property: `__proto__` then reaches JSON as a key, as a user could write it.
    Object.defineProperty(doc, m.unknownKey, { value: 1, enumerable: true, configurable: true, writable: true });
  }
}

/** A config document: the small valid one (n = 4..8), changed by up to three mutations (none in about one case in eight). */
export const configDoc: fc.Arbitrary<Doc> = fc
  .tuple(fc.integer({ min: 4, max: 8 }), fc.array(mutation, { minLength: 0, maxLength: 3 }), fc.integer({ min: 0, max: 7 }))
  .map(([n, mutations, keep]) => {
    const doc = smallDoc(n);
    if (keep !== 0) for (const m of mutations) apply(doc, m);
    return doc;
  });

/** JSON with non-finite numbers written as a user's editor might: 1e999 (JSON for Infinity) or NaN (not JSON). */
export function toText(doc: unknown): string {
  return JSON.stringify(doc, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? `__nonfinite_${v}__` : v))
    .replaceAll('"__nonfinite_Infinity__"', '1e999')
    .replaceAll('"__nonfinite_-Infinity__"', '-1e999')
    .replaceAll('"__nonfinite_NaN__"', 'NaN');
}

export type TextDamage =
  | { kind: 'none' }
  | { kind: 'bom' }
  | { kind: 'truncate'; at: number }
  | { kind: 'replace'; text: string }
  | { kind: 'deep'; depth: number };

/** How the file's text is spoilt, if at all. */
export const textDamage: fc.Arbitrary<TextDamage> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'bom' as const }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((at) => ({ kind: 'truncate' as const, at })) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\uFEFF', 'null', '[]', '{}', '"config"', '\u0000\u0001', '{"grid":').map((text) => ({ kind: 'replace' as const, text })) },
  { weight: 1, arbitrary: fc.integer({ min: 17, max: 100_000 }).map((depth) => ({ kind: 'deep' as const, depth })) },
);

/** The text with its damage done: a byte-order mark (accepted), a cut, other text, or dt nested `depth` arrays deep. */
export function damage(text: string, d: TextDamage): string {
  switch (d.kind) {
    case 'bom':
      return `\uFEFF${text}`;
    case 'truncate':
      return text.slice(0, Math.floor(d.at * text.length));
    case 'replace':
      return d.text;
    case 'deep':
      return text.replace(/"dt":[^,}]*/, `"dt":${'['.repeat(d.depth)}0${']'.repeat(d.depth)}`);
    case 'none':
      return text;
  }
}

/** A .npy file's parts: mostly well formed, each part sometimes wrong. */
export interface NpySpec {
  magic: boolean;
  version: number;
  descr: string;
  fortran: boolean;
  shape: 'right' | 'ring' | 'transposed-wrong' | 'extra-axis' | 'scalar' | 'empty' | 'negative';
  values: number[];
  cut: 'none' | 'header' | 'data';
}

export const npySpec: fc.Arbitrary<NpySpec> = fc.record({
  magic: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  version: fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 2, arbitrary: fc.constantFrom(2, 3) }, { weight: 1, arbitrary: fc.constantFrom(0, 9) }),
  descr: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('<f8', '>f8', '<f4', '>f4') }, { weight: 2, arbitrary: fc.constantFrom('<i4', '|u1', '<f2', '=f8', '<c16', 'O') }),
  fortran: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  shape: fc.oneof(
    { weight: 6, arbitrary: fc.constant('right' as const) },
    { weight: 2, arbitrary: fc.constantFrom('ring' as const, 'transposed-wrong' as const, 'extra-axis' as const, 'scalar' as const, 'empty' as const, 'negative' as const) },
  ),
  values: fc.array(fc.oneof({ weight: 6, arbitrary: fc.double({ min: 0.01, max: 0.2, noNaN: true }) }, { weight: 1, arbitrary: hostileNumber }), { minLength: 1, maxLength: 8 }),
  cut: fc.oneof({ weight: 6, arbitrary: fc.constant('none' as const) }, { weight: 1, arbitrary: fc.constantFrom('header' as const, 'data' as const) }),
});

/** The bytes of a .npy file for an n² grid (NumPy's layout: magic, version, header length, header padded to 64 bytes, data). */
export function npyBytes(spec: NpySpec, n: number): Uint8Array {
  const shapes: Record<NpySpec['shape'], number[]> = {
    right: [n, n],
    ring: [n],
    'transposed-wrong': [n + 1, n],
    'extra-axis': [n, n, 1],
    scalar: [],
    empty: [0, n],
    negative: [-1, n],
  };
  const shape = shapes[spec.shape];
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${spec.descr}', 'fortran_order': ${spec.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const prefix = spec.version === 1 ? 10 : 12;
  const padded = dict + ' '.repeat((64 - ((prefix + dict.length + 1) % 64)) % 64) + '\n';
  const count = Math.max(0, shape.reduce((a, b) => a * b, 1));
  const size = /8$|c16/.test(spec.descr) ? 8 : /4$/.test(spec.descr) ? 4 : /2$/.test(spec.descr) ? 2 : 1;
  const bytes = new Uint8Array(prefix + padded.length + count * size);
  const view = new DataView(bytes.buffer);
  bytes.set([spec.magic ? 0x93 : 0x89, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), spec.version, 0]);
  if (spec.version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  bytes.set(Array.from(padded, (c) => c.charCodeAt(0) & 0xff), prefix);
  const little = !spec.descr.startsWith('>');
  for (let i = 0; i < count; i++) {
    const v = spec.values[i % spec.values.length];
    const at = prefix + padded.length + i * size;
    if (size === 8) view.setFloat64(at, v, little);
    else if (size === 4 && spec.descr.includes('f')) view.setFloat32(at, v, little);
    else if (size === 4) view.setInt32(at, Number.isFinite(v) ? Math.trunc(v) | 0 : 0, little);
    else if (size === 2) view.setUint16(at, 0x3c00, little);
    else bytes[at] = Number.isFinite(v) ? Math.trunc(v) & 0xff : 0;
  }
  if (spec.cut === 'header') return bytes.subarray(0, Math.min(bytes.length, prefix + 5));
  if (spec.cut === 'data') return bytes.subarray(0, bytes.length - Math.max(1, size));
  return bytes;
}
