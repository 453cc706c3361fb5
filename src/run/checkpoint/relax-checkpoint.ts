import type { Engine } from '../../engine/engine.js';
import type { RelaxState } from '../relax.js';
import { checkField, CHECKPOINT_FORMAT, decodeHeader, type CheckpointHeader, type GpuSetup } from './checkpoint.js';
import { StateFileError } from './codec.js';

/**
 * An ensemble relaxation's whole state at a record (`amari-ep relax
 * --checkpoint-every`), in the same file format and file as a run's
 * checkpoint (checkpoint.ts), marked kind 'relax' so that neither command
 * goes on from the other's.
 */
export interface RelaxCheckpoint extends CheckpointHeader {
  kind: 'relax';
  relax: RelaxState;
}

/** The checkpoint of a relaxation on `engine` whose state at a record is `state`. */
export function relaxCheckpoint(engine: Engine, state: RelaxState, version: string, gpu?: GpuSetup): RelaxCheckpoint {
  return {
    format: CHECKPOINT_FORMAT,
    kind: 'relax',
    version,
    config: engine.config,
    replicas: engine.replicas,
    backend: engine.backend,
    ...(gpu && { gpu }),
    relax: state,
  };
}

/** The relaxation's checkpoint in `bytes`; refuses (StateFileError) a damaged file, one of another format, or a run's. */
export function decodeRelaxCheckpoint(bytes: Uint8Array): RelaxCheckpoint {
  const c = decodeHeader(bytes, 'relax') as Partial<RelaxCheckpoint>;
  const relax = c.relax;
  if (!relax?.engine?.field || !relax.plan || !relax.entropy || !Array.isArray(relax.records)) throw new StateFileError('not a checkpoint: parts of it are missing');
  checkField(relax.engine.field, c.config!, c.replicas!);
  if (relax.records.some((r) => !(r instanceof Float64Array) || r.length !== c.replicas! + 1)) {
    throw new StateFileError(`damaged: its records do not hold ${c.replicas! + 1} entropies each (all replicas, then leaving each out)`);
  }
  return c as RelaxCheckpoint;
}
