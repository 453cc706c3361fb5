import type { Config } from '../config/schema.js';
import { checkStateShape, type BackendInfo, type Engine, type EngineState } from '../engine/engine.js';
import { initialField } from '../engine/initial.js';
import type { Observer, StepView } from '../engine/observer.js';
import { stepCoefficients, type StepCoefficients } from '../model/coefficients.js';
import { DriftOperator } from '../model/drift.js';
import { PeriodicConvolver } from '../model/stencil.js';
import { fillNormalPairs, fillNormals, philoxKey, stepWords, STREAM_NOISE } from '../rng/philox.js';
import { CpuObservation } from './cpu-observation.js';
import { InverseCovariance } from './inverse-covariance.js';

/**
 * The reference engine: float64, exactly docs/model.md §2–§3, one step at a time.
 *
 *   F(u) = (−u + K f(u) + h)/τ
 *   u_{n+1} = u_n + dt·F(u_n) + √(2 D dt)/Δx · (G) ξ(n)
 *   (correlated noise with a white floor w: √(1 − w)·G ξ + √w·ξ′)
 *
 * With maps (docs/model.md §8) slope, input and D are per cell, and the noise
 * amplitude √(2 D_i dt)/Δx multiplies after the spatial correlation.
 *
 * The drift at u_{n+1} is kept for the next step, so each step convolves once
 * and observers get F(u_n) and F(u_{n+1}) for free; H F likewise when an
 * observer needs the inverse noise covariance.
 */
export class CpuEngine implements Engine {
  readonly backend: BackendInfo = { kind: 'cpu', description: 'CPU reference (float64, one core)' };
  readonly coefficients: StepCoefficients;
  private u: Float64Array;
  private uNext: Float64Array;
  private F: Float64Array;
  private FNext: Float64Array;
  /** H F(u_n), H F(u_{n+1}) while an observer needs them; valid for step `hStep`. */
  private hF: Float64Array;
  private hFNext: Float64Array;
  private hStep = -1;
  private readonly normals: Float64Array;
  private readonly shaped: Float64Array;
  private readonly floor: Float64Array;
  private readonly words = new Uint32Array(4);
  private readonly drift: DriftOperator;
  private readonly noiseFilter: PeriodicConvolver | undefined;
  private readonly inverseCovariance: InverseCovariance | undefined;
  private readonly key: [number, number];
  private readonly observation = new CpuObservation();
  private step = 0;

  constructor(readonly config: Config, readonly replicas = 1) {
    if (!(Number.isInteger(replicas) && replicas >= 1)) throw new Error(`replicas must be an integer ≥ 1 (got ${replicas})`);
    const c = (this.coefficients = stepCoefficients(config));
    const size = replicas * c.cells;
    this.u = initialField(config, replicas);
    this.uNext = new Float64Array(size);
    this.F = new Float64Array(size);
    this.FNext = new Float64Array(size);
    this.normals = new Float64Array(c.cells);
    this.shaped = new Float64Array(c.cells);
    this.floor = new Float64Array(c.cells);
    this.drift = new DriftOperator(config);
    this.noiseFilter = c.correlated && new PeriodicConvolver(c.grid, c.correlated.stencil);
    // With a noise map the estimator needs diag(√D)·H·diag(1/√D) F (docs/model.md §8).
    const rootD = typeof c.diffusion === 'number' ? undefined : c.diffusion.map(Math.sqrt);
    this.inverseCovariance = c.correlated && new InverseCovariance(c.grid, c.correlated.inversePower, rootD);
    this.hF = this.inverseCovariance ? new Float64Array(size) : this.F;
    this.hFNext = this.inverseCovariance ? new Float64Array(size) : this.FNext;
    this.key = philoxKey(config.seed);
    this.computeDrift(this.u, this.F);
  }

  get stepIndex(): number {
    return this.step;
  }

  get cells(): number {
    return this.coefficients.cells;
  }

