import type { Command } from 'commander';
import { CHECKPOINT_FILE, packageVersion, writeCheckpointFile } from '../io/checkpoint-file.js';
import { gpuSetupOf, takeCheckpoint } from '../run/checkpoint/checkpoint.js';
import { StateFileError } from '../run/checkpoint/codec.js';
import type { Run, RunState } from '../run/run.js';
import { checkCheckpointOut, loadResume, warnOtherVersion } from './resume.js';
import { describeGrid, gridOf } from '../config/geometry.js';
import { BACKENDS, createEngine, reacquireGpuEngine, type Backend } from '../run/create-engine.js';
import type { Recovery } from '../run/recovery.js';
import { writeRun } from '../io/write-run.js';
import { assertRunnable } from '../run/preflight.js';
import { defaultSpectrumSamples, spectrumDefaultMaxCells, spectrumSampleable, SPECTRUM_DEFAULT_MAX_CELLS, SPECTRUM_DEFAULT_MAX_CELLS_GPU, SPECTRUM_GPU_MIN_SPACING } from '../run/run.js';
import { DEFAULT_BLOCKS, simulate } from '../run/simulate.js';
import { runSummary } from '../run/summary.js';
import { describeSetting, resolveConfig, type ConfigSource } from './config-source.js';
import { num, seconds, toJson } from './format.js';
import { integerAtLeast, oneOf } from './parse.js';
import { progressReporter, stageReporter } from './progress.js';
import type { ConvolutionRequest } from '../gpu/convolution-choice.js';
import { diskConvolutionCache } from './convolution-cache.js';

