import { mappedFields } from '../config/maps.js';
import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import type { BufferLimits } from './buffer-limits.js';
import { engineFootprint, type FootprintOptions } from './engine-footprint.js';
import { largestFitting } from './memory-budget.js';

/**
 * Bytes of a batch of `members` configs like `config` × `replicasEach`
 * (GpuEngine.createBatch): one engine of members·replicasEach replicas, whose
 * coefficient maps that differ between members are replica-major
 * (coefficients.ts), so a map-valued coefficient counts once per replica
 * beyond the one engineFootprint counts (a bound: a map all members share is
 * bound once). Per-replica numbers take a few bytes, inside the bound for the small rest.
 */
export function batchFootprint(config: Config, replicasEach: number, members: number, options: FootprintOptions, limits: BufferLimits): number {
  const { cells } = gridOf(config);
  const replicas = members * replicasEach;
  const extraMaps = mappedFields(config).length * cells * 4 * (replicas - 1);
  return engineFootprint(config, replicas, options, limits).bytes + extraMaps;
}

/**
 * The most members (at most `most`) of a batch like `config` × `replicasEach`
 * within `budget` bytes, every field within one buffer: 0 where not even
 * one fits (the caller runs such a point alone, and its own refusal names the limit).
 */
export function batchCapacity(config: Config, replicasEach: number, most: number, options: FootprintOptions, limits: BufferLimits, budget: number): number {
  const bufferBytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const { cells } = gridOf(config);
  return largestFitting(most, (m) => 4 * cells * m * replicasEach <= bufferBytes && batchFootprint(config, replicasEach, m, options, limits) <= budget);
}
