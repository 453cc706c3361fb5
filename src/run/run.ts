import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import type { BackendInfo, Engine, EngineState } from '../engine/engine.js';
import { cellVariance, type CellVariance, type CellVarianceState } from '../estimators/cell-variance/index.js';
import { entropyProduction, type EntropyProduction, type EntropyProductionState } from '../estimators/entropy-production/index.js';
import { modeSpectrum, type ModeSpectrum, type ModeSpectrumState } from '../estimators/mode-spectrum/index.js';
import type { ReportedObserver } from '../estimators/report.js';
import { reportedObservers } from '../estimators/reported.js';
import { perStepMean, type BatchMean } from '../numeric/batch-means.js';
import { DivergenceGuard } from './divergence.js';
import { assertRunnable } from './preflight.js';
import { spaceTime, SPACE_TIME_MAX_ROWS, type SpaceTime, type SpaceTimeState } from './space-time.js';

export interface RunPlan {
  /** Measured steps after the burn-in; Infinity for a run that goes on until stopped (the demo). */
  steps: number;
  burnIn?: number;
  /** Batch-means blocks over the measured steps (finite runs). */
  blocks?: number;
  /** Steps per batch-means block, instead of `blocks` (open-ended runs). */
  blockSteps?: number;
  /**
   * Steps sampled for the mode-resolved entropy production σ(k) (docs/model.md §9.8):
   * on the GPU engine each is transformed on the device; on the CPU engine u_n and
   * u_{n+1} are transformed on the host. Default: defaultSpectrumSamples; 0 turns it off.
   */
  spectrumSamples?: number;
  /**
   * Rows of the space-time record of a ring (grid.dimensions = 1; space-time.ts): replica 0's
   * field before the first step and every few steps over the whole run, burn-in
   * included. Default SPACE_TIME_MAX_ROWS; 0 turns it off. 2-D grids keep none.
   */
  spaceTimeRows?: number;
  /**
   * true: the caller has refused unrunnable configs with assertRunnable
   * already, so the run does not repeat it (the demo runs it in a worker: the
   * dense stability of a slope map takes seconds at 32²).
   */
  checked?: boolean;
}

export const DEFAULT_BLOCKS = 50;

/** What a run has measured so far. */
export interface RunEstimates {
  /** Measured steps so far. */
  steps: number;
  /** The entropy production rate of one field (nats per unit time) from complete blocks; null before two. */
  epr: (BatchMean & { completeBlocks: number }) | null;
  cellVariance: CellVariance | undefined;
}

/** One observer of `reportedObservers`, attached by the run. */
export interface AttachedReport {
  key: string;
  label: string;
  unit: string;
  summarize: () => BatchMean;
  snapshot: () => Promise<unknown>;
  detach: () => void;
}

/**
 * Everything a run is at a window boundary, to go on from there bit for bit
 * (Run.resume; a checkpoint file holds it: src/run/checkpoint/): the plan as
 * resolved, the steps done, the engine's state, and each attached observer's
 * host state (with its per-cell map, read back exactly).
 */
export interface RunState {
  plan: { steps: number; burnIn: number; blockSteps: number; spectrumSamples: number; spaceTimeRows: number };
  /** Steps this run has taken, burn-in included. */
  done: number;
  engine: EngineState;
  /** The measured phase's observers, once attached. */
  observers?: {
    entropy: EntropyProductionState;
    variance: CellVarianceState;
    spectrum?: ModeSpectrumState;
    /** By key of reportedObservers. */
    reported: Record<string, unknown>;
  };
  spaceTime?: SpaceTimeState;
}

/** The observers of the measured phase. */
export interface RunObservers {
  entropy: EntropyProduction;
  variance: CellVariance;
  spectrum: ModeSpectrum | undefined;
  reported: AttachedReport[];
}

