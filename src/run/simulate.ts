import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import type { BackendInfo, Engine } from '../engine/engine.js';
import type { SpectrumSampler } from '../estimators/mode-spectrum/sampler.js';
import type { FourierTheory } from '../theory/fourier.js';
import { perStepMean } from '../numeric/batch-means.js';
import { LinearisationUnavailable, linearisationNote, linearTheory, type LinearisationNote, type LinearTheory } from '../theory/linear.js';
import { TheoryNotApplicable } from '../theory/modes.js';
import { DeviceLostError } from '../gpu/errors.js';
import { Recoverer, type Recovery } from './recovery.js';
import { Run, type RunObservers, type RunPlan, type RunState } from './run.js';

export { DEFAULT_BLOCKS } from './run.js';

export interface RunOptions extends RunPlan {
  /** Called now and then with steps done and steps in all (burn-in included). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Steps between checkpoints: `onCheckpoint` is called at the end of the first
   * piece (see `simulate`) past each multiple of it, the last piece excepted. Pieces
   * and windows are laid out from the run's start whatever the cadence, so
   * checkpoints change no number.
   */
  checkpointEvery?: number;
  /**
   * Given the run between two pieces: Run.snapshot() is its whole state then;
   * `state` is that snapshot where recovery took it already (no second read-back).
   */
  onCheckpoint?: (run: Run, state?: RunState) => Promise<void> | void;
  /** Going on after a lost GPU device from an in-memory snapshot (recovery.ts); unset, a DeviceLostError ends the run. */
  recovery?: Recovery;
}

/** A run resumed from a snapshot (Run.resume) on a fresh engine of the same kind: the plan is the snapshot's. */
export interface ResumeOptions extends Pick<RunOptions, 'onProgress' | 'checkpointEvery' | 'onCheckpoint' | 'checked' | 'recovery'> {
  resume: RunState;
}

export interface TheoryComparison {
  /**
   * 'fourier' for uniform configs, 'fourier-blocks' for noise or slope maps along one axis, 'dense' for other
   * maps (docs/model.md §8) and for a linearisation about a state that is not uniform.
   */
  method: 'fourier' | 'fourier-blocks' | 'dense';
  eprContinuous: number | null;
  eprDiscrete: number | null;
  densityDiscrete: number | null;
  /** Mean stationary variance per cell. */
  cellVariance: number | null;
  /** A𝒟 = 𝒟Aᵀ, and ‖A𝒟 − 𝒟Aᵀ‖/‖A𝒟‖. */
  equilibrium: boolean;
  equilibriumResidual: number;
  /** For a sigmoid or tanh field: the numbers are those of this linearisation, not of the nonlinear model. */
  linearisation?: LinearisationNote;
}

/** Why there is no theory; for a sigmoid or tanh field, with the linearisation that has no stationary state. */
export interface TheoryUnavailable {
  unavailable: string;
  linearisation?: LinearisationNote;
}

/** The measured local density against the theory's (maps: the per-cell split of the dense σ_dt). */
export interface DensityComparison {
  /** Pearson correlation of the replica-averaged measured map with the theory's. */
  correlation: number | null;
  /** ‖measured − theory‖/‖theory‖ over cells (the measured map carries its sampling noise). */
  relativeDifference: number | null;
}

/** A reported observer's number (src/estimators/reported.ts). */
export interface ObservedValue {
  key: string;
  label: string;
  unit: string;
  estimate: number;
  stderr: number;
}

