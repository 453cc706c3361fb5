import { z } from 'zod';

/**
 * The configuration document (one JSON object, the same for the CLI, the
 * library and the demo). Every number states its allowed range in its message,
 * so a rejected file says what would have been accepted. Keys are added, never
 * renamed: users' files carry them.
 */

/** The most cells along one side of a 2-D grid. */
export const MAX_N = 16384;
const MAX_SEED = Number.MAX_SAFE_INTEGER;

const finite = (allowed: string) =>
  z.number({ error: allowed }).refine(Number.isFinite, { error: allowed });
const positive = (what = 'a finite number > 0') =>
  finite(what).refine((v) => v > 0, { error: what });
const nonNegative = (what = 'a finite number ≥ 0') =>
  finite(what).refine((v) => v >= 0, { error: what });

/**
 * Starting values for editors (the demo's GUI), declared here beside the
 * schema so that there is one place for them. `variants` on a discriminated
 * union: the value an editor switches to when the union's `type` changes, one
 * per variant. `whenSet` on an optional key: the value it takes when an editor
 * turns it on. `alternatives` on a plain union (a number, or a map of one of
 * several kinds): by the name an editor offers it under, in order, the value
 * it switches to; a discriminated union among the members is offered by its
 * tags, and a member with no value here (a map file, which a browser cannot
 * read) is kept when a document holds it but not offered. Validation never
 * reads them.
 */
export interface StartingValues {
  variants?: Record<string, Record<string, unknown>>;
  whenSet?: unknown;
  alternatives?: Record<string, unknown>;
}
export const startingValues = z.registry<StartingValues>();

/** Registers a union's starting values: TypeScript asks for one per variant. */
function withVariants<S extends z.ZodType<{ type: string }>>(
  schema: S,
  variants: { [K in z.output<S>['type']]: Extract<z.input<S>, { type: K }> },
): S {
  startingValues.add(schema, { variants });
  return schema;
}

/**
 * A map (docs/model.md §8): per-cell values of noise.amplitude, transfer.slope
 * or input, from a .npy file or a named pattern (src/config/maps.ts computes
 * them). Coordinates are in units of length: cell (ix, iy) sits at
 * (ix·Δx, iy·Δx), periodic on [0, L).
 */
const axisSchema = z.enum(['x', 'y'], { error: '"x" or "y"' });
const pointSchema = z.tuple([finite('a finite number'), finite('a finite number')], { error: 'a point [x, y] of finite numbers' });

export const fileMapSchema = z.strictObject(
  { file: z.string({ error: 'a path to a .npy file, relative to the config file' }).min(1, { error: 'a path to a .npy file, relative to the config file' }) },
  { error: 'an object { file }' },
);

export const MAP_PATTERNS = ['stripe', 'disc', 'bump', 'tilt', 'random'] as const;

