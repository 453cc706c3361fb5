import type { Command } from 'commander';
import { CHECKPOINT_FILE, packageVersion, readRelaxCheckpointFile, writeCheckpointFile } from '../io/checkpoint-file.js';
import { gpuSetupOf } from '../run/checkpoint/checkpoint.js';
import { StateFileError } from '../run/checkpoint/codec.js';
import { relaxCheckpoint, type RelaxCheckpoint } from '../run/checkpoint/relax-checkpoint.js';
import { BACKENDS, createEngine, type Backend } from '../run/create-engine.js';
import { writeBalance } from '../io/write-balance.js';
import { relax, type RelaxState } from '../run/relax.js';
import { describeSetting, resolveConfig, type ConfigSource } from './config-source.js';
import { num, toJson } from './format.js';
import { integerAtLeast, oneOf } from './parse.js';
import { progressReporter } from './progress.js';
import { checkCheckpointOut, warnOtherVersion } from './resume.js';
import { diskConvolutionCache } from './convolution-cache.js';
import type { ConvolutionRequest } from '../gpu/convolution-choice.js';

interface RelaxOptions extends ConfigSource {
  replicas: number;
  steps: number;
  recordEvery: number;
  backend: Backend;
  convolution: ConvolutionRequest;
  out?: string;
  json?: boolean;
  checkpointEvery?: number;
  resume?: string;
}

/**
 * `relax --resume DIR`: the relaxation's checkpoint in DIR, after checking that
 * every option given on the command line agrees with it (as `run --resume`
 * does, resume.ts); a contradiction is refused in one line.
 */
function loadRelaxResume(dir: string, options: RelaxOptions, given: (option: keyof RelaxOptions) => boolean): RelaxCheckpoint {
  const checkpoint = readRelaxCheckpointFile(dir);
  const { plan } = checkpoint.relax;
  const refuse = (option: string, saved: unknown, asked: unknown) => {
    throw new StateFileError(`--resume ${dir}: its checkpoint has ${option} ${saved}, and ${asked} was given; leave ${option} out to go on with the checkpoint's`);
  };
  if (given('out') && options.out !== dir) refuse('--out', dir, options.out);
  if (given('steps') && options.steps !== plan.steps) refuse('--steps', plan.steps, options.steps);
  if (given('recordEvery') && options.recordEvery !== plan.recordEvery) refuse('--record-every', plan.recordEvery, options.recordEvery);
  if (given('replicas') && options.replicas !== checkpoint.replicas) refuse('--replicas', checkpoint.replicas, options.replicas);
  const kind = checkpoint.backend.kind;
  if (given('backend') && options.backend !== 'auto' && options.backend !== kind) refuse('--backend', kind, options.backend);
  if (given('config') || given('preset')) {
    const { config, label } = resolveConfig(options);
    if (JSON.stringify(config) !== JSON.stringify(checkpoint.config)) refuse('a config', 'of its own', `${label}, which differs,`);
  }
  return checkpoint;
}

