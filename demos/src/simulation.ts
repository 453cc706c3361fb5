import { gridOf } from '../../src/config/geometry.js';
import { fieldArray, fieldSpec, fieldValues, MAPPED_FIELDS, type MappedField } from '../../src/config/maps.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import type { EngineState } from '../../src/engine/engine.js';
import { gpuUnsupported } from '../../src/gpu/capabilities.js';
import type { ConvolutionCache } from '../../src/gpu/convolution-choice.js';
import { checkFootprint } from '../../src/gpu/footprint.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { kernelSpectrum } from '../../src/model/kernel-spectrum.js';
import type { Checkpoint } from '../../src/run/checkpoint/checkpoint.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { DivergenceError } from '../../src/run/divergence.js';
import { Run, type RunState } from '../../src/run/run.js';
import { DENSE_MAX_CELLS } from '../../src/theory/dense.js';
import { isModeTheory, linearTheory } from '../../src/theory/linear.js';
import { modesForSlope, TheoryNotApplicable } from '../../src/theory/modes.js';
import { ONE_CELL, type PanelCells } from './field-renderer.js';
import { MagnitudeHistogram } from './magnitude-histogram.js';
import { checkConfig } from './page-config.js';
import { encodeRunFile } from './run-file.js';
import { Superseded, TheoryWorker } from './theory-client.js';
import { summarizeTheory, type TheorySummary } from './theory-summary.js';

export interface EstimatePoint {
  time: number;
  estimate: number;
  stderr: number;
}

/**
 * Start-up stages are reported to this (the page's status line); a returned
 * promise is awaited where the next stage blocks the main thread, so the
 * status is painted first.
 */
export type StageReporter = (stage: string) => void | Promise<void>;

/**
 * Grids up to this many cells (256²) compare the measured density map with the
 * theory's cell by cell: that reads the whole map back, which larger grids
 * never do. (Per-cell theory maps exist only on small grids anyway: the dense
 * theory stops at 32², Fourier blocks are cheap but their map is a number per cell.)
 */
export const DENSITY_MATCH_MAX_CELLS = 256 * 256;

/** One map drawn by the field view: its values on the GPU (one value when uniform), with their range. */
export interface MapLayer {
  field: MappedField;
  buffer: GPUBuffer;
  /** The buffer's cells: the grid's, or ONE_CELL for a uniform field. */
  cells: PanelCells;
  lo: number;
  hi: number;
  uniform: boolean;
}

/**
 * The live run behind the demo: one GPU engine, its estimators, and what the
 * page shows. A new config is validated first (schema, discretisation,
 * stability); only a good one replaces the engine, and the field carries over
 * when the grid stays the same. Estimators restart with every change, after a
 * burn-in of a few relaxation times, with batch-means blocks a couple of
 * relaxation times long.
 */
export class Simulation {
  engine!: GpuEngine;
  config!: Config;
  /** The theory of the config (linearTheory: Fourier, or dense for maps), once it is ready. */
  theory: TheorySummary | null = null;
  /** ready; computing (the dense theory, in a worker); none (theoryNote says why). */
  theoryStatus: 'ready' | 'computing' | 'none' = 'none';
  theoryNote = '';
  /** Seconds the last dense theory took in the worker. */
  theorySeconds = 0;
  /** The theory's local density on the GPU (per unit area and time), for the view; null when there is none. */
  theoryDensity: { buffer: GPUBuffer; cells: PanelCells; range: number } | null = null;
  /** Per mapped field, its values on the GPU for the map view; null where the config has no such field (the slope of a nonlinear transfer). */
  maps: Record<MappedField, MapLayer | null> = { 'noise.amplitude': null, 'transfer.slope': null, input: null };
  /** The measured density map against the theory's (a map config's per-cell theory, grids up to DENSITY_MATCH_MAX_CELLS), at the last comparison. */
  densityMatch: { correlation: number } | null = null;
  estimatorNote = '';
  stepsPerFrame = 20;
  running = true;
  history: EstimatePoint[] = [];
  latest: EstimatePoint | undefined;
  blocks = 0;
  fieldRange = { lo: -1, hi: 1 };
  /** The 99th percentile of the measured density's magnitude at the last read; 0 before one. */
  densityRange = 0;
  /** Steps per second and cell-steps per second of the last frame's stepping. */
  throughput = 0;
  /** The run measuring the current engine (none when the GPU cannot estimate this config: `estimatorNote`). */
  private run: Run | undefined;
  /** Set when the run's field diverged (src/run/divergence.ts): no more steps on this field. */
  private diverged: DivergenceError | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Applies asked for so far: a newer one supersedes an older still in its preflight. */
  private requested = 0;
  /** Configs run so far: a theory that arrives for an older one is dropped. */
  private generation = 0;
  private readonly preflightWorker = new TheoryWorker('preflight');
  private readonly theoryWorker = new TheoryWorker('theory');
  /** The density's colour range: a percentile from a histogram on the GPU, not the map. */
  private readonly histogram: MagnitudeHistogram;

