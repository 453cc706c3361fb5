import { fieldArray, fieldSpec, fieldValues, MAPPED_FIELDS, type MappedField } from '../../src/config/maps.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { gpuUnsupported } from '../../src/gpu/capabilities.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { cellSize, kernelStencil } from '../../src/model/kernels.js';
import { stencilSpectrum } from '../../src/numeric/fft2.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { Run } from '../../src/run/run.js';
import { DENSE_MAX_N } from '../../src/theory/dense.js';
import { isModeTheory, linearTheory } from '../../src/theory/linear.js';
import { modesForSlope, TheoryNotApplicable } from '../../src/theory/modes.js';
import { checkConfig } from './page-config.js';
import { Superseded, TheoryWorker } from './theory-client.js';
import { summarizeTheory, type TheorySummary } from './theory-summary.js';

export interface EstimatePoint {
  time: number;
  estimate: number;
  stderr: number;
}

/** One map drawn by the field view: its values on the GPU (one value when uniform), with their range. */
export interface MapLayer {
  field: MappedField;
  buffer: GPUBuffer;
  /** Cells per side of the buffer: grid.n, or 1 for a uniform field. */
  n: number;
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
  theoryDensity: { buffer: GPUBuffer; n: number; range: number } | null = null;
  /** Per mapped field, its values on the GPU for the map view; null where the config has no such field (the slope of a nonlinear transfer). */
  maps: Record<MappedField, MapLayer | null> = { 'noise.amplitude': null, 'transfer.slope': null, input: null };
  /** The measured density map against the theory's (a map config's dense theory), at the last density read. */
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
  private queue: Promise<unknown> = Promise.resolve();
  /** Applies asked for so far: a newer one supersedes an older still in its preflight. */
  private requested = 0;
  /** Configs run so far: a theory that arrives for an older one is dropped. */
  private generation = 0;
  private readonly preflightWorker = new TheoryWorker('preflight');
  private readonly theoryWorker = new TheoryWorker('theory');

