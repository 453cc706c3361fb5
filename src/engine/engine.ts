import type { Config } from '../config/schema.js';
import type { Observer } from './observer.js';

/**
 * What every engine (the float64 CPU reference, the WebGPU engine) offers a
 * run. Fields are R replicas of n×n cells, replica-major, row = y. An engine
 * steps; everything measured is an observer attached with `observe`.
 */
export interface Engine {
  readonly config: Config;
  readonly replicas: number;
  readonly backend: BackendInfo;
  /** Steps taken so far: the next step draws noise with this step index. */
  readonly stepIndex: number;
  /** Host seconds spent reading back and handing over the fields that observers sampled. */
  readonly sampleSeconds: number;
  /** Takes `steps` Euler–Maruyama steps, feeding every attached observer. */
  advance(steps: number): Promise<void>;
  /** A copy of the current field u_n. */
  readField(): Promise<Float64Array>;
  /** Attaches an observer from the next step on; its session's handle comes back. */
  observe<Handle>(observer: Observer<Handle>): Promise<Handle>;
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
  /** The grid's field shape: [ny, nx], or [n] on a ring. */
  shape: readonly number[];
  field: Float64Array;
}

/** The refusal both engines give a state of another shape. */
export function checkStateShape(state: EngineState, replicas: number, shape: readonly number[]): void {
  const same = state.shape.length === shape.length && state.shape.every((d, i) => d === shape[i]);
  if (state.replicas !== replicas || !same) {
    throw new Error(
      `state of ${state.replicas} replica(s) of shape [${state.shape.join(', ')}] cannot be restored into an engine of ${replicas} of shape [${shape.join(', ')}]`,
    );
  }
}
