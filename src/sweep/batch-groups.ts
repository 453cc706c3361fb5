import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { batchKey } from '../gpu/batch.js';
import { spectrumSampleable } from '../run/run.js';
import type { SweepOptions } from './manifest.js';
import type { SweepPoint } from './points.js';

/** `auto`: points that can share a GPU dispatch do; `off`: every point runs alone. Neither changes a number. */
export const BATCH_MODES = ['auto', 'off'] as const;
export type BatchMode = (typeof BATCH_MODES)[number];

/**
 * Whether a point may run as a member of a batch (GpuEngine.createBatch,
 * simulateBatch): a GPU may run it (not `--backend cpu`), it samples no σ(k)
 * (read from one replica, not each member's), its grid is 2-D (a ring records
 * replica 0's space-time) and its noise white (batch.ts).
 */
export function batchable(config: Config, options: SweepOptions): boolean {
  const samples = spectrumSampleable(config) ? options.spectrumSamples : 0;
  return options.backend !== 'cpu' && samples === 0 && gridOf(config).dimensions === 2 && batchKey(config) !== undefined;
}

/**
 * The points to run, grouped: the points of one group differ only in what a
 * batch lets its members differ in (noise amplitude, input, the transfer's slope or gain, dt, τ, the seed:
 * batch.ts) and run together; every other point is a group of its own.
 * Groups come in the order of their first point, each in index order.
 */
export function batchGroups(points: readonly SweepPoint[], configs: readonly Config[], options: SweepOptions, mode: BatchMode): SweepPoint[][] {
  const groups: SweepPoint[][] = [];
  const byKey = new Map<string, SweepPoint[]>();
  for (const point of points) {
    const config = configs[point.index];
    if (mode === 'off' || !batchable(config, options)) {
      groups.push([point]);
      continue;
    }
    const key = batchKey(config)!;
    const group = byKey.get(key);
    if (group) group.push(point);
    else {
      const fresh = [point];
      byKey.set(key, fresh);
      groups.push(fresh);
    }
  }
  return groups;
}