interface RunOptions extends ConfigSource {
  steps: number;
  burnIn: number;
  replicas: number;
  blocks: number;
  backend: Backend;
  convolution: ConvolutionRequest;
  noiseShaping: 'stencil' | 'fft';
  spectrumSamples?: number;
  out?: string;
  json?: boolean;
  checkpointEvery?: number;
  resume?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('simulate a config and estimate its entropy production (docs/model.md §4) beside the theory')
    .option('-c, --config <file>', 'configuration JSON file')
    .option('-p, --preset <name>', 'a named preset instead of a file (default: irreversible)')
    .option('-n, --steps <N>', 'measured steps', integerAtLeast(2), 10000)
    .option('-b, --burn-in <B>', 'steps run before measuring', integerAtLeast(0), 1000)
    .option('-r, --replicas <R>', 'independent copies of the field, run together', integerAtLeast(1), 1)
    .option('--blocks <K>', 'batch-means blocks for the standard error', integerAtLeast(2), DEFAULT_BLOCKS)
    .option('--backend <name>', `engine: ${BACKENDS.join(', ')} (auto: the GPU when WebGPU has an adapter)`, oneOf(BACKENDS), 'auto')
    .option(
      '--convolution <path>',
      'GPU: stencil (separable where the kernel factorises), stencil-2d (the 2-D stencil, a cross-check), fft, or auto (the faster on this adapter, measured once)',
      oneOf(['auto', 'stencil', 'stencil-2d', 'fft'] as const),
      'auto',
    )
    .option('--noise-shaping <path>', 'GPU, correlated noise: stencil (separable filter) or fft', oneOf(['stencil', 'fft'] as const), 'stencil')
    .option(
      '--spectrum-samples <S>',
      `steps sampled for σ(k) (default: GPU, transformed on the device: up to 400, at least ${SPECTRUM_GPU_MIN_SPACING} steps apart, none past ` +
        `${SPECTRUM_DEFAULT_MAX_CELLS_GPU} cells, 4096²; CPU, read back and transformed on the host: 400 up to 128² cells, fewer on larger grids, none past ${SPECTRUM_DEFAULT_MAX_CELLS} cells, 1024²)`,
      integerAtLeast(0),
    )
    .option('-o, --out <dir>', 'write summary.json, timeseries.csv, .npy and .png files here')
    .option('--json', 'print the summary as JSON')
    .option('--checkpoint-every <N>', `write the run's whole state to OUT/${CHECKPOINT_FILE} about every N steps (needs --out), replacing the last`, integerAtLeast(1))
    .option('--resume <dir>', 'go on from the checkpoint in DIR to the steps first asked for, writing the outputs there (bit for bit those of an uninterrupted run)')
    .action(async (options: RunOptions, command: Command) => {
      const started = performance.now();
      const given = (name: string) => command.getOptionValueSource(name) === 'cli';
      checkCheckpointOut(options);
      const checkpoint = options.resume ? loadResume(options.resume, options, given) : undefined;
      warnOtherVersion('run', checkpoint, 'run');
      const out = options.resume ?? options.out;
      const { config, label } = checkpoint
        ? { config: checkpoint.config, label: `resumed from ${options.resume} at step ${checkpoint.run.done} of ${checkpoint.run.plan.burnIn + checkpoint.run.plan.steps}` }
        : resolveConfig(options);
      const grid = gridOf(config);
      const stage = stageReporter('amari-ep run');
      // Refused before the GPU is touched; the run then skips the check (start-up counts it: seconds at 4096²).
      stage('checking the config');
      assertRunnable(config);
      // Resumed: the engine the checkpoint ran, set up the same way (another path or workgroup rounds differently).
      const saved = checkpoint?.gpu;
      const { engine, note } = await createEngine(config, checkpoint?.backend.kind ?? options.backend, checkpoint?.replicas ?? options.replicas, {
        convolution: saved?.convolution ?? options.convolution,
        noiseShaping: saved?.noiseShaping ?? options.noiseShaping,
        ...(saved?.separableShape && { separableShape: saved.separableShape }),
        convolutionCache: diskConvolutionCache(),
        progress: stage,
      });
      if (checkpoint && engine.backend.description !== checkpoint.backend.description) {
        engine.dispose();
        // Refused rather than warned: float32 arithmetic differs between adapters, and --resume promises the uninterrupted run's numbers.
        throw new StateFileError(
          `--resume ${options.resume}: its checkpoint ran on ${checkpoint.backend.description}, and this engine is ${engine.backend.description}; ` +
            'a run continues bit for bit only on the adapter it ran on',
        );
      }
      const every = options.checkpointEvery ?? checkpoint?.checkpointEvery;
      const asked2d = (saved?.convolution ?? options.convolution) === 'stencil-2d';
      const checkpointing = every !== undefined && out !== undefined && {
        checkpointEvery: every,
        // run.engine: after a device loss, the engine recovery rebuilt.
        onCheckpoint: async (run: Run, state?: RunState) => {
          writeCheckpointFile(out, { ...(await takeCheckpoint(run, packageVersion(), gpuSetupOf(run.engine, asked2d), state)), checkpointEvery: every });
        },
      };
      // A lost GPU device is rebuilt on a new one and the run goes on from its last snapshot (recovery.ts), said in one line.
      const recovery: Recovery | undefined = engine.backend.kind === 'gpu' ? {
        reacquire: (lost) => reacquireGpuEngine(lost, asked2d),
        onRecovered: (e) => {
          const adapter = e.sameAdapter ? '' : ` (${e.description}, another adapter: the numbers now differ in rounding from an undisturbed run's)`;
          // Off the progress bar's line first, on a terminal.
          console.error(`${process.stderr.isTTY ? '\n' : ''}amari-ep run: GPU device lost (${e.reason}: ${e.message || 'no message'}); recovered from step ${e.fromStep} on a new device${adapter}`);
        },
      } : undefined;
      const startupSeconds = (performance.now() - started) / 1000;
      const progress = progressReporter('amari-ep run');
      let result;
      try {
        const common = { checked: true, onProgress: progress.update, recovery, ...checkpointing };
        result = await simulate(
          engine,
          checkpoint
            ? { resume: checkpoint.run, ...common }
            : { steps: options.steps, burnIn: options.burnIn, blocks: options.blocks, spectrumSamples: options.spectrumSamples, ...common },
        );
      } finally {
        progress.stop();
        engine.dispose();
      }
      const writing = performance.now();
      const files = out ? await writeRun(result, out) : [];
      const timing = { startupSeconds, ...result.performance, writingSeconds: (performance.now() - writing) / 1000 };
      const summary = runSummary(result);
      if (options.json) {
        console.log(toJson({ ...summary, performance: timing, backendNote: note, files }));
        return;
      }
      const { epr, cellVariance, theory } = summary;
      console.log(`amari-ep run: ${label}`);
      console.log(`  backend             ${note}`);
      console.log(
        `  ${describeSetting(config)}; ${result.replicas} replica(s); ${result.steps} steps after ${result.burnIn} burn-in (t = ${num(result.time)})`,
      );
      console.log(`  entropy production  ${num(epr.estimate)} ± ${num(epr.stderr, 2)} nats per unit time (${epr.blocks} blocks)`);
      if ('unavailable' in theory) {
        console.log(`  theory              none: ${theory.unavailable}`);
        if (theory.linearisation) console.log(`                      (${theory.linearisation.text})`);
      } else {
        console.log(
          `  ${(theory.linearisation ? 'linearisation' : 'theory').padEnd(20)}σ_dt = ${num(theory.eprDiscrete)} ` +
            `(continuous σ = ${num(theory.eprContinuous)}; ${theory.method}); estimate − σ_dt = ${num(epr.zScore, 2)} standard errors`,
        );
        if (theory.linearisation) console.log(`                      ${theory.linearisation.text}`);
        console.log(
          `  equilibrium         ${theory.equilibrium ? 'yes' : 'no'} (‖A𝒟 − 𝒟Aᵀ‖/‖A𝒟‖ = ${num(theory.equilibriumResidual, 3)})`,
        );
      }
      if (summary.eprDensityTheory) {
        const d = summary.eprDensityTheory;
        console.log(
          d.correlation === null
            ? `  local density       the theory's map is 0 in every cell (equilibrium)`
            : `  local density       against the theory's map: correlation ${num(d.correlation, 3)}, relative difference ${num(d.relativeDifference, 3)}`,
        );
      }
      const varTheory = 'unavailable' in theory || theory.cellVariance === null ? '' : ` (theory ${num(theory.cellVariance)}, ${num(100 * (cellVariance.relativeError ?? NaN), 2)}%)`;
      console.log(`  cell variance       ${num(cellVariance.estimate)} ± ${num(cellVariance.stderr, 2)}${varTheory}`);
      for (const o of result.observed) console.log(`  ${o.label.padEnd(20)}${num(o.estimate)} ± ${num(o.stderr, 2)} ${o.unit}`);
      if (summary.spectrum) {
        const t = summary.spectrum.total;
        console.log(
          `  σ(k), Σ over k      ${num(t.data)} ± ${num(t.stderr, 2)} from ${summary.spectrum.samples} sampled steps` +
            `${t.theory === null ? '' : ` (σ_dt = ${num(t.theory)})`}; by shell with errors in summary.json`,
        );
      } else if (options.spectrumSamples === undefined && spectrumSampleable(config) && defaultSpectrumSamples(grid.cells, result.backend.kind) === 0) {
        const most = spectrumDefaultMaxCells(result.backend.kind);
        console.log(
          `  σ(k)                not sampled on ${describeGrid(grid)}, past ${most} cells (${Math.sqrt(most)}²), unless asked (--spectrum-samples S)`,
        );
      }
      // A ring's space-time rows are read back like σ(k)'s host samples, and counted with them.
      const onHost = [...(timing.spectrumSampling === 'host' ? ['σ(k)'] : []), ...(grid.dimensions === 1 ? ['space-time rows'] : [])];
      const sampling = [
        ...(timing.spectrumSampling === 'device' ? ["reading back σ(k)'s shell sums (its transforms ran on the GPU, within the steps)"] : []),
        ...(onHost.length ? [`sampling ${onHost.join(' and ')} on the host`] : []),
      ].join(', ') || 'sampling';
      // First what the user waited for, then the steps' own rate (as before: less the host's sampling).
      console.log(
        `  throughput          ${num(timing.overallCellStepsPerSecond, 3)} cell-steps/s over all the stepping (observers, sampling and read-backs included); ` +
          `${num(timing.cellStepsPerSecond, 3)} less the host's sampling`,
      );
      console.log(
        `  time                ${seconds(timing.startupSeconds)} start-up, ${seconds(timing.wallSeconds)} stepping (${seconds(timing.wallSeconds - timing.samplingSeconds)} steps, ` +
          `${seconds(timing.samplingSeconds)} ${sampling}), ${seconds(timing.resultSeconds)} results, ${seconds(timing.writingSeconds)} writing`,
      );
      if (files.length) console.log(`  wrote               ${files.join('\n                      ')}`);
    });
}