export interface RunResult {
  config: Config;
  backend: BackendInfo;
  replicas: number;
  steps: number;
  burnIn: number;
  /** Measured time, steps·dt. */
  time: number;
  epr: {
    /** Entropy production rate of one field (nats per unit time), averaged over replicas. */
    estimate: number;
    stderr: number;
    /** The same per unit area (a ring: per unit length). */
    density: number;
    densityStderr: number;
    blocks: { time: number; rate: number; runningMean: number }[];
  };
  cellVariance: { estimate: number; stderr: number };
  /** The other observers' numbers, with batch-means errors. */
  observed: ObservedValue[];
  /** The closed-form theory, or why there is none. */
  theory: TheoryComparison | TheoryUnavailable;
  /** u at the end, replica-major; each replica a field of the grid's shape ([ny, nx], or [n] on a ring). */
  field: Float64Array;
  /** Time-averaged local entropy production per unit area (a ring: per unit length) and time, replica-major. */
  eprDensity: Float64Array;
  /** For maps: the theory's local density (per unit area and time, one field), and how the measured one compares. */
  eprDensityTheory: { map: Float64Array; comparison: DensityComparison } | null;
  /** σ(k) from sampled steps of replica 0 (index p + nx·q), with shells of |k| against theory; null when not sampled. */
  /**
   * σ(k) from the samples: per mode (index p + nx·q), by shell, and the
   * theory's σ_dt(k) per mode where the run's theory is the uniform Fourier
   * one (of the linearisation for sigmoid or tanh), else null.
   */
  spectrum: { samples: number; modes: Float64Array; shells: ReturnType<SpectrumSampler['result']>; theoryModes: Float64Array | null } | null;
  /**
   * A ring's space-time record (space-time.ts): replica 0's field u_n at the steps n
   * of `steps`, every `every` steps from the run's first, burn-in included; `rows` holds
   * steps.length × n values, oldest first. null on 2-D grids or when turned off.
   */
  spaceTime: { every: number; steps: readonly number[]; rows: Float64Array } | null;
  /**
   * Where the time went: `wallSeconds` stepping, everything the caller waits
   * for from the first step to the last (observers, their read-backs, σ(k)'s
   * sampling, progress), of which `samplingSeconds` on the host for samples:
   * reading back and transforming σ(k)'s fields on the host (a ring's space-time
   * rows likewise), or reading back the shell sums of σ(k) sampled on the GPU,
   * whose transforms run inside the steps' windows. `resultSeconds` after the
   * steps (the theory, reading back the field and maps).
   * `overallCellStepsPerSecond` is the rate over the whole `wallSeconds`;
   * `cellStepsPerSecond` (the kernels' rate, as before) leaves out `samplingSeconds`.
   * `spectrumSampling`: where σ(k) was transformed, null when it was not sampled.
   */
  performance: {
    wallSeconds: number;
    samplingSeconds: number;
    resultSeconds: number;
    cellStepsPerSecond: number;
    overallCellStepsPerSecond: number;
    spectrumSampling: 'device' | 'host' | null;
    /**
     * A member of a batch (src/run/batch/): the wall times above are the
     * batch's and the rates count this run's cell steps; here the batch's
     * points and its rate over all of them.
     */
    batch?: { points: number; cellStepsPerSecond: number };
  };
}

/**
 * The closed-form theory a run is compared with (linearTheory: exact for a linear
 * field, Fourier, Fourier blocks or dense for maps; for sigmoid or tanh that of
 * its linearisation) where there is one, else why not.
 */
export function linearTheoryOrReason(config: Config): LinearTheory | TheoryUnavailable {
  try {
    return linearTheory(config);
  } catch (e) {
    if (e instanceof LinearisationUnavailable) return { unavailable: e.message, linearisation: linearisationNote(e.linearisation) };
    if (e instanceof TheoryNotApplicable) return { unavailable: e.message };
    throw e;
  }
}

/** Closed-form values where the theory covers the config, else why not. */
export function theoryFor(config: Config, theory = linearTheoryOrReason(config)): TheoryComparison | TheoryUnavailable {
  if ('unavailable' in theory) return theory;
  return {
    method: theory.method,
    eprContinuous: theory.eprContinuous,
    eprDiscrete: theory.eprDiscrete,
    densityDiscrete: theory.densityDiscrete,
    cellVariance: theory.cellVariance,
    equilibrium: theory.equilibrium,
    equilibriumResidual: theory.equilibriumResidual,
    ...(theory.linearisation && { linearisation: linearisationNote(theory.linearisation) }),
  };
}