export const patternMapSchema = z.discriminatedUnion(
  'pattern',
  [
    /** inside where −width/2 ≤ (coordinate − center, wrapped to [−L/2, L/2)) < width/2, outside elsewhere. */
    z.strictObject({
      pattern: z.literal('stripe'),
      axis: axisSchema,
      center: finite('a finite number (a coordinate, in units of length)'),
      width: positive('a finite number > 0 (in units of length)'),
      inside: finite('a finite number'),
      outside: finite('a finite number'),
    }),
    /** inside within `radius` of `center` (periodic distance), outside elsewhere. */
    z.strictObject({
      pattern: z.literal('disc'),
      center: pointSchema,
      radius: positive('a finite number > 0 (in units of length)'),
      inside: finite('a finite number'),
      outside: finite('a finite number'),
    }),
    /** base + (peak − base)·exp(−r²/(2 sigma²)), r the periodic distance to `center`. */
    z.strictObject({
      pattern: z.literal('bump'),
      center: pointSchema,
      sigma: positive('a finite number > 0 (in units of length)'),
      base: finite('a finite number'),
      peak: finite('a finite number'),
    }),
    /** base·exp(rate·coordinate), the coordinate x or y in [0, L). */
    z.strictObject({
      pattern: z.literal('tilt'),
      axis: axisSchema,
      base: finite('a finite number'),
      rate: finite('a finite number (per unit length)'),
    }),
    /** A smooth Gaussian random field with correlation exp(−r²/(2ℓ²)), or its log-normal transform. */
    z.strictObject({
      pattern: z.literal('random'),
      mean: finite('a finite number'),
      std: nonNegative('a finite number ≥ 0'),
      correlationLength: nonNegative('a finite number ≥ 0 (0: independent cells)'),
      seed: z
        .number({ error: `an integer from 0 to ${MAX_SEED}` })
        .refine((v) => Number.isInteger(v) && v >= 0 && v <= MAX_SEED, { error: `an integer from 0 to ${MAX_SEED}` }),
      distribution: z.enum(['normal', 'lognormal'], { error: '"normal" or "lognormal"' }).default('normal'),
    }).refine((p) => p.distribution === 'normal' || p.mean > 0, {
      error: 'a mean > 0 for "distribution": "lognormal"',
      path: ['mean'],
    }),
  ],
  { error: `a pattern: ${MAP_PATTERNS.map((p) => `"${p}"`).join(', ')}` },
);

/** What an editor starts each alternative of a mappable field from: a number, and one map of each pattern. */
type MappableStarts = { uniform: number } & { [P in (typeof MAP_PATTERNS)[number]]: Extract<z.input<typeof patternMapSchema>, { pattern: P }> };

/** A number for every cell, or a map; `starts` are the editor's starting values (StartingValues.alternatives). */
function mappable<T extends z.ZodType<number>>(scalar: T, allowed: string, starts: MappableStarts) {
  const schema = z.union([scalar, fileMapSchema, patternMapSchema], {
    error: `${allowed}, or a map: { "file": "name.npy" } or { "pattern": ${MAP_PATTERNS.map((p) => `"${p}"`).join(' | ')}, … }`,
  });
  startingValues.add(schema, { alternatives: starts });
  return schema;
}

/** A ring holds at most 8·65535 cells less a margin: one row of 8-wide workgroups fits a GPU dispatch. */
export const MAX_RING_N = 262144;

const GRID_N = `an integer from 4 to ${MAX_N} (cells per side; a ring up to ${MAX_RING_N}), or [nx, ny] for a rectangle`;
const cellCount = z.number({ error: GRID_N }).refine((v) => Number.isInteger(v) && v >= 4, { error: GRID_N });

/**
 * docs/model.md §7: n cells per side (any integer ≥ 4) or [nx, ny] for a
 * rectangle; length L or [Lx, Ly]; `dimensions: 1` makes a ring of n cells on
 * a circle of length L. A single n or L applies to both sides.
 */
export const gridSchema = z.strictObject(
  {
  n: z
    .union([cellCount, z.tuple([cellCount, cellCount])], { error: GRID_N })
    .refine((n) => (typeof n === 'number' ? n <= MAX_RING_N : n[0] <= MAX_N && n[1] <= MAX_N), { error: GRID_N })
    .register(startingValues, { alternatives: { square: 64, rectangle: [64, 32] } }),
  length: z
    .union([positive(), z.tuple([positive(), positive()])], {
      error: 'a finite number > 0 (the side, in units of length), or [Lx, Ly] for a rectangle',
    })
    .register(startingValues, { alternatives: { square: 32, rectangle: [32, 16] } }),
  dimensions: z
    .union([z.literal(1), z.literal(2)], { error: '2 (a torus, the default) or 1 (a ring)' })
    .default(2),
  },
  { error: 'an object { n, length, dimensions? }' },
);