/**
 * Most cells sampled for σ(k) on the host unless asked (1024²): each sample
 * transforms the grid on the host in float64 (three FFTs and two drifts;
 * seconds at 4096²), where a step takes a fraction of that even on a software
 * adapter. The FFTs' cost follows the cell count, whatever the grid's shape.
 */
export const SPECTRUM_DEFAULT_MAX_CELLS = 1024 * 1024;

/**
 * Most cells sampled for σ(k) on the GPU engine unless asked (4096²). A
 * sample there is one complex FFT of the grid and two cell passes inside the
 * window, nothing read back but a row of shell sums: it costs a few steps'
 * worth at any size (measured on llvmpipe: 3 to 7 steps of the stencil path
 * at 64² to 4096², the FFT most of it), so the default no longer shrinks with
 * the grid. Past 4096² its packed field (8 bytes a cell) outgrows WebGPU's
 * default 128 MiB binding, which not every device exceeds.
 */
export const SPECTRUM_DEFAULT_MAX_CELLS_GPU = 4096 * 4096;

/**
 * On the GPU engine, default samples lie at least this many steps apart, so
 * that sampling adds about a fifth of the stepping time at most where a sample
 * is dearest (llvmpipe, ~5 steps a sample) and less on hardware: 400 samples
 * (the most) from 10000 steps on.
 */
export const SPECTRUM_GPU_MIN_SPACING = 25;

/** The most cells an engine of this kind samples σ(k) on by default. */
export function spectrumDefaultMaxCells(backend: BackendInfo['kind']): number {
  return backend === 'gpu' ? SPECTRUM_DEFAULT_MAX_CELLS_GPU : SPECTRUM_DEFAULT_MAX_CELLS;
}

/** σ(k) from data splits a uniform weight over modes; a noise map (docs/model.md §8) couples them: none then. */
export function spectrumSampleable(config: Config): boolean {
  return typeof config.noise.amplitude === 'number';
}

/**
 * σ(k)'s samples unless asked, for `steps` measured steps (the run also keeps
 * them to half the steps).
 * - CPU engine: each sample transforms the grid on the host: fewer on large
 *   grids, none past SPECTRUM_DEFAULT_MAX_CELLS. The thresholds are the cells
 *   of the square grids they were set for (128², 512², 1024²), so squares
 *   sample as they always did.
 * - GPU engine: up to SPECTRUM_DEFAULT_MAX_CELLS_GPU cells, 400 samples at
 *   most SPECTRUM_GPU_MIN_SPACING steps apart (a sample costs a few steps
 *   there, at any size).
 */
export function defaultSpectrumSamples(cells: number, backend: BackendInfo['kind'] = 'cpu', steps = Infinity): number {
  if (backend === 'gpu') return cells <= SPECTRUM_DEFAULT_MAX_CELLS_GPU ? Math.min(400, Math.floor(steps / SPECTRUM_GPU_MIN_SPACING)) : 0;
  return cells <= 128 * 128 ? 400 : cells <= 512 * 512 ? 100 : cells <= SPECTRUM_DEFAULT_MAX_CELLS ? 20 : 0;
}

/** Steps per batch-means block of a finite run of `steps` measured steps in `blocks` blocks (at most one a step). */
export function blockStepsOf(steps: number, blocks = DEFAULT_BLOCKS): number {
  checkCount('steps', steps, 2);
  const count = Math.min(blocks, steps);
  checkCount('blocks', count, 2);
  return Math.ceil(steps / count);
}

/** A reported observer's handle as the run keeps it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry of reportedObservers has its own handle type
export function attachedReport(r: ReportedObserver<any>, handle: any): AttachedReport {
  return {
    key: r.key, label: r.label, unit: r.unit,
    summarize: () => r.summarize(handle),
    snapshot: () => handle.snapshot(),
    detach: () => handle.detach(),
  };
}

function checkCount(name: string, value: number, min: number): void {
  if (!(Number.isInteger(value) && value >= min)) throw new RangeError(`${name} must be an integer ≥ ${min} (got ${value})`);
}

/**
 * One run, advanced a piece at a time by whoever drives it (the CLI's
 * `simulate`, the demo's frame loop, the benchmarks): a burn-in, then the
 * measured steps with the estimators attached. The CLI, the demo and the
 * benchmarks all step through this one class.
 */