/** The replica-averaged measured density against the theory's map. */
export function compareDensity(measured: Float64Array, theory: Float64Array, replicas: number): DensityComparison {
  const N = theory.length;
  const mean = new Float64Array(N);
  for (let r = 0; r < replicas; r++) for (let i = 0; i < N; i++) mean[i] += measured[r * N + i] / replicas;
  const avg = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / N;
  const [ma, mb] = [avg(mean), avg(theory)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  let diff = 0;
  for (let i = 0; i < N; i++) {
    ab += (mean[i] - ma) * (theory[i] - mb);
    aa += (mean[i] - ma) ** 2;
    bb += (theory[i] - mb) ** 2;
    diff += (mean[i] - theory[i]) ** 2;
  }
  const norm = Math.sqrt(theory.reduce((x, y) => x + y * y, 0));
  return {
    correlation: aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : null,
    relativeDifference: norm > 0 ? Math.sqrt(diff) / norm : null,
  };
}

/**
 * A whole run: burn-in, then `steps` measured steps with the estimators
 * attached, in pieces of about 1/200 of the run (progress, and a turn of the
 * event loop between pieces); the estimate and its batch-means error come
 * from block sums read once at the end.
 */
export async function simulate(engine: Engine, options: RunOptions | ResumeOptions): Promise<RunResult> {
  const every = options.checkpointEvery;
  if (every !== undefined && !(Number.isInteger(every) && every >= 1)) throw new RangeError(`checkpoints: every must be an integer ≥ 1 (got ${every})`);
  const recoverer = options.recovery && new Recoverer(options.recovery, options.checked);
  // A copy: the resumed run's observers take over the arrays of the state they are given.
  if (recoverer && 'resume' in options) recoverer.keep(structuredClone(options.resume));
  const started = performance.now();
  let run: Run | undefined;
  // Sampling time of the engines lost so far, and where the current engine's count started.
  let samplingLost = 0;
  let sampledBefore = engine.sampleSeconds;
  try {
    for (;;) {
      try {
        run ??= 'resume' in options ? await Run.resume(engine, options.resume, options.checked) : new Run(engine, options);
        await recoverer?.snapshot(run);
        // From the run's start: a resumed run (checkpoints fall on piece ends) meets the same boundaries.
        const chunk = Math.max(1, Math.floor(run.total / 200));
        while (!run.finished) {
          const before = run.done;
          await run.advance(chunk);
          options.onProgress?.(run.done, run.total);
          const checkpoint = every && options.onCheckpoint && !run.finished && Math.floor(run.done / every) > Math.floor(before / every);
          // A checkpoint's snapshot is also recovery's: the file is never newer than memory.
          const state = await recoverer?.snapshot(run, Boolean(checkpoint));
          if (checkpoint) await options.onCheckpoint!(run, state);
          await new Promise((resolve) => setImmediate(resolve));
        }
        const wallSeconds = (performance.now() - started) / 1000;
        const samplingSeconds = samplingLost + run.engine.sampleSeconds - sampledBefore;
        const result = await runResult(run, { wallSeconds, samplingSeconds, resultSeconds: 0 });
        result.performance.resultSeconds = (performance.now() - started) / 1000 - wallSeconds;
        return result;
      } catch (e) {
        if (!recoverer || !(e instanceof DeviceLostError)) throw e;
        const lost = run?.engine ?? engine;
        samplingLost += lost.sampleSeconds - sampledBefore;
        run = await recoverer.recover(lost, e);
        sampledBefore = run.engine.sampleSeconds;
      }
    }
  } finally {
    recoverer?.dispose();
  }
}

/** σ(k) of the samples beside the Fourier theory's, when the run has one. */
function spectrumResult(sampler: SpectrumSampler, fourier: FourierTheory | null | undefined): NonNullable<RunResult['spectrum']> {
  const theory = fourier && fourier.eprDiscrete !== null ? fourier : null;
  return { samples: sampler.samples, modes: sampler.modes(), shells: sampler.result(fourier ?? null), theoryModes: theory ? theory.spectrum.discrete : null };
}

/** What runResult reads of a finished run: a Run, or one member of a batch (src/run/batch/). */
export interface FinishedRun {
  engine: Pick<Engine, 'config' | 'replicas' | 'backend' | 'readField'>;
  steps: number;
  burnIn: number;
  total: number;
  attached: RunObservers | undefined;
  spaceTime: Run['spaceTime'];
}

/** The finished run's numbers, its field and maps. */
export async function runResult(run: FinishedRun, timing: Pick<RunResult['performance'], 'wallSeconds' | 'samplingSeconds' | 'resultSeconds'>): Promise<RunResult> {
  const { engine, steps, burnIn } = run;
  const { config, replicas } = engine;
  const { entropy, variance, spectrum, reported } = run.attached!;
  const { dt } = config;
  const grid = gridOf(config);
  // Densities are rates over the domain: Lx·Ly, or a ring's length.
  const domain = grid.domain;
  const theory = linearTheoryOrReason(config);
  const epBlocks = entropy.blocks();
  const perStep = perStepMean(epBlocks);
  const toRate = dt * replicas;
  let cumSum = 0;
  let cumSteps = 0;
  const blockRows = epBlocks.sums.map((sum, b) => {
    cumSum += sum;
    cumSteps += epBlocks.steps[b];
    return { time: cumSteps * dt, rate: sum / epBlocks.steps[b] / toRate, runningMean: cumSum / cumSteps / toRate };
  });
  const varianceMean = variance.estimate();

  const density = await entropy.density();
  const densityScale = 1 / (steps * dt * grid.area);
  for (let j = 0; j < density.length; j++) density[j] *= densityScale;

  const estimate = perStep.mean / toRate;
  const stderr = perStep.stderr / toRate;
  const sampler = spectrum?.sampler;
  // σ(k) sampled on the GPU keeps its per-mode sums there until asked.
  await spectrum?.settle();
  return {
    config,
    backend: engine.backend,
    replicas,
    steps,
    burnIn,
    time: steps * dt,
    epr: { estimate, stderr, density: estimate / domain, densityStderr: stderr / domain, blocks: blockRows },
    cellVariance: { estimate: varianceMean.mean, stderr: varianceMean.stderr },
    observed: reported.map((r) => {
      const m = r.summarize();
      return { key: r.key, label: r.label, unit: r.unit, estimate: m.mean, stderr: m.stderr };
    }),
    theory: theoryFor(config, theory),
    field: await engine.readField(),
    eprDensity: density,
    eprDensityTheory: densityTheory(theory, density, replicas),
    spectrum: sampler ? spectrumResult(sampler, 'unavailable' in theory || theory.method !== 'fourier' ? null : theory.fourier) : null,
    spaceTime: run.spaceTime ? { every: run.spaceTime.every, steps: run.spaceTime.steps, rows: run.spaceTime.rows() } : null,
    performance: {
      ...timing,
      cellStepsPerSecond: (run.total * replicas * grid.cells) / (timing.wallSeconds - timing.samplingSeconds),
      overallCellStepsPerSecond: (run.total * replicas * grid.cells) / timing.wallSeconds,
      spectrumSampling: spectrum?.where ?? null,
    },
  };
}

/** The theory's local density of a map config, beside the measured one (null for uniform configs: it is flat). */
function densityTheory(theory: LinearTheory | TheoryUnavailable, measured: Float64Array, replicas: number): RunResult['eprDensityTheory'] {
  if ('unavailable' in theory || theory.method === 'fourier') return null;
  const map = theory.localDensity();
  if (!map) return null;
  // At equilibrium the theory's map is 0 to rounding: nothing to correlate with or divide by.
  const comparison = theory.equilibrium ? { correlation: null, relativeDifference: null } : compareDensity(measured, map, replicas);
  return { map, comparison };
}