export function registerRelax(program: Command): void {
  program
    .command('relax')
    .description('relax an ensemble from the initial condition and measure the balance σ = dS/dt + Φ (docs/model.md §6)')
    .option('-c, --config <file>', 'configuration JSON file')
    .option('-p, --preset <name>', 'a named preset instead of a file')
    .option('-r, --replicas <R>', 'ensemble size', integerAtLeast(4), 64)
    .option('-n, --steps <N>', 'steps of relaxation (a multiple of --record-every)', integerAtLeast(2), 400)
    .option('--record-every <M>', 'steps between records of the ensemble entropy', integerAtLeast(1), 10)
    .option('--backend <name>', `engine: ${BACKENDS.join(', ')}`, oneOf(BACKENDS), 'auto')
    .option(
      '--convolution <path>',
      'GPU: stencil (separable where the kernel factorises), stencil-2d, fft, or auto (the faster on this adapter, measured once and remembered); resumed: the checkpoint\'s',
      oneOf(['auto', 'stencil', 'stencil-2d', 'fft'] as const),
      'auto',
    )
    .option('-o, --out <dir>', 'write balance.csv and balance.svg here')
    .option('--json', 'print the rows as JSON')
    .option('--checkpoint-every <N>', `write the relaxation's whole state to OUT/${CHECKPOINT_FILE} at the first record past every N steps (needs --out), replacing the last`, integerAtLeast(1))
    .option('--resume <dir>', "go on from the relaxation's checkpoint in DIR, writing the outputs there (those of an uninterrupted relaxation)")
    .action(async (options: RelaxOptions, command: Command) => {
      const given = (name: string) => command.getOptionValueSource(name) === 'cli';
      checkCheckpointOut(options);
      const checkpoint = options.resume ? loadRelaxResume(options.resume, options, given) : undefined;
      warnOtherVersion('relax', checkpoint, 'relaxation');
      const out = options.resume ?? options.out;
      const { config, label } = checkpoint
        ? { config: checkpoint.config, label: `resumed from ${options.resume} at step ${checkpoint.relax.done} of ${checkpoint.relax.plan.steps}` }
        : resolveConfig(options);
      // Resumed: the engine the checkpoint ran, set up the same way (another convolution path rounds differently).
      const saved = checkpoint?.gpu;
      const { engine, note } = await createEngine(config, checkpoint?.backend.kind ?? options.backend, checkpoint?.replicas ?? options.replicas, {
        convolution: options.convolution,
        ...(saved && { convolution: saved.convolution, noiseShaping: saved.noiseShaping }),
        ...(saved?.separableShape && { separableShape: saved.separableShape }),
        // `auto` remembers its choice per adapter on disk, as `run` does: one choice for every process.
        convolutionCache: diskConvolutionCache(),
      });
      if (checkpoint && engine.backend.description !== checkpoint.backend.description) {
        engine.dispose();
        throw new StateFileError(
          `--resume ${options.resume}: its checkpoint ran on ${checkpoint.backend.description}, and this engine is ${engine.backend.description}; ` +
            'a relaxation continues bit for bit only on the adapter it ran on',
        );
      }
      const every = options.checkpointEvery ?? checkpoint?.checkpointEvery;
      const checkpointing = every !== undefined && out !== undefined && {
        checkpointEvery: every,
        onCheckpoint: (state: RelaxState) => {
          writeCheckpointFile(out, { ...relaxCheckpoint(engine, state, packageVersion(), gpuSetupOf(engine, (saved?.convolution ?? options.convolution) === 'stencil-2d')), checkpointEvery: every });
        },
      };
      const progress = progressReporter('amari-ep relax');
      let result;
      try {
        const common = { onProgress: progress.update, ...checkpointing };
        result = await relax(engine, checkpoint ? { resume: checkpoint.relax, ...common } : { steps: options.steps, recordEvery: options.recordEvery, ...common });
      } finally {
        progress.stop();
        engine.dispose();
      }
      const files = out ? await writeBalance(result, out) : [];
      if (options.json) {
        console.log(
          toJson({
            source: label,
            backend: note,
            replicas: result.replicas,
            theoryNote: result.theoryNote,
            entropyNote: result.entropyNote,
            rows: result.rows,
            files,
          }),
        );
        return;
      }
      console.log(`amari-ep relax: ${label}; ${describeSetting(config)}; ${result.replicas} replicas; initial ${config.initial.type}`);
      console.log(`  backend ${note}`);
      if (result.theoryNote) console.log(`  theory: none (${result.theoryNote})`);
      if (result.entropyNote) console.log(`  entropy: ${result.entropyNote}`);
      const m = (q: { value: number; stderr: number; theory: number | null }) =>
        `${num(q.value, 4)} ± ${num(q.stderr, 2)}${q.theory === null ? '' : ` (${num(q.theory, 4)})`}`;
      console.log('  step      S                       dS/dt                   Φ                       σ          [estimate ± s.e. (theory)]');
      for (const r of result.rows) {
        const i = r.interval;
        console.log(`  ${String(r.step).padEnd(8)}  ${m(r.entropy).padEnd(22)}  ${i ? `${m(i.entropyRate).padEnd(22)}  ${m(i.flow).padEnd(22)}  ${m(i.production)}` : ''}`);
      }
      if (files.length) console.log(`  wrote ${files.join(', ')}`);
    });
}