  get sampleSeconds(): number {
    return this.observation.sampleSeconds;
  }

  observe<H>(observer: Observer<H>): Promise<H> {
    return this.observation.attach(
      observer,
      {
        config: this.config,
        coefficients: this.coefficients,
        replicas: this.replicas,
        stepIndex: this.step,
        readField: () => this.readField(),
      },
      this.replicas,
      this.cells,
    );
  }

  async advance(steps: number): Promise<void> {
    for (let s = 0; s < steps; s++) this.stepOnce();
  }

  /** One step, synchronously: the body of advance(). */
  stepOnce(): void {
    const { u, uNext, F, normals, replicas } = this;
    const c = this.coefficients;
    const N = c.cells;
    const dt = c.dt;
    const noiseScale = c.noiseScale;
    for (let r = 0; r < replicas; r++) {
      let noise = normals;
      if (!c.correlated) {
        fillNormals(normals, this.step, r, STREAM_NOISE, this.key, this.words);
      } else {
        // G ξ, and with a white floor √(1 − w)·G ξ + √w·ξ′.
        fillNormalPairs(normals, this.floor, this.step, r, STREAM_NOISE, this.key, this.words);
        this.noiseFilter!.apply(normals, this.shaped);
        const { shapedWeight: a, floorWeight: b } = c.correlated;
        if (b > 0) for (let i = 0; i < N; i++) this.shaped[i] = a * this.shaped[i] + b * this.floor[i];
        noise = this.shaped;
      }
      const o = r * N;
      if (typeof noiseScale === 'number') {
        for (let i = 0; i < N; i++) uNext[o + i] = u[o + i] + dt * F[o + i] + noiseScale * noise[i];
      } else {
        for (let i = 0; i < N; i++) uNext[o + i] = u[o + i] + dt * F[o + i] + noiseScale[i] * noise[i];
      }
    }
    this.computeDrift(uNext, this.FNext);
    if (this.observation.active) this.observation.step(this.view());
    [this.u, this.uNext] = [this.uNext, this.u];
    [this.F, this.FNext] = [this.FNext, this.F];
    if (this.inverseCovariance) [this.hF, this.hFNext] = [this.hFNext, this.hF];
    else [this.hF, this.hFNext] = [this.F, this.FNext];
    this.step++;
  }

  /** The step just taken, with H F and H F′ brought up to date when an observer needs them. */
  private view(): StepView {
    if (this.inverseCovariance && this.observation.needsInverseCovariance) {
      // H F′ of one step is the H F of the next: one transform per step.
      if (this.hStep !== this.step) this.inverseCovariance.apply(this.F, this.hF, this.replicas);
      this.inverseCovariance.apply(this.FNext, this.hFNext, this.replicas);
      this.hStep = this.step + 1;
    }
    return {
      step: this.step,
      replicas: this.replicas,
      cells: this.cells,
      coefficients: this.coefficients,
      u: this.u,
      uNext: this.uNext,
      drift: this.F,
      driftNext: this.FNext,
      inverseDrift: this.hF,
      inverseDriftNext: this.hFNext,
    };
  }

  private computeDrift(u: Float64Array, out: Float64Array): void {
    this.drift.apply(u, out, this.replicas);
  }

  async readField(): Promise<Float64Array> {
    return this.u.slice();
  }

  async saveState(): Promise<EngineState> {
    return { stepIndex: this.step, replicas: this.replicas, shape: this.coefficients.grid.shape, field: this.u.slice() };
  }

  async restoreState(state: EngineState): Promise<void> {
    checkStateShape(state, this.replicas, this.coefficients.grid.shape);
    stepWords(state.stepIndex); // refuses, before anything changes, an index the Philox counter cannot hold
    this.u.set(state.field);
    this.step = state.stepIndex;
    this.hStep = -1;
    this.computeDrift(this.u, this.F);
  }

  dispose(): void {
    this.observation.clear();
  }
}
