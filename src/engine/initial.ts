import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { fixedPointField } from '../model/fixed-point.js';
import { bumpProfile, waveProfile } from '../model/profiles.js';
import { fillNormals, philoxKey, STREAM_INITIAL } from '../rng/philox.js';

/** u_0 for every replica (docs/model.md §3: a random field draws stream 1 at step 0). */
export function initialField(config: Config, replicas: number): Float64Array {
  const N = gridOf(config).cells;
  const field = new Float64Array(replicas * N);
  const init = config.initial;
  if (init.type === 'fixed-point') {
    // The uniform u*, or with input or slope maps the field's fixed point (docs/model.md §8).
    const u = fixedPointField(config);
    if (typeof u === 'number') field.fill(u);
    else for (let r = 0; r < replicas; r++) field.set(u, r * N);
  }
  if (init.type === 'random') {
    const key = philoxKey(config.seed);
    const normals = new Float64Array(N);
    for (let r = 0; r < replicas; r++) {
      fillNormals(normals, 0, r, STREAM_INITIAL, key);
      for (let i = 0; i < N; i++) field[r * N + i] = init.std * normals[i];
    }
  }
  if (init.type === 'bump' || init.type === 'wave') {
    // The same deterministic profile in every replica.
    const profile = init.type === 'bump' ? bumpProfile(config, init) : waveProfile(config, init);
    for (let r = 0; r < replicas; r++) field.set(profile, r * N);
  }
  return field;
}