export class Run {
  private observers: RunObservers | undefined;
  private startStep: number;
  readonly burnIn: number;
  readonly steps: number;
  readonly blockSteps: number;
  private readonly spectrumSamples: number;
  private readonly spaceTimeRows: number;
  private record: SpaceTime | undefined;
  private detached = false;
  /** Stops the run at the first window whose field diverged (divergence.ts). */
  private readonly guard: DivergenceGuard;

  constructor(readonly engine: Engine, plan: RunPlan) {
    const { config } = engine;
    this.steps = plan.steps;
    this.burnIn = plan.burnIn ?? 0;
    checkCount('burn-in', this.burnIn, 0);
    if (Number.isFinite(this.steps)) {
      this.blockSteps = plan.blockSteps ?? blockStepsOf(this.steps, plan.blocks);
    } else {
      if (plan.blockSteps === undefined) throw new RangeError('an open-ended run needs blockSteps');
      this.blockSteps = plan.blockSteps;
    }
    checkCount('block steps', this.blockSteps, 1);
    if (!plan.checked) assertRunnable(config);
    const samples =
      Number.isFinite(this.steps) && spectrumSampleable(config)
        ? Math.min(plan.spectrumSamples ?? defaultSpectrumSamples(gridOf(config).cells, engine.backend.kind, this.steps), Math.floor(this.steps / 2))
        : 0;
    this.spectrumSamples = samples;
    const rows = plan.spaceTimeRows ?? SPACE_TIME_MAX_ROWS;
    if (rows !== 0) checkCount('space-time rows', rows, 2);
    this.spaceTimeRows = Number.isFinite(this.steps) && gridOf(config).dimensions === 1 ? rows : 0;
    this.startStep = engine.stepIndex;
    this.guard = new DivergenceGuard(config, engine.replicas);
  }

  /** Steps taken by this run (burn-in included). */
  get done(): number {
    return this.engine.stepIndex - this.startStep;
  }

  get total(): number {
    return this.burnIn + this.steps;
  }

  get finished(): boolean {
    return this.done >= this.total;
  }

  /** Measured steps so far. */
  get measured(): number {
    return Math.max(0, this.done - this.burnIn);
  }

  /** The measured phase's observers, once the burn-in is over. */
  get attached(): RunObservers | undefined {
    return this.observers;
  }

  /** A ring's space-time record (space-time.ts), from the run's first step on; undefined on 2-D grids. */
  get spaceTime(): SpaceTime | undefined {
    return this.record;
  }

  /**
   * A copy of everything the run is, to continue it elsewhere bit for bit
   * (Run.resume). Take it between two `advance` calls.
   */
  async snapshot(): Promise<RunState> {
    const o = this.observers;
    const reported: Record<string, unknown> = {};
    if (o) for (const r of o.reported) reported[r.key] = await r.snapshot();
    return {
      plan: { steps: this.steps, burnIn: this.burnIn, blockSteps: this.blockSteps, spectrumSamples: this.spectrumSamples, spaceTimeRows: this.spaceTimeRows },
      done: this.done,
      engine: await this.engine.saveState(),
      ...(o && {
        observers: {
          entropy: await o.entropy.snapshot(),
          variance: await o.variance.snapshot(),
          ...(o.spectrum && { spectrum: await o.spectrum.snapshot() }),
          reported,
        },
      }),
      ...(this.record && { spaceTime: await this.record.snapshot() }),
    };
  }

