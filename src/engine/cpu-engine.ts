import type { Config } from '../config/schema.js';
import { CpuCellVariance } from '../estimators/cpu-cell-variance.js';
import { CpuEntropyProduction } from '../estimators/cpu-entropy-production.js';
import { DriftOperator } from '../model/drift.js';
import { cellSize, noiseStencil } from '../model/kernels.js';
import { PeriodicConvolver } from '../model/stencil.js';
import { fillNormalPairs, fillNormals, philoxKey, STREAM_NOISE } from '../rng/philox.js';
import type {
  BackendInfo, CellVarianceEstimator, Engine, EngineState, EntropyProductionEstimator,
} from './engine.js';
import { initialField } from './initial.js';

/**
 * One Euler–Maruyama step as the CPU engine's observers see it: u_n, u_{n+1}
 * and the drifts F(u_n), F(u_{n+1}) of every replica (replica-major).
 */
export interface StepView {
  /** n: the index of u_n. */
  step: number;
  replicas: number;
  cells: number;
  u: Float64Array;
  uNext: Float64Array;
  drift: Float64Array;
  driftNext: Float64Array;
}

export interface StepObserver {
  onStep(view: StepView): void;
}

/**
 * The reference engine: float64, exactly spec §2–§3, one step at a time.
 *
 *   F(u) = (−u + K f(u) + h)/τ
 *   u_{n+1} = u_n + dt·F(u_n) + √(2 D dt)/Δx · (G) ξ(n)
 *   (correlated noise with a white floor w: √(1 − w)·G ξ + √w·ξ′)
 *
 * The drift at u_{n+1} is kept for the next step, so each step convolves once
 * and the estimators get F(u_n) and F(u_{n+1}) for free.
 */
export class CpuEngine implements Engine {
  readonly backend: BackendInfo = { kind: 'cpu', description: 'CPU reference (float64, one core)' };
  private u: Float64Array;
  private uNext: Float64Array;
  private F: Float64Array;
  private FNext: Float64Array;
  private readonly normals: Float64Array;
  private readonly shaped: Float64Array;
  private readonly floor: Float64Array;
  private readonly words = new Uint32Array(4);
  private readonly drift: DriftOperator;
  private readonly noiseFilter: PeriodicConvolver | undefined;
  private readonly key: [number, number];
  private readonly noiseScale: number;
  private readonly observers = new Set<StepObserver>();
  private step = 0;

  constructor(readonly config: Config, readonly replicas = 1) {
    if (!(Number.isInteger(replicas) && replicas >= 1)) throw new Error(`replicas must be an integer ≥ 1 (got ${replicas})`);
    const N = config.grid.n ** 2;
    this.u = initialField(config, replicas);
    this.uNext = new Float64Array(replicas * N);
    this.F = new Float64Array(replicas * N);
    this.FNext = new Float64Array(replicas * N);
    this.normals = new Float64Array(N);
    this.shaped = new Float64Array(N);
    this.floor = new Float64Array(N);
    this.drift = new DriftOperator(config);
    const g = noiseStencil(config);
    this.noiseFilter = g && new PeriodicConvolver(config.grid.n, g);
    this.key = philoxKey(config.seed);
    this.noiseScale = Math.sqrt(2 * config.noise.amplitude * config.dt) / cellSize(config);
    this.computeDrift(this.u, this.F);
  }

  get stepIndex(): number {
    return this.step;
  }

  get cells(): number {
    return this.config.grid.n ** 2;
  }

  /** Attaches a raw per-step observer; returns its detach function. */
  observe(observer: StepObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  async attachEntropyProduction(blockSteps: number): Promise<EntropyProductionEstimator> {
    const estimator = new CpuEntropyProduction(this.config, this.replicas, blockSteps);
    const detach = this.observe(estimator);
    return estimator.withDetach(detach);
  }

  async attachCellVariance(blockSteps: number): Promise<CellVarianceEstimator> {
    const estimator = new CpuCellVariance(this.replicas * this.cells, blockSteps);
    const detach = this.observe(estimator);
    return estimator.withDetach(detach);
  }

  async advance(steps: number): Promise<void> {
    for (let s = 0; s < steps; s++) this.stepOnce();
  }

  /** One step, synchronously: the body of advance(). */
  stepOnce(): void {
    const { u, uNext, F, normals, replicas, noiseScale } = this;
    const N = this.cells;
    const dt = this.config.dt;
    const w = this.config.noise.whiteFraction;
    for (let r = 0; r < replicas; r++) {
      let noise = normals;
      if (!this.noiseFilter) {
        fillNormals(normals, this.step, r, STREAM_NOISE, this.key, this.words);
      } else {
        // G ξ, and with a white floor √(1 − w)·G ξ + √w·ξ′.
        fillNormalPairs(normals, this.floor, this.step, r, STREAM_NOISE, this.key, this.words);
        this.noiseFilter.apply(normals, this.shaped);
        if (w > 0) {
          const [a, b] = [Math.sqrt(1 - w), Math.sqrt(w)];
          for (let i = 0; i < N; i++) this.shaped[i] = a * this.shaped[i] + b * this.floor[i];
        }
        noise = this.shaped;
      }
      const o = r * N;
      for (let i = 0; i < N; i++) uNext[o + i] = u[o + i] + dt * F[o + i] + noiseScale * noise[i];
    }
    this.computeDrift(uNext, this.FNext);
    if (this.observers.size) {
      const view: StepView = {
        step: this.step, replicas, cells: N, u, uNext, drift: F, driftNext: this.FNext,
      };
      for (const o of this.observers) o.onStep(view);
    }
    [this.u, this.uNext] = [this.uNext, this.u];
    [this.F, this.FNext] = [this.FNext, this.F];
    this.step++;
  }

  private computeDrift(u: Float64Array, out: Float64Array): void {
    this.drift.apply(u, out, this.replicas);
  }

  async readField(): Promise<Float64Array> {
    return this.u.slice();
  }

  async saveState(): Promise<EngineState> {
    return { stepIndex: this.step, replicas: this.replicas, n: this.config.grid.n, field: this.u.slice() };
  }

  async restoreState(state: EngineState): Promise<void> {
    if (state.replicas !== this.replicas || state.n !== this.config.grid.n) {
      throw new Error(
        `state of ${state.replicas} replica(s) on ${state.n}² cells cannot be restored into an engine of ${this.replicas} on ${this.config.grid.n}²`,
      );
    }
    this.u.set(state.field);
    this.step = state.stepIndex;
    this.computeDrift(this.u, this.F);
  }

  dispose(): void {
    this.observers.clear();
  }
}
