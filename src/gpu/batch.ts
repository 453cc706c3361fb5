import type { Config } from '../config/schema.js';

/**
 * Several configs as replicas of one GPU engine (GpuEngine.createBatch): what
 * may differ between them is what the coefficient accessors read per replica
 * (coefficients.ts): the noise amplitude D, the input h and the transfer's
 * gain (a linear slope, a number or a map; the gain β of sigmoid and tanh),
 * each of the same form for every member, and the step's constants dt, τ and
 * the seed (dt shared where D is a map).
 * Everything else (grid, kernel, transfer type, initial, …) must be equal,
 * and the noise white: a batch member draws its solo run's Philox numbers
 * (its own key, noise_replica's replica word), which the correlated-noise
 * filters do not use.
 */

/** The form of a batchable value: the same form batches, a number and a map do not (they round differently on the GPU). */
function form(value: unknown): 'number' | 'map' {
  return typeof value === 'number' ? 'number' : 'map';
}

/**
 * What must be equal for two configs to share a batch: the config with its
 * per-replica values replaced by their form. Undefined where the config
 * cannot be batched at all (correlated noise).
 */
export function batchKey(config: Config): string | undefined {
  if (config.noise.correlationLength !== 0) return undefined;
  const t = config.transfer;
  const transfer = t.type === 'linear' ? { ...t, slope: form(t.slope) } : { ...t, gain: form(t.gain) };
  // A noise map's scale √(2dt/a) is one number for the batch: dt stays in the key.
  const dt = form(config.noise.amplitude) === 'map' ? config.dt : 'number';
  return JSON.stringify({ ...config, input: form(config.input), noise: { ...config.noise, amplitude: form(config.noise.amplitude) }, transfer, dt, tau: 'number', seed: 'number' });
}

/** Refuses, in one line, a list of configs that cannot run as one batch. */
export function checkBatchable(members: Config[]): void {
  if (members.length === 0) throw new RangeError('a batch needs at least one config');
  const keys = members.map(batchKey);
  if (keys[0] === undefined) throw new RangeError('a batch needs white noise (noise.correlationLength 0): correlated noise is filtered across replicas of one draw');
  const differing = keys.findIndex((k) => k !== keys[0]);
  if (differing >= 0) {
    throw new RangeError(
      `batch member ${differing + 1} differs from member 1 in more than noise.amplitude, input, the transfer's slope or gain (each a number for all or a map for all), dt (not beside a noise map), tau and seed; only those may vary within a batch`,
    );
  }
}

/** The members' fields (each replicas·cells, replica-major) one after another: the batch's field. */
export function batchField(fields: Float64Array[]): Float64Array {
  const out = new Float64Array(fields.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of fields) {
    out.set(f, at);
    at += f.length;
  }
  return out;
}

/** Member m's part of a batch's replica-major per-replica values (a field, a map: `width` values per replica). */
export function memberSlice(values: Float64Array, member: number, replicasEach: number, width: number): Float64Array {
  const size = replicasEach * width;
  return values.slice(member * size, (member + 1) * size);
}