/** [sx, sy] on a 2-D grid; on a ring, a number (or [s, 0]). */
const SHIFT = 'a pair [sx, sy] of finite numbers (on a ring: one number)';
const shiftSchema = z
  .union(
    [
      finite(SHIFT),
      z.tuple([finite(SHIFT), finite(SHIFT)], { error: SHIFT }),
    ],
    { error: SHIFT },
  )
  .register(startingValues, { alternatives: { vector: [0, 0], number: 0 } })
  .default([0, 0]);

const gaussianPart = z.strictObject({
  amplitude: finite('a finite number (negative for inhibition)'),
  sigma: positive(),
});

/** Absent: the stencil reaches |shift| + 4·max σ. */
const radiusSchema = positive().optional().register(startingValues, { whenSet: 8 });

export const kernelSchema = withVariants(
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('gaussian'),
        amplitude: finite('a finite number (negative for inhibition)'),
        sigma: positive(),
        shift: shiftSchema,
        radius: radiusSchema,
      }),
      z.strictObject({
        type: z.literal('mexican-hat'),
        excitation: gaussianPart,
        inhibition: gaussianPart,
        shift: shiftSchema,
        radius: radiusSchema,
      }),
    ],
    { error: 'type "gaussian" or "mexican-hat"' },
  ),
  {
    gaussian: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
    'mexican-hat': { type: 'mexican-hat', excitation: { amplitude: 1, sigma: 1 }, inhibition: { amplitude: 0.5, sigma: 2 }, shift: [0, 0] },
  },
);

export const transferSchema = withVariants(
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('linear'),
        // Starting maps between 0.5 and 0.9: stable with the unit-amplitude kernels of the presets.
        slope: mappable(finite('a finite number'), 'a finite number', {
          uniform: 0.8,
          stripe: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.9, outside: 0.5 },
          disc: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.9, outside: 0.5 },
          bump: { pattern: 'bump', center: [8, 8], sigma: 2, base: 0.5, peak: 0.9 },
          tilt: { pattern: 'tilt', axis: 'x', base: 0.5, rate: 0.01 },
          random: { pattern: 'random', mean: 0.7, std: 0.05, correlationLength: 2, seed: 1, distribution: 'normal' },
        }),
      }),
      z.strictObject({ type: z.literal('sigmoid'), gain: positive(), threshold: finite('a finite number') }),
      z.strictObject({ type: z.literal('tanh'), gain: positive(), threshold: finite('a finite number') }),
    ],
    { error: 'type "linear", "sigmoid" or "tanh"' },
  ),
  {
    linear: { type: 'linear', slope: 0.8 },
    sigmoid: { type: 'sigmoid', gain: 4, threshold: 0.5 },
    tanh: { type: 'tanh', gain: 0.8, threshold: 0 },
  },
);

export const noiseSchema = z.strictObject(
  {
    amplitude: mappable(
      positive('a finite number > 0 (the noise intensity D; the entropy estimator divides by it)'),
      'a finite number > 0 (the noise intensity D)',
      {
        uniform: 0.02,
        stripe: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.2, outside: 0.01 },
        disc: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.2, outside: 0.01 },
        bump: { pattern: 'bump', center: [8, 8], sigma: 2, base: 0.01, peak: 0.2 },
        tilt: { pattern: 'tilt', axis: 'x', base: 0.01, rate: 0.05 },
        random: { pattern: 'random', mean: 0.05, std: 0.02, correlationLength: 2, seed: 1, distribution: 'lognormal' },
      },
    ),
    correlationLength: nonNegative('a finite number ≥ 0 (0 is white noise; otherwise at least the cell size Δx)').default(0),
    whiteFraction: finite('a number in [0, 1): the share of white noise added to correlated noise')
      .refine((v) => v >= 0 && v < 1, { error: 'a number in [0, 1): the share of white noise added to correlated noise' })
      .default(0),
  },
  { error: 'an object { amplitude, correlationLength?, whiteFraction? }' },
);