  /**
   * `stage` hears the start-up stages of every config applied; `convolutionCache`
   * remembers the convolution chosen per adapter and grid across visits.
   */
  constructor(
    readonly device: GPUDevice,
    readonly adapterName: string,
    private readonly options: { stage?: StageReporter; convolutionCache?: ConvolutionCache } = {},
  ) {
    this.histogram = new MagnitudeHistogram(device);
  }

  private async stage(label: string): Promise<void> {
    await this.options.stage?.(label);
  }

  /**
   * Runs engine work one piece at a time: the frame loop, a config change and
   * a download never interleave, so an engine is never replaced mid-step.
   */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Validates and applies a config; throws (ConfigError, UnloadableMaps,
   * GpuError) and keeps the old run if it is refused, or Superseded when a
   * newer apply came in while this one was being checked. The checks run
   * before the engine is touched, the slow one (the dense stability of a
   * slope map) in a worker, so the old run goes on meanwhile. `initial`, a
   * state of the config's field (a recovery after a lost device), is restored
   * before the estimators start, so they count from its step.
   */
  async apply(input: ConfigInput | Config, keepField = true, initial?: EngineState, resume?: RunState): Promise<void> {
    const ticket = ++this.requested;
    await this.stage('checking the config');
    const config = checkConfig(input);
    // A grid the adapter cannot hold is refused first, naming the limit: before the stability checks, which are n² work on the host.
    checkFootprint(this.device.limits, config, 1, { convolution: 'auto', noiseShaping: 'stencil' });
    await this.preflight(config);
    if (ticket !== this.requested) throw new Superseded();
    await this.exclusive(async () => {
      if (ticket !== this.requested) throw new Superseded();
      await this.replace(config, keepField, initial, resume);
    });
  }

  /** assertRunnable, in the worker where it takes seconds: a slope map is checked on the dense M = I − dt·A up to 32². */
  private async preflight(config: Config): Promise<void> {
    const t = config.transfer;
    if (t.type === 'linear' && typeof t.slope !== 'number' && gridOf(config).cells <= DENSE_MAX_CELLS) {
      await this.preflightWorker.request('preflight', config);
    } else {
      assertRunnable(config);
    }
  }

