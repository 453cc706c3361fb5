import { z } from 'zod';

/**
 * The configuration document (one JSON object, the same for the CLI, the
 * library and the demo). Every number states its allowed range in its message,
 * so a rejected file says what would have been accepted. Keys are added, never
 * renamed: users' files carry them.
 */

const MAX_N = 16384;
const MAX_SEED = Number.MAX_SAFE_INTEGER;

const finite = (allowed: string) =>
  z.number({ error: allowed }).refine(Number.isFinite, { error: allowed });
const positive = (what = 'a finite number > 0') =>
  finite(what).refine((v) => v > 0, { error: what });
const nonNegative = (what = 'a finite number ≥ 0') =>
  finite(what).refine((v) => v >= 0, { error: what });

const isPowerOfTwo = (v: number) => Number.isInteger(v) && v > 0 && (v & (v - 1)) === 0;

export const gridSchema = z.strictObject(
  {
  n: z
    .number({ error: `an integer power of two from 4 to ${MAX_N}` })
    .refine((v) => isPowerOfTwo(v) && v >= 4 && v <= MAX_N, {
      error: `an integer power of two from 4 to ${MAX_N} (the spectral theory and the FFT need a power of two)`,
    }),
  length: positive(),
  },
  { error: 'an object { n, length }' },
);

const shiftSchema = z
  .tuple([finite('a finite number'), finite('a finite number')], {
    error: 'a pair [sx, sy] of finite numbers',
  })
  .default([0, 0]);

const gaussianPart = z.strictObject({
  amplitude: finite('a finite number (negative for inhibition)'),
  sigma: positive(),
});

export const kernelSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('gaussian'),
      amplitude: finite('a finite number (negative for inhibition)'),
      sigma: positive(),
      shift: shiftSchema,
      radius: positive().optional(),
    }),
    z.strictObject({
      type: z.literal('mexican-hat'),
      excitation: gaussianPart,
      inhibition: gaussianPart,
      shift: shiftSchema,
      radius: positive().optional(),
    }),
  ],
  { error: 'type "gaussian" or "mexican-hat"' },
);

export const transferSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('linear'), slope: finite('a finite number') }),
    z.strictObject({ type: z.literal('sigmoid'), gain: positive(), threshold: finite('a finite number') }),
    z.strictObject({ type: z.literal('tanh'), gain: positive(), threshold: finite('a finite number') }),
  ],
  { error: 'type "linear", "sigmoid" or "tanh"' },
);

export const noiseSchema = z.strictObject(
  {
    amplitude: positive('a finite number > 0 (the noise intensity D; the entropy estimator divides by it)'),
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
    .default(0),
  amplitude: finite('a finite number'),
  base: finite('a finite number').default(0),
});

export const initialSchema = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('zero') }),
      z.strictObject({ type: z.literal('fixed-point') }),
      z.strictObject({ type: z.literal('random'), std: nonNegative() }),
      bumpInitialSchema,
      waveInitialSchema,
    ],
    { error: 'type "zero", "fixed-point", "random", "bump" or "wave"' },
  )
  .default({ type: 'zero' });

export const configSchema = z.strictObject(
  {
  grid: gridSchema,
  tau: positive(),
  transfer: transferSchema,
  kernel: kernelSchema,
  input: finite('a finite number').default(0),
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