  constructor(readonly device: GPUDevice, readonly adapterName: string) {}

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
   * slope map) in a worker, so the old run goes on meanwhile.
   */
  async apply(input: ConfigInput | Config, keepField = true): Promise<void> {
    const ticket = ++this.requested;
    const config = checkConfig(input);
    await this.preflight(config);
    if (ticket !== this.requested) throw new Superseded();
    await this.exclusive(async () => {
      if (ticket !== this.requested) throw new Superseded();
      await this.replace(config, keepField);
    });
  }

  /** assertRunnable, in the worker where it takes seconds: a slope map is checked on the dense M = I − dt·A up to 32². */
  private async preflight(config: Config): Promise<void> {
    const t = config.transfer;
    if (t.type === 'linear' && typeof t.slope !== 'number' && config.grid.n <= DENSE_MAX_N) {
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

  private async replace(config: Config, keepField: boolean): Promise<void> {
    const engine = await GpuEngine.create(this.device, this.adapterName, config, 1);
    if (keepField && this.engine && this.config.grid.n === config.grid.n) {
      await engine.restoreState(await this.engine.saveState());
    }
    this.engine?.dispose();
    this.engine = engine;
    this.config = config;
    this.uploadMaps();
    this.computeTheory();
    this.restartEstimators();
  }

  /** Each mapped field's values (src/config/maps.ts) into a buffer the view draws: once per config. */
  private uploadMaps(): void {
    for (const layer of Object.values(this.maps)) layer?.buffer.destroy();
    const n = this.config.grid.n;
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
      this.maps[field] = { field, buffer, n: uniform ? 1 : n, lo, hi, uniform };
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
    this.theoryDensity?.buffer.destroy();
    this.theoryDensity = null;
    const local = t?.localDensity;
    if (!local) return;
    const uniform = t.method === 'fourier';
    const values = uniform ? Float32Array.of(local[0]) : Float32Array.from(local);
    this.theoryDensity = { buffer: this.upload('theory density', values), n: uniform ? 1 : this.config.grid.n, range: percentile99(local) };
  }

  /**
   * The slowest relaxation time, 1/min Re a_k: for a slope map, over the
   * uniform fields at its smallest and largest slopes (the dense theory may
   * still be computing); 10τ for a nonlinear field.
   */
  private relaxationTime(): number {
    const c = this.config;
    if (c.transfer.type !== 'linear') return 10 * c.tau;
    const v = fieldValues(c, 'transfer.slope');
    const slopes = typeof v === 'number' ? [v] : v.reduce((e, s) => [Math.min(e[0], s), Math.max(e[1], s)], [Infinity, -Infinity]);
    const kernel = stencilSpectrum(c.grid.n, kernelStencil(c));
    let slowest = Infinity;
    for (const slope of new Set(slopes)) for (const a of modesForSlope(c, slope, kernel).aRe) slowest = Math.min(slowest, a);
    return slowest > 0 ? 1 / slowest : 10 * c.tau;
  }

  /**
   * A new open-ended run on the current engine: the estimators attach after
   * a burn-in of three relaxation times (at most 5000 steps), with blocks two
   * relaxation times long.
   */
  restartEstimators(): void {
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
      : new Run(this.engine, {
          steps: Infinity,
          burnIn: Math.min(5000, Math.ceil(3 * relax)),
          blockSteps: Math.max(10, Math.min(2000, Math.ceil(2 * relax))),
          checked: true,
        });
  }

  get observedSteps(): number {
    return this.run?.measured ?? 0;
  }

  /** Advances `steps` (attaching the estimators when the burn-in ends) and updates the estimate. */
  advance(steps: number): Promise<void> {
    return this.exclusive(() => this.stepAndObserve(steps));
  }

  private async stepAndObserve(steps: number): Promise<void> {
    const started = performance.now();
    if (this.run) await this.run.advance(steps);
    else await this.engine.advance(steps);
    const seconds = (performance.now() - started) / 1000;
    this.throughput = (steps * this.config.grid.n ** 2) / Math.max(seconds, 1e-9);
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

  /** 1/(T·Δx²): turns the density buffer's sums into a rate per unit area. */
  get densityScale(): number {
    const steps = this.observedSteps;
    return steps > 0 ? 1 / (steps * this.config.dt * cellSize(this.config) ** 2) : 0;
  }

  /** The colour range of the density map: the 99th percentile of |rate| (one read-back); and how it matches the theory's. */
  updateDensityRange(): Promise<void> {
    return this.exclusive(() => this.densityRangeNow());
  }

  /** The measured density map per unit area and time (replica 0), or null before the estimators attach. */
  readDensity(): Promise<Float64Array | null> {
    return this.exclusive(() => this.densityNow());
  }

  private async densityNow(): Promise<Float64Array | null> {
    const entropy = this.run?.attached?.entropy;
    if (!entropy) return null;
    const scale = this.densityScale;
    const n2 = this.config.grid.n ** 2;
    return Float64Array.from((await entropy.density()).subarray(0, n2), (v) => v * scale);
  }

  private async densityRangeNow(): Promise<void> {
    const d = await this.densityNow();
    if (!d) return;
    this.densityRange = percentile99(d);
    const theory = this.theory?.method !== 'fourier' ? (this.theory?.localDensity ?? null) : null;
    this.densityMatch = theory && theory.length === d.length ? { correlation: correlation(d, theory) } : null;
  }

  /** The colour range shared by the measured and the theory's density maps. */
  get sharedDensityRange(): number {
    return Math.max(this.densityRange, this.theoryDensity?.range ?? 0) || 1;
  }
}

/** The 99th percentile of |v|. */
function percentile99(values: ArrayLike<number>): number {
  const magnitudes = Float64Array.from(values, Math.abs).sort();
  return magnitudes[Math.floor(0.99 * (magnitudes.length - 1))] ?? 0;
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
