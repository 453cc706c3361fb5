import packageJson from '../../package.json' with { type: 'json' };
import { gridOf } from '../../src/config/geometry.js';
import type { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { CHECKPOINT_FILE, decodeCheckpoint, encodeCheckpoint, gpuSetupOf, takeCheckpoint, type Checkpoint } from '../../src/run/checkpoint/checkpoint.js';
import { StateFileError } from '../../src/run/checkpoint/codec.js';
import type { Run, RunState } from '../../src/run/run.js';

/**
 * "Save run" and "restore run": the page's run kept as the CLI's checkpoint
 * file (src/run/checkpoint/: the same codec and contents), so that
 *  - a file the page saves goes on in the CLI: put it in a folder under the
 *    name RUN_FILE and run `amari-ep run --resume DIR --steps N` (the page's
 *    run is open-ended, so the CLI asks where to end; blocks, burn-in and the
 *    engine's set-up are the page's), on the same adapter (the CLI refuses
 *    another: float32 rounding differs between adapters);
 *  - a checkpoint the CLI wrote (`run --checkpoint-every`) goes on in the
 *    page, open-ended, its estimators' accumulators restored.
 */

/** The name the page saves a run under: the checkpoint's in a CLI output folder. */
export const RUN_FILE = CHECKPOINT_FILE;

/** The amari-ep that wrote a file (the CLI warns when it resumes another version's). */
export const DEMO_VERSION: string = packageJson.version;

/** The bytes of the page's `run` now (between two frames), with the GPU set-up it ran with. */
export async function encodeRunFile(run: Run): Promise<Uint8Array> {
  return encodeCheckpoint(await takeCheckpoint(run, DEMO_VERSION, gpuSetupOf(run.engine as GpuEngine)));
}

/**
 * The run a file holds, as the page goes on with it: refuses (StateFileError,
 * one line) a damaged file, a relaxation's checkpoint, or a run of several
 * replicas (the page runs one). A CLI run's plan becomes open-ended (the page
 * runs until stopped): its blocks stay, and what only a finite run keeps (σ(k)'s
 * samples, a ring's space-time record) is left behind.
 */
export function decodeRunFile(bytes: Uint8Array): Checkpoint {
  const checkpoint = decodeCheckpoint(bytes);
  if (checkpoint.replicas !== 1) {
    throw new StateFileError(`a run of ${checkpoint.replicas} replicas; the page runs one (go on with it in the CLI: amari-ep run --resume DIR)`);
  }
  return { ...checkpoint, run: openEnded(checkpoint.run) };
}

function openEnded(state: RunState): RunState {
  if (!Number.isFinite(state.plan.steps)) return state;
  const { spectrum: _spectrum, ...observers } = state.observers ?? {};
  const { spaceTime: _spaceTime, ...rest } = state;
  return {
    ...rest,
    plan: { ...state.plan, steps: Infinity, spectrumSamples: 0, spaceTimeRows: 0 },
    ...(state.observers && { observers: observers as NonNullable<RunState['observers']> }),
  };
}

/** "restored step n (measured m) of a W × H run" — what the status line says after a restore. */
export function describeRestored(checkpoint: Checkpoint): string {
  const { done, plan, engine } = checkpoint.run;
  const measured = Math.max(0, done - plan.burnIn);
  return `restored the saved run at step ${engine.stepIndex} (${measured} measured steps, blocks of ${plan.blockSteps}; ${gridOf(checkpoint.config).cells} cells)`;
}
