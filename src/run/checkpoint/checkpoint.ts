import { gridOf } from '../../config/geometry.js';
import type { Config } from '../../config/schema.js';
import type { BackendInfo, Engine } from '../../engine/engine.js';
import type { GpuEngine } from '../../gpu/gpu-engine.js';
import type { SeparableShape } from '../../gpu/layout/tiles.js';
import type { Run, RunState } from '../run.js';
import { decodeState, encodeState, StateFileError } from './codec.js';

/** A checkpoint's file name, in a run's output folder (and the name the demo saves a run under: `run --resume` finds it there). */
export const CHECKPOINT_FILE = 'checkpoint.amari-ep';

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
export interface Checkpoint extends CheckpointHeader {
  /** Absent in files written before relax checkpoints existed: a run's, then too. */
  kind?: 'run';
  run: RunState;
}

/** What a run's and a relaxation's checkpoints (relax-checkpoint.ts) both hold. */
export interface CheckpointHeader {
  format: typeof CHECKPOINT_FORMAT;
  /** Which command wrote it and can go on from it: `run --resume` refuses a relaxation's, `relax --resume` a run's. */
  kind?: CheckpointKind;
  version: string;
  config: Config;
  replicas: number;
  backend: BackendInfo;
  gpu?: GpuSetup;
  /** Steps between checkpoints, as asked (a resumed run keeps the cadence unless asked otherwise). */
  checkpointEvery?: number;
}

export type CheckpointKind = 'run' | 'relax';

/** The checkpoint of `run` now (between two `advance` calls); `state`: its snapshot, where the caller took it already. */
export async function takeCheckpoint(run: Run, version: string, gpu?: GpuSetup, state?: RunState): Promise<Checkpoint> {
  const { engine } = run;
  return {
    format: CHECKPOINT_FORMAT,
    kind: 'run',
    version,
    config: engine.config,
    replicas: engine.replicas,
    backend: engine.backend,
    ...(gpu && { gpu }),
    run: state ?? (await run.snapshot()),
  };
}

export function encodeCheckpoint(checkpoint: CheckpointHeader): Uint8Array {
  return encodeState(checkpoint);
}

/** The checkpoint in `bytes`; refuses (StateFileError) a damaged file, one of another format, or a relaxation's. */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  const c = decodeHeader(bytes, 'run') as Partial<Checkpoint>;
  const { config, replicas, run } = c;
  if (!run?.engine?.field || !run.plan) throw new StateFileError('not a checkpoint: parts of it are missing');
  checkField(run.engine.field, config!, replicas!);
  return c as Checkpoint;
}

/**
 * The parts every checkpoint has, checked: the format, the kind (`expected`:
 * the command reading it; a file of another kind is refused naming the
 * command that goes on from it), the config, replicas and backend.
 */
export function decodeHeader(bytes: Uint8Array, expected: CheckpointKind): CheckpointHeader {
  const c = decodeState(bytes) as Partial<CheckpointHeader> | null;
  if (c === null || typeof c !== 'object' || typeof c.format !== 'number') throw new StateFileError('not a checkpoint: it has no format number');
  if (c.format !== CHECKPOINT_FORMAT) throw new StateFileError(`a checkpoint of format ${c.format}; this amari-ep reads format ${CHECKPOINT_FORMAT}`);
  const kind = c.kind ?? 'run';
  if (kind !== expected) {
    const what = kind === 'relax' ? 'an ensemble relaxation (amari-ep relax)' : kind === 'run' ? 'a run (amari-ep run)' : `an unknown kind "${String(kind)}"`;
    const hint = kind === 'relax' || kind === 'run' ? `; go on from it with amari-ep ${kind} --resume DIR` : '';
    throw new StateFileError(`a checkpoint of ${what}, not of ${expected === 'run' ? 'a run' : 'a relaxation'}${hint}`);
  }
  if (!c.config || !Number.isInteger(c.replicas) || !c.backend) throw new StateFileError('not a checkpoint: parts of it are missing');
  return c as CheckpointHeader;
}

/** Refuses a field whose length is not the replicas' cells. */
export function checkField(field: Float64Array, config: Config, replicas: number): void {
  const cells = gridOf(config).cells;
  if (field.length !== replicas * cells) {
    throw new StateFileError(`damaged: its field holds ${field.length} values for ${replicas} replica(s) of ${cells} cells`);
  }
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
