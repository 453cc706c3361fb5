import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { gpuUnsupported } from '../../src/gpu/capabilities.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { cellSize } from '../../src/model/kernels.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { Run } from '../../src/run/run.js';
import { fourierTheory, type FourierTheory } from '../../src/theory/fourier.js';
import { TheoryNotApplicable } from '../../src/theory/modes.js';

export interface EstimatePoint {
  time: number;
  estimate: number;
  stderr: number;
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
  theory: FourierTheory | null = null;
  theoryNote = '';
  estimatorNote = '';
  stepsPerFrame = 20;
  running = true;
  history: EstimatePoint[] = [];
  latest: EstimatePoint | undefined;
  blocks = 0;
  fieldRange = { lo: -1, hi: 1 };
  densityRange = 1;
  /** Steps per second and cell-steps per second of the last frame's stepping. */
  throughput = 0;
  /** The run measuring the current engine (none when the GPU cannot estimate this config: `estimatorNote`). */
  private run: Run | undefined;
  private queue: Promise<unknown> = Promise.resolve();

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

  /** Validates and applies a config; throws (ConfigError, GpuError) and keeps the old run if it is refused. */
  apply(input: ConfigInput | Config, keepField = true): Promise<void> {
    return this.exclusive(() => this.replace(input, keepField));
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

  private async replace(input: ConfigInput | Config, keepField: boolean): Promise<void> {
    const config = parseConfig(structuredClone(input));
    assertRunnable(config);
    const engine = await GpuEngine.create(this.device, this.adapterName, config, 1);
    if (keepField && this.engine && this.config.grid.n === config.grid.n) {
      await engine.restoreState(await this.engine.saveState());
    }
    this.engine?.dispose();
    this.engine = engine;
    this.config = config;
    this.computeTheory();
    this.restartEstimators();
  }

  private computeTheory(): void {
    try {
      this.theory = fourierTheory(this.config);
      this.theoryNote = '';
    } catch (e) {
      if (!(e instanceof TheoryNotApplicable)) throw e;
      this.theory = null;
      this.theoryNote = e.message;
    }
  }

  /** The slowest relaxation time: 1/min Re a_k for a linear field, 10τ otherwise. */
  private relaxationTime(): number {
    if (!this.theory) return 10 * this.config.tau;
    let slowest = Infinity;
    for (const a of this.theory.modes.aRe) slowest = Math.min(slowest, a);
    return 1 / slowest;
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
    const relax = this.relaxationTime() / this.config.dt;
    this.estimatorNote = gpuUnsupported(this.config) ?? '';
    this.run = this.estimatorNote
      ? undefined
      : new Run(this.engine, {
          steps: Infinity,
          burnIn: Math.min(5000, Math.ceil(3 * relax)),
          blockSteps: Math.max(10, Math.min(2000, Math.ceil(2 * relax))),
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

  /** The colour range of the density map: the 99th percentile of |rate| (one read-back). */
  updateDensityRange(): Promise<void> {
    return this.exclusive(() => this.densityRangeNow());
  }

  private async densityRangeNow(): Promise<void> {
    const entropy = this.run?.attached?.entropy;
    if (!entropy) return;
    const d = await entropy.density();
    const scale = this.densityScale;
    const magnitudes = Float64Array.from(d, (v) => Math.abs(v * scale)).sort();
    this.densityRange = magnitudes[Math.floor(0.99 * (magnitudes.length - 1))] || 1;
  }
}