  /**
   * The run `state` was a snapshot of, on `engine` (fresh, of the same config,
   * replicas and kind): the engine and observers restored, ready to advance.
   * `checked` as in RunPlan. An open-ended run (the demo's) resumes open-ended;
   * the CLI gives it an end first (resume.ts: --steps).
   */
  static async resume(engine: Engine, state: RunState, checked = false): Promise<Run> {
    await engine.restoreState(state.engine);
    const run = new Run(engine, { ...state.plan, checked });
    run.startStep = engine.stepIndex - state.done;
    if (state.spaceTime) run.record = await engine.observe(spaceTime(run.total, run.spaceTimeRows, state.spaceTime));
    if (state.observers) await run.attach(state.observers);
    if (run.finished) run.close();
    return run;
  }

  /** Advances up to `steps` steps (never past the end), attaching the estimators when the burn-in ends. */
  async advance(steps: number): Promise<void> {
    let left = Math.min(steps, this.total - this.done);
    await this.guard.begin(this.engine);
    if (this.spaceTimeRows > 0 && !this.record && this.done === 0) {
      this.record = await this.engine.observe(spaceTime(this.total, this.spaceTimeRows));
    }
    // The burn-in in pieces that end where the guard reads the field (divergence.ts).
    while (this.done < this.burnIn && left > 0) {
      const now = Math.min(left, this.guard.burnInPiece(this.done, this.burnIn));
      await this.engine.advance(now);
      await this.guard.burnIn(this.engine, this.done, this.burnIn);
      left -= now;
    }
    if (left > 0 || (this.done === this.burnIn && !this.observers)) await this.attach();
    if (left > 0) await this.engine.advance(left);
    // Before anything of this window is used or written (the estimates, a checkpoint, the results).
    await this.guard.check(this.engine);
    if (this.finished) this.close();
  }

  /** Attaches the measured phase's observers: fresh, or from a snapshot's states (`resume`). */
  private async attach(resume?: RunState['observers']): Promise<void> {
    if (this.observers) return;
    const { engine, blockSteps } = this;
    const stride = this.spectrumSamples > 0 ? Math.floor(this.steps / this.spectrumSamples) : 0;
    const entropy = await engine.observe(entropyProduction(blockSteps, resume?.entropy));
    const variance = await engine.observe(this.guard.watch(cellVariance(blockSteps, resume?.variance)));
    if (resume && (stride > 0) !== (resume.spectrum !== undefined)) throw new Error('the saved run and this one disagree on sampling σ(k)');
    const spectrum = stride > 0 ? await engine.observe(modeSpectrum(this.spectrumSamples, stride, {}, resume?.spectrum)) : undefined;
    const reported: AttachedReport[] = [];
    for (const r of reportedObservers) {
      if (resume && !(r.key in resume.reported)) throw new Error(`the saved run has no state for the observer ${r.key}`);
      reported.push(attachedReport(r, await engine.observe(r.observer(blockSteps, resume?.reported[r.key]))));
    }
    this.observers = { entropy, variance, spectrum, reported };
  }

  /** Detaches the run's observers (done by itself when a finite run finishes); their results stay readable. */
  close(): void {
    this.record?.detach();
    if (this.detached || !this.observers) return;
    this.detached = true;
    const { entropy, variance, spectrum, reported } = this.observers;
    for (const o of [entropy, variance, spectrum, ...reported]) o?.detach();
  }

  /** The current estimates: the entropy production from complete blocks only, so a partial block never biases it. */
  estimates(): RunEstimates {
    const o = this.observers;
    if (!o) return { steps: 0, epr: null, cellVariance: undefined };
    const blocks = o.entropy.blocks();
    const complete = blocks.steps.filter((s) => s === this.blockSteps).length;
    let epr: RunEstimates['epr'] = null;
    if (complete >= 2) {
      const m = perStepMean({ steps: blocks.steps.slice(0, complete), sums: blocks.sums.slice(0, complete) });
      const toRate = this.engine.config.dt * this.engine.replicas;
      epr = { mean: m.mean / toRate, stderr: m.stderr / toRate, blocks: m.blocks, completeBlocks: complete };
    }
    return { steps: this.measured, epr, cellVariance: o.variance };
  }
}
