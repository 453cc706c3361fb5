import { gridOf } from '../../config/geometry.js';
import type { Config } from '../../config/schema.js';
import type { BackendInfo, Engine } from '../../engine/engine.js';
import type { GpuEngine } from '../../gpu/gpu-engine.js';
import type { SeparableShape } from '../../gpu/layout/tiles.js';
import type { Run, RunState } from '../run.js';
import { decodeState, encodeState, StateFileError } from './codec.js';

/** Raised when a checkpoint's layout changes: older files are refused, not misread. */
export const CHECKPOINT_FORMAT = 1;

/**
 * How the GPU engine that took a checkpoint ran: a resumed run asks for the
 * same, since another convolution path or column workgroup rounds differently.
 */
export interface GpuSetup {
  convolution: 'stencil' | 'stencil-2d' | 'fft';
  noiseShaping: 'stencil' | 'fft';
  separableShape?: SeparableShape;
}

/**
 * A run's whole state at a window boundary, as a checkpoint file holds it: the
 * config (seed included), the engine that ran it (kind, adapter, GPU setup),
 * the amari-ep version, and the Run's own state (run.ts RunState: the plan,
 * the steps done, the field and every observer's accumulators and maps).
 */
export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: string;
  config: Config;
  replicas: number;
  backend: BackendInfo;
  gpu?: GpuSetup;
  /** Steps between checkpoints, as asked (a resumed run keeps the cadence unless asked otherwise). */
  checkpointEvery?: number;
  run: RunState;
}

/** The checkpoint of `run` now (between two `advance` calls); `state`: its snapshot, where the caller took it already. */
export async function takeCheckpoint(run: Run, version: string, gpu?: GpuSetup, state?: RunState): Promise<Checkpoint> {
  const { engine } = run;
  return {
    format: CHECKPOINT_FORMAT,
    version,
    config: engine.config,
    replicas: engine.replicas,
    backend: engine.backend,
    ...(gpu && { gpu }),
    run: state ?? (await run.snapshot()),
  };
}

export function encodeCheckpoint(checkpoint: Checkpoint): Uint8Array {
  return encodeState(checkpoint);
}

/** The checkpoint in `bytes`; refuses (StateFileError) a damaged file or one of another format. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const c = decodeState(bytes) as Partial<Checkpoint> | null;
  if (c === null || typeof c !== 'object' || typeof c.format !== 'number') throw new StateFileError('not a checkpoint: it has no format number');
  if (c.format !== CHECKPOINT_FORMAT) throw new StateFileError(`a checkpoint of format ${c.format}; this amari-ep reads format ${CHECKPOINT_FORMAT}`);
  const { config, replicas, backend, run } = c;
  if (!config || !Number.isInteger(replicas) || !backend || !run?.engine?.field || !run.plan) throw new StateFileError('not a checkpoint: parts of it are missing');
  const cells = gridOf(config).cells;
  if (run.engine.field.length !== replicas! * cells) {
    throw new StateFileError(`damaged: its field holds ${run.engine.field.length} values for ${replicas} replica(s) of ${cells} cells`);
  }
  return c as Checkpoint;
}

/** How a GPU engine was set up, for the checkpoint (undefined on the CPU engine); `asked2d`: --convolution stencil-2d. */
export function gpuSetupOf(engine: Engine, asked2d = false): GpuSetup | undefined {
  if (engine.backend.kind !== 'gpu') return undefined;
  const gpu = engine as GpuEngine;
  return {
    convolution: asked2d ? 'stencil-2d' : gpu.convolution,
    noiseShaping: gpu.noiseShaping,
    ...(gpu.separableShape !== undefined && { separableShape: gpu.separableShape }),
  };
}
