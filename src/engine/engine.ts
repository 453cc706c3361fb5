import type { Config } from '../config/schema.js';

/**
 * What every engine (the float64 CPU reference, the WebGPU engine) offers the
 * run driver. Fields are R replicas of n×n cells, replica-major, row = y.
 */
export interface Engine {
  readonly config: Config;
  readonly replicas: number;
  readonly backend: BackendInfo;
  /** Steps taken so far: the next step draws noise with this step index. */
  readonly stepIndex: number;
  /** Takes `steps` Euler–Maruyama steps, notifying every attached estimator. */
  advance(steps: number): Promise<void>;
  /** A copy of the current field u_n. */
  readField(): Promise<Float64Array>;
  /** Attaches spec §4's entropy-production estimator from the next step on. */
  attachEntropyProduction(blockSteps: number): Promise<EntropyProductionEstimator>;
  /** Attaches the pooled one-cell variance estimator from the next step on. */
  attachCellVariance(blockSteps: number): Promise<CellVarianceEstimator>;
  /** Everything needed to continue this run bit for bit elsewhere. */
  saveState(): Promise<EngineState>;
  restoreState(state: EngineState): Promise<void>;
  dispose(): void;
}

export interface BackendInfo {
  kind: 'cpu' | 'gpu';
  /** Human-readable: "CPU reference (float64)" or the adapter's description. */
  description: string;
}

export interface EngineState {
  stepIndex: number;
  replicas: number;
  n: number;
  field: Float64Array;
}

/** Sums over blocks of consecutive steps: what batch means need, and nothing per step. */
export interface BlockSums {
  /** Steps in each block (the last one may be shorter). */
  steps: number[];
  /** Per block, a sum over its steps (and replicas and cells, as each estimator says). */
  sums: number[];
  /** Per block and replica, the same sum for that replica alone (entropy production only). */
  replicaSums?: number[][];
}

export interface EntropyProductionEstimator {
  /** Per block: Σ over steps, replicas and cells of s_i(n) (nats). */
  blocks(): Promise<BlockSums>;
  /** Per replica and cell: Σ over the observed steps of s_i(n) (nats), replica-major. */
  density(): Promise<Float64Array>;
  detach(): void;
}

export interface CellVarianceEstimator {
  /** Per block: Σ of (u − ref) and of (u − ref)² over its steps, replicas and cells. */
  blocks(): Promise<{ first: BlockSums; second: BlockSums; reference: number; samplesPerStep: number }>;
  detach(): void;
}
