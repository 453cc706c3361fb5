import { packageVersion, readCheckpointFile } from '../io/checkpoint-file.js';
import type { Checkpoint } from '../run/checkpoint/checkpoint.js';
import { StateFileError } from '../run/checkpoint/codec.js';
import { resolveConfig, type ConfigSource } from './config-source.js';

/** The `run` options a checkpoint fixes; given on the command line, they must agree with it. */
export interface ResumableOptions extends ConfigSource {
  steps: number;
  burnIn: number;
  replicas: number;
  blocks: number;
  backend: string;
  convolution: string;
  noiseShaping: string;
  spectrumSamples?: number;
  out?: string;
}

/**
 * `run --resume DIR`: the checkpoint in DIR, after checking that every option
 * given on the command line (`given(name)`) agrees with it. The run goes on
 * with the checkpoint's config, plan and engine; a contradiction is refused in
 * one line naming the option, the checkpoint's value and the one given.
 */
export function loadResume(dir: string, options: ResumableOptions, given: (option: keyof ResumableOptions) => boolean): Checkpoint {
  const checkpoint = readCheckpointFile(dir);
  const { plan } = checkpoint.run;
  const refuse = (option: string, saved: unknown, asked: unknown) => {
    throw new StateFileError(`--resume ${dir}: its checkpoint has ${option} ${saved}, and ${asked} was given; leave ${option} out to go on with the checkpoint's`);
  };
  if (given('out') && options.out !== dir) refuse('--out', dir, options.out);
  if (!Number.isFinite(plan.steps)) {
    // An open-ended run (the demo's "save run"): it goes on to the measured steps --steps gives, its blocks as they were.
    const measured = Math.max(0, checkpoint.run.done - plan.burnIn);
    if (!given('steps') || options.steps <= measured) {
      throw new StateFileError(
        `--resume ${dir}: its checkpoint is of an open-ended run (the demo's) with ${measured} measured steps; ` +
          `give --steps N, the measured steps to end at, more than ${measured}`,
      );
    }
    checkpoint.run.plan = { ...plan, steps: options.steps };
  } else if (given('steps') && options.steps !== plan.steps) refuse('--steps', plan.steps, options.steps);
  if (given('burnIn') && options.burnIn !== plan.burnIn) refuse('--burn-in', plan.burnIn, options.burnIn);
  if (given('replicas') && options.replicas !== checkpoint.replicas) refuse('--replicas', checkpoint.replicas, options.replicas);
  // Blocks as Run sets them (Run's constructor): what matters is the steps per block.
  const blockSteps = (blocks: number) => Math.ceil(plan.steps / Math.min(blocks, plan.steps));
  if (given('blocks') && blockSteps(options.blocks) !== plan.blockSteps) refuse('--blocks (steps per block)', plan.blockSteps, blockSteps(options.blocks));
  if (given('spectrumSamples') && Math.min(options.spectrumSamples!, Math.floor(plan.steps / 2)) !== plan.spectrumSamples) {
    refuse('--spectrum-samples', plan.spectrumSamples, options.spectrumSamples);
  }
  const kind = checkpoint.backend.kind;
  if (given('backend') && options.backend !== 'auto' && options.backend !== kind) refuse('--backend', kind, options.backend);
  const gpu = checkpoint.gpu;
  if (given('convolution') && options.convolution !== 'auto' && options.convolution !== (gpu?.convolution ?? 'none (CPU engine)')) {
    refuse('--convolution', gpu?.convolution ?? 'none (CPU engine)', options.convolution);
  }
  if (given('noiseShaping') && gpu && options.noiseShaping !== gpu.noiseShaping) refuse('--noise-shaping', gpu.noiseShaping, options.noiseShaping);
  if (given('config') || given('preset')) {
    const { config, label } = resolveConfig(options);
    if (JSON.stringify(config) !== JSON.stringify(checkpoint.config)) refuse('a config', 'of its own', `${label}, which differs,`);
  }
  return checkpoint;
}

/** The checks `run` and `relax` make before anything: --checkpoint-every writes into --out (a resumed command into its DIR). */
export function checkCheckpointOut(options: { checkpointEvery?: number; out?: string; resume?: string }): void {
  if (options.checkpointEvery !== undefined && !options.out && !options.resume) {
    throw new StateFileError('--checkpoint-every needs --out DIR: the checkpoint is written there');
  }
}

/** A checkpoint another version wrote still resumes, with a warning: its numbers may differ from an uninterrupted `what`'s. */
export function warnOtherVersion(command: string, checkpoint: { version: string } | undefined, what: string): void {
  if (checkpoint && checkpoint.version !== packageVersion()) {
    console.error(`amari-ep ${command}: the checkpoint was written by amari-ep ${checkpoint.version} and this is ${packageVersion()}: the numbers may differ from an uninterrupted ${what}'s`);
  }
}
