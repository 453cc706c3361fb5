import type { Config } from '../config/schema.js';
import type { StepCoefficients } from '../model/coefficients.js';

/**
 * Estimators are observers of a run (py-pde's trackers): the engine steps,
 * the observer measures, and neither knows the other's insides. An observer
 * is one folder under src/estimators/: a definition (this contract), its
 * per-cell arithmetic for the CPU engine in float64 and the same arithmetic
 * in WGSL for the GPU engine, and a host side that turns per-step sums into
 * results. The engines do everything else: they run the observer's
 * arithmetic on every observed step and hand its sums to the host side.
 *
 * Per step and replica an observer yields `width` sums over the cells (on the
 * GPU: summed in float32 as a tree per workgroup and per step, then added in
 * float64 on the host). It may also keep a per-cell map (Σ over the observed
 * steps of a per-cell value, like the entropy-production density), and it may
 * ask for whole fields on chosen steps (`sample`), read back to the host.
 */
export interface Observer<Handle> {
  /**
   * Letters and digits, starting with a letter (`^[A-Za-z][A-Za-z0-9]*$`): the
   * WGSL names `<name>_observe`, `<name>_map` and `<name>_<param>` are made from it.
   */
  readonly name: string;
  /** Sums per replica and step (0 for an observer that only samples). */
  readonly width: number;
  /** Keeps a per-cell map (replica-major, one value per cell). */
  readonly cellMap?: boolean;
  /** Needs the inverse noise covariance applied to the drifts (H F, H F′: correlated noise). */
  readonly inverseCovariance?: boolean;
  /** Names of the scalar parameters its arithmetic reads (set per attachment by `start`). */
  readonly params?: readonly string[];
  /**
   * The CPU arithmetic of one step: out[r·width + j] = sum j of replica r;
   * adds its per-cell values into `map` when it keeps one. `params` holds
   * each replica's values, replica-major (params.length / replicas per
   * replica, in the order of `params`). Float64, readable: the reference the
   * WGSL must agree with.
   */
  cpu?(step: StepView, params: Float64Array, out: Float64Array, map: Float64Array | undefined): void;
  /**
   * The GPU arithmetic: WGSL defining `fn <name>_observe(c: ObservedCell) -> vec4f`,
   * whose first `width` components are the cell's contributions (an observer
   * wider than 4 returns `array<vec4f, ⌈width/4⌉>`, sum j at [j/4][j%4]). It reads the
   * step through the accessors of `ObservedCell` (docs in src/gpu/observation/observed-cell.wgsl),
   * its parameters as `observer_params.<name>_<param>`, and adds to its map as
   * `<name>_map[c.g]`.
   */
  readonly wgsl?: string;
  /** Attaches the host side: called once when the observer is attached, before the next step. */
  start(link: ObserverLink): Promise<ObserverSession<Handle>> | ObserverSession<Handle>;
}

/** What an engine offers an attached observer's host side. */
export interface ObserverLink {
  readonly config: Config;
  readonly coefficients: StepCoefficients;
  readonly replicas: number;
  /** The index n of the next step, the first this observer sees. */
  readonly stepIndex: number;
  /** A copy of the current field u_n (replica-major). */
  readField(): Promise<Float64Array>;
  /** A copy of this observer's per-cell map (replica-major), when it keeps one. */
  readMap(): Promise<Float64Array>;
  /**
   * Replaces this observer's per-cell map (a resumed run puts back what
   * `readMap` gave): stored at the engine's precision, so float32 values come
   * back exactly on the GPU engine.
   */
  writeMap(map: Float64Array): Promise<void>;
  /** Stops observing; the handle's results stay readable. */
  detach(): void;
}

export interface ObserverSession<Handle> {
  /** Values of the observer's `params`, in order (f32 on the GPU), the same for every replica. */
  params?: number[];
  /**
   * Instead of `params`: one row of values per replica. A batch of configs
   * (src/run/batch/) gives each member's replicas that member's values; the
   * WGSL reads them as `observer_params.<name>_<param>` all the same.
   */
  replicaParams?: number[][];
  /** One step's sums: sums[r·width + j]. Called in step order. */
  add?(step: number, sums: Float64Array): void;
  /** Whole fields u_n and u_{n+1} (replica-major) of the steps for which `wants(n)` holds. */
  sample?: { wants(step: number): boolean; add(step: number, u: Float64Array, uNext: Float64Array): void };
  /** What the caller gets back from `engine.observe`. */
  handle: Handle;
}

/**
 * A run's checkpoint (src/run/checkpoint/) holds every observer's host state:
 * an observer that can be resumed gives its handle `snapshot()`, made of JSON
 * values and typed arrays (float64 kept exactly, its per-cell map included,
 * read through `readMap`), and its factory takes that snapshot back to start
 * where it left off (putting the map back with `writeMap`). A snapshot is
 * taken between two `advance` calls, when every step's sums are in.
 */
export interface Snapshotting<State> {
  snapshot(): Promise<State>;
}

/**
 * One Euler–Maruyama step as the CPU arithmetic of observers sees it: u_n,
 * u_{n+1}, the drifts F(u_n), F(u_{n+1}) of every replica (replica-major), and
 * for correlated noise the drifts with the inverse noise covariance applied.
 */
export interface StepView {
  /** n: the index of u_n. */
  step: number;
  replicas: number;
  cells: number;
  coefficients: StepCoefficients;
  u: Float64Array;
  uNext: Float64Array;
  drift: Float64Array;
  driftNext: Float64Array;
  /**
   * H F(u_n) and H F(u_{n+1}), H the inverse of the normalised noise covariance;
   * the drifts themselves for white noise (H = I). With a noise-amplitude map and
   * correlated noise, diag(√D)·H·diag(1/√D) F (docs/model.md §8), so that
   * entropyWeight_i·[Δ_i(h_i + h′_i) + (dt/2)(F′_i h′_i − F_i h_i)] stays the exact log-ratio.
   */
  inverseDrift: Float64Array;
  inverseDriftNext: Float64Array;
}