  /** Runs other GPU work with the simulation's engine idle. */
  whileIdle<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(fn);
  }

  /** A copy of the field (replica 0). */
  readField(): Promise<Float64Array> {
    return this.exclusive(() => this.engine.readField());
  }

  /** One step, returning the field before and after it: a sample for the mode spectrum. */
  sampleStep(): Promise<[Float64Array, Float64Array]> {
    return this.exclusive(async () => {
      const before = await this.engine.readField();
      await this.stepAndObserve(1);
      return [before, await this.engine.readField()];
    });
  }

  /** `resume`: a saved run (run-file.ts) that goes on, its field and estimators' accumulators restored, instead of a fresh one. */
  private async replace(config: Config, keepField: boolean, initial?: EngineState, resume?: RunState): Promise<void> {
    // Refused before the running engine is replaced: the GPU cannot estimate every config (the page then runs without estimators).
    const unsupported = resume && gpuUnsupported(config);
    if (unsupported) throw new Error(`the saved run cannot go on here: ${unsupported}`);
    // GpuEngine.create refuses a grid too large for the adapter before allocating (src/gpu/footprint.ts), naming the limit.
    const engine = await GpuEngine.create(this.device, this.adapterName, config, 1, {
      progress: (stage) => void this.stage(stage),
      convolutionCache: this.options.convolutionCache,
    });
    let resumed: Run | undefined;
    if (resume) {
      await this.stage('restoring the saved run');
      try {
        resumed = await Run.resume(engine, resume, true);
      } catch (e) {
        engine.dispose();
        throw e;
      }
    } else if (initial) {
      await this.stage('restoring the saved field');
      await engine.restoreState(initial);
    } else if (keepField && this.engine && sameShape(this.config, config)) {
      await this.stage('carrying the field over');
      await engine.restoreState(await this.engine.saveState());
    }
    this.engine?.dispose();
    this.engine = engine;
    this.config = config;
    await this.stage('uploading the maps');
    this.uploadMaps();
    await this.stage('computing the theory');
    this.computeTheory();
    this.restartEstimators(resumed);
  }

  /**
   * Stops this simulation for good (its device was lost): its workers end and
   * its engine is let go. A frame still waiting on it is abandoned: the page
   * runs a new Simulation instead.
   */
  close(): void {
    this.running = false;
    this.preflightWorker.close();
    this.theoryWorker.close();
    this.run?.close();
    this.engine?.dispose();
    this.histogram.destroy();
  }

  /** Each mapped field's values (src/config/maps.ts) into a buffer the view draws: once per config. */
  private uploadMaps(): void {
    for (const layer of Object.values(this.maps)) layer?.buffer.destroy();
    const grid = gridOf(this.config);
    for (const field of MAPPED_FIELDS) {
      const spec = fieldSpec(this.config, field);
      if (spec === undefined) {
        this.maps[field] = null;
        continue;
      }
      const uniform = typeof spec === 'number';
      const values = uniform ? Float32Array.of(spec) : Float32Array.from(fieldArray(this.config, field));
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      const buffer = this.upload(`${field} map`, values);
      this.maps[field] = { field, buffer, cells: uniform ? ONE_CELL : { nx: grid.nx, ny: grid.ny }, lo, hi, uniform };
    }
  }

  private upload(label: string, values: Float32Array<ArrayBuffer>): GPUBuffer {
    const buffer = this.device.createBuffer({ label, size: Math.max(16, values.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.device.queue.writeBuffer(buffer, 0, values);
    return buffer;
  }

  /**
   * The theory of the new config (linearTheory): the Fourier theory at once;
   * the dense theory of a noise or slope map, or of a sigmoid or tanh field
   * linearised about a bump or an input map's fixed point, in a worker (seconds at 32²),
   * "computing" until it arrives. One still computing for an older config is
   * stopped.
   */
  private computeTheory(): void {
    const generation = ++this.generation;
    const config = this.config;
    this.theoryWorker.restart();
    this.setTheory(null);
    this.theoryNote = '';
    if (isModeTheory(config)) {
      try {
        const t = linearTheory(config);
        this.setTheory({ ...summarizeTheory(t), ...(t.method === 'fourier' ? { fourier: t.fourier } : {}) });
      } catch (e) {
        if (!(e instanceof TheoryNotApplicable)) throw e;
        this.theoryNote = e.message;
      }
      return;
    }
    this.theoryStatus = 'computing';
    const started = performance.now();
    this.theoryWorker.request('theory', config).then(
      (t) => {
        if (generation !== this.generation) return;
        this.theorySeconds = (performance.now() - started) / 1000;
        this.setTheory(t);
      },
      (e: Error) => {
        if (generation !== this.generation || e instanceof Superseded) return;
        this.theoryStatus = 'none';
        this.theoryNote = e instanceof TheoryNotApplicable ? e.message : `the theory failed: ${e.message}`;
      },
    );
  }

  private setTheory(t: TheorySummary | null): void {
    this.theory = t;
    this.theoryStatus = t ? 'ready' : 'none';
    this.densityMatch = null;
    // Destroyed in turn with the engine work: a histogram of it may be queued.
    const old = this.theoryDensity;
    if (old) void this.exclusive(async () => old.buffer.destroy());
    this.theoryDensity = null;
    const local = t?.localDensity;
    if (!local) return;
    // Fourier: one value for every cell, its own range. A map: its 99th percentile from the GPU
    // histogram, as for the measured map (a host sort of 4096² values took seconds).
    const uniform = t.method === 'fourier';
    const values = uniform ? Float32Array.of(local[0]) : Float32Array.from(local);
    // A map's range is NaN until the next updateDensityRange.
    const { nx, ny } = gridOf(this.config);
    this.theoryDensity = { buffer: this.upload('theory density', values), cells: uniform ? ONE_CELL : { nx, ny }, range: uniform ? Math.abs(local[0]) : NaN };
  }

  /**
   * The slowest relaxation time, 1/min Re a_k: for a slope map, over the
   * uniform fields at its smallest and largest slopes (the dense theory may
   * still be computing); 10τ for a nonlinear field.
   */
  private relaxationTime(): number {
    const c = this.config;
    if (c.transfer.type !== 'linear') return 10 * c.tau;
    // A uniform field's Fourier theory has the modes already (recomputing them took seconds at 4096²).
    const modes = typeof c.transfer.slope === 'number' ? this.theory?.fourier?.modes : undefined;
    if (modes) {
      let slowest = Infinity;
      for (const a of modes.aRe) slowest = Math.min(slowest, a);
      return slowest > 0 ? 1 / slowest : 10 * c.tau;
    }
    const v = fieldValues(c, 'transfer.slope');
    const slopes = typeof v === 'number' ? [v] : v.reduce((e, s) => [Math.min(e[0], s), Math.max(e[1], s)], [Infinity, -Infinity]);
    const kernel = kernelSpectrum(c);
    let slowest = Infinity;
    for (const slope of new Set(slopes)) for (const a of modesForSlope(c, slope, kernel).aRe) slowest = Math.min(slowest, a);
    return slowest > 0 ? 1 / slowest : 10 * c.tau;
  }

  /**
   * A new open-ended run on the current engine: the estimators attach after
   * a burn-in of three relaxation times (at most 5000 steps), with blocks two
   * relaxation times long.
   */
  restartEstimators(resumed?: Run): void {
    this.diverged = undefined;
    this.run?.close();
    this.history = [];
    this.latest = undefined;
    this.blocks = 0;
    this.densityRange = 0;
    this.densityMatch = null;
    const relax = this.relaxationTime() / this.config.dt;
    this.estimatorNote = gpuUnsupported(this.config) ?? '';
    this.run = this.estimatorNote
      ? undefined
      : resumed ?? new Run(this.engine, {
          steps: Infinity,
          burnIn: Math.min(5000, Math.ceil(3 * relax)),
          blockSteps: Math.max(10, Math.min(2000, Math.ceil(2 * relax))),
          checked: true,
        });
  }

  /** The run's whole state as checkpoint bytes (run-file.ts), between two frames; undefined while the GPU cannot estimate this config. */
  saveRun(): Promise<Uint8Array | undefined> {
    return this.exclusive(async () => (this.run ? encodeRunFile(this.run) : undefined));
  }

  /** Goes on from a saved run (decodeRunFile): its config, field and estimators; refused (the old run goes on) like `apply`. */
  async restoreRun(checkpoint: Checkpoint): Promise<void> {
    await this.apply(checkpoint.config, false, undefined, checkpoint.run);
    // The restored blocks show at once, before the next frame's steps.
    this.updateEstimates();
  }

  get observedSteps(): number {
    return this.run?.measured ?? 0;
  }

  /** Advances `steps` (attaching the estimators when the burn-in ends) and updates the estimate. */
  advance(steps: number): Promise<void> {
    return this.exclusive(() => this.stepAndObserve(steps));
  }

  private async stepAndObserve(steps: number): Promise<void> {
    // A diverged field stays stopped (the frame loop shows the message and pauses) until a config is applied or the estimators restart.
    if (this.diverged) throw this.diverged;
    const started = performance.now();
    try {
      if (this.run) await this.run.advance(steps);
      else await this.engine.advance(steps);
    } catch (e) {
      if (e instanceof DivergenceError) this.diverged = e;
      throw e;
    }
    const seconds = (performance.now() - started) / 1000;
    this.throughput = (steps * gridOf(this.config).cells) / Math.max(seconds, 1e-9);
    this.updateEstimates();
  }

  private updateEstimates(): void {
    const estimates = this.run?.estimates();
    if (!estimates) return;
    const last = estimates.cellVariance?.lastBlock();
    if (last) {
      const sd = Math.sqrt(Math.max(last.variance, 1e-30));
      this.fieldRange = { lo: last.mean - 3 * sd, hi: last.mean + 3 * sd };
    }
    const epr = estimates.epr;
    if (!epr || epr.completeBlocks === this.blocks) return;
    this.blocks = epr.completeBlocks;
    const point = { time: this.observedSteps * this.config.dt, estimate: epr.mean, stderr: epr.stderr };
    this.latest = point;
    this.history.push(point);
  }

  /** 1/(T·a), a the cell area (a ring's Δx): turns the density buffer's sums into a rate per unit area (length on a ring). */
  get densityScale(): number {
    const steps = this.observedSteps;
    return steps > 0 ? 1 / (steps * this.config.dt * gridOf(this.config).area) : 0;
  }

  /**
   * The colour range of the density map: the 99th percentile of |rate|, from
   * a histogram built on the GPU (magnitude-histogram.ts): 4 KiB read back,
   * whatever the grid. The theory's map gets its range the same way, once.
   */
  updateDensityRange(): Promise<void> {
    return this.exclusive(() => this.densityRangeNow());
  }

  /** Whether the theory's density map still waits for its colour range (updateDensityRange gives it). */
  get theoryRangePending(): boolean {
    return Number.isNaN(this.theoryDensity?.range);
  }

  /** Whether `updateDensityMatch` has anything to compare: a per-cell theory map on a grid small enough to read back. */
  get comparesDensity(): boolean {
    const t = this.theory;
    return !!t && t.method !== 'fourier' && !!t.localDensity && gridOf(this.config).cells <= DENSITY_MATCH_MAX_CELLS && !!this.run?.attached;
  }

  /** The measured density map against the theory's, cell by cell (one read-back of the map): at a slow cadence, small grids only. */
  updateDensityMatch(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.comparesDensity) return;
      const theory = this.theory!.localDensity!;
      const d = await this.densityNow();
      this.densityMatch = d && theory.length === d.length ? { correlation: correlation(d, theory) } : null;
    });
  }

  /** The measured density map per unit area and time (replica 0), or null before the estimators attach. */
  readDensity(): Promise<Float64Array | null> {
    return this.exclusive(() => this.densityNow());
  }

  private async densityNow(): Promise<Float64Array | null> {
    const entropy = this.run?.attached?.entropy;
    if (!entropy) return null;
    const scale = this.densityScale;
    const cells = gridOf(this.config).cells;
    return Float64Array.from((await entropy.density()).subarray(0, cells), (v) => v * scale);
  }

  private async densityRangeNow(): Promise<void> {
    const theory = this.theoryDensity;
    if (theory && Number.isNaN(theory.range)) theory.range = (await this.histogram.percentile(theory.buffer, theory.cells.nx * theory.cells.ny, 0.99)).value;
    if (!this.run?.attached?.entropy) return;
    const { value } = await this.histogram.percentile(this.engine.densityBuffer, gridOf(this.config).cells, 0.99);
    this.densityRange = Number.isFinite(value) ? value * this.densityScale : 0;
  }

  /** The colour range shared by the measured and the theory's density maps. */
  get sharedDensityRange(): number {
    return Math.max(this.densityRange, this.theoryDensity?.range || 0) || 1;
  }
}

/** Whether two configs' fields have one shape (the field carries over from one run to the next). */
function sameShape(a: Config, b: Config): boolean {
  const [ga, gb] = [gridOf(a), gridOf(b)];
  return ga.dimensions === gb.dimensions && ga.nx === gb.nx && ga.ny === gb.ny;
}

/** Pearson's correlation of two maps (0 when either is constant). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) [ma, mb] = [ma + a[i] / n, mb + b[i] / n];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const [x, y] = [a[i] - ma, b[i] - mb];
    [ab, aa, bb] = [ab + x * y, aa + x * x, bb + y * y];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