/** A bump of the initial field: base + amplitude·exp(−r²/(2·width²)), r the periodic distance to center (units of length). */
const bumpInitialSchema = z.strictObject({
  type: z.literal('bump'),
  center: z.tuple([finite('a finite number'), finite('a finite number')], { error: 'a point [x, y] of finite numbers (units of length)' }),
  width: positive('a finite number > 0: the standard deviation of the Gaussian profile, in units of length'),
  amplitude: finite('a finite number'),
  base: finite('a finite number').default(0),
});

/**
 * A plane wave: base + amplitude·cos(k·x), |k| = 2π/wavelength along `direction`, an angle
 * from the x axis in radians or a vector [dx, dy] (normalised). Periodic on the torus when
 * k·L/2π is an integer on each axis.
 */
const waveInitialSchema = z.strictObject({
  type: z.literal('wave'),
  wavelength: positive('a finite number > 0, in units of length'),
  direction: z
    .union([
      finite('an angle in radians'),
      z
        .tuple([finite('a finite number'), finite('a finite number')])
        .refine(([x, y]) => x !== 0 || y !== 0, { error: 'a vector [dx, dy] other than [0, 0]' }),
    ], { error: 'an angle from the x axis in radians, or a vector [dx, dy] other than [0, 0]' })
    .register(startingValues, { alternatives: { angle: 0, vector: [1, 0] } })
    .default(0),
  amplitude: finite('a finite number'),
  base: finite('a finite number').default(0),
});

export const initialSchema = withVariants(
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('zero') }),
      z.strictObject({ type: z.literal('fixed-point') }),
      z.strictObject({ type: z.literal('random'), std: nonNegative() }),
      bumpInitialSchema,
      waveInitialSchema,
    ],
    { error: 'type "zero", "fixed-point", "random", "bump" or "wave"' },
  ),
  {
    zero: { type: 'zero' },
    'fixed-point': { type: 'fixed-point' },
    random: { type: 'random', std: 0.1 },
    bump: { type: 'bump', center: [8, 8], width: 2, amplitude: 1, base: 0 },
    wave: { type: 'wave', wavelength: 8, direction: 0, amplitude: 0.5, base: 0 },
  },
).default({ type: 'zero' });

export const configSchema = z.strictObject(
  {
  grid: gridSchema,
  tau: positive(),
  transfer: transferSchema,
  kernel: kernelSchema,
  input: mappable(finite('a finite number'), 'a finite number', {
    uniform: 0,
    stripe: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.5, outside: 0 },
    disc: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.5, outside: 0 },
    bump: { pattern: 'bump', center: [8, 8], sigma: 2, base: 0, peak: 0.5 },
    tilt: { pattern: 'tilt', axis: 'x', base: 0.1, rate: 0.02 },
    random: { pattern: 'random', mean: 0, std: 0.1, correlationLength: 2, seed: 1, distribution: 'normal' },
  }).default(0),
  noise: noiseSchema,
  dt: positive(),
  seed: z
    .number({ error: `an integer from 0 to ${MAX_SEED}` })
    .refine((v) => Number.isInteger(v) && v >= 0 && v <= MAX_SEED, {
      error: `an integer from 0 to ${MAX_SEED}`,
    })
    .default(0),
  initial: initialSchema,
  },
  { error: 'a JSON object with grid, tau, transfer, kernel, noise and dt' },
);

/** A validated configuration, every default filled in. */
export type Config = z.output<typeof configSchema>;
/** What a user may write: defaults may be left out. */
export type ConfigInput = z.input<typeof configSchema>;
export type Kernel = Config['kernel'];
export type Transfer = Config['transfer'];
export type Initial = Config['initial'];
export type FileMap = z.output<typeof fileMapSchema>;
export type PatternMap = z.output<typeof patternMapSchema>;
/** A map of docs/model.md §8: a file or a named pattern. */
export type MapSpec = FileMap | PatternMap;
/** A number for every cell, or a map. */
export type Mappable = number | MapSpec;
