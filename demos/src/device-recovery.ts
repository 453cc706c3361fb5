import type { Config } from '../../src/config/schema.js';
import type { EngineState } from '../../src/engine/engine.js';

/**
 * How many device losses the page recovers from within LOSS_WINDOW_MS before
 * it gives up: a driver that keeps resetting (or a config that keeps running
 * the GPU out of memory) would otherwise rebuild the page's GPU work forever.
 */
export const MAX_LOSSES = 3;
export const LOSS_WINDOW_MS = 60_000;

/** Counts device losses in a sliding window; `record` says whether the page may try again. */
export class LossBudget {
  private readonly times: number[] = [];

  constructor(
    readonly maxLosses = MAX_LOSSES,
    readonly windowMs = LOSS_WINDOW_MS,
  ) {}

  /** Records a loss at `now` (ms); false once this is the `maxLosses`-th loss within `windowMs`. */
  record(now: number): boolean {
    this.times.push(now);
    while (this.times.length && now - this.times[0] > this.windowMs) this.times.shift();
    return this.times.length < this.maxLosses;
  }

  /** Losses within the window at the last `record`. */
  get recent(): number {
    return this.times.length;
  }
}

/**
 * The shortest time between two saves: what a loss can cost at most, in
 * simulated steps, on a grid where a save is cheap (a 256² field reads back
 * in a millisecond or two on a GPU).
 */
export const MIN_SAVE_INTERVAL_MS = 2_000;
/**
 * Saving reads the whole field back and converts it (GpuEngine.saveState): at
 * 4096² that is 64 MiB over the bus and a 128 MiB array, tens to hundreds of
 * milliseconds. Waiting this many times the last save's cost between saves
 * keeps saving under 2% of the page's time whatever the grid.
 */
export const SAVE_COST_FACTOR = 50;

/**
 * The last good state of the running field, kept in memory for a recovery: a
 * copy of the engine's state (replica 0's field and its step) with the config
 * that made it. A state with a non-finite value is not kept (a diverging run
 * would otherwise be "recovered" into the same blow-up).
 */
export class LastGoodState {
  private kept: { config: Config; state: EngineState } | undefined;
  private savedAt = -Infinity;
  private costMs = 0;

  /** The wait after the last save: MIN_SAVE_INTERVAL_MS, or SAVE_COST_FACTOR times the last save's cost when that is longer. */
  get intervalMs(): number {
    return Math.max(MIN_SAVE_INTERVAL_MS, SAVE_COST_FACTOR * this.costMs);
  }

  /** Whether a save is due at `now` (ms). */
  due(now: number): boolean {
    return now - this.savedAt >= this.intervalMs;
  }

  /** Offers a state saved at `now` that took `costMs`; keeps it when all its values are finite, and says whether it did. */
  offer(config: Config, state: EngineState, costMs: number, now: number): boolean {
    this.savedAt = now;
    this.costMs = costMs;
    if (!state.field.every(Number.isFinite)) return false;
    this.kept = { config, state };
    return true;
  }

  /** The kept state if it is one of `config`'s field (the same config object: the page replaces it on every change), else undefined. */
  stateFor(config: Config): EngineState | undefined {
    return this.kept?.config === config ? this.kept.state : undefined;
  }

  /** Forgets the state (a reset or a new config starts the field again). */
  clear(): void {
    this.kept = undefined;
    this.savedAt = -Infinity;
  }
}

/** "unknown: GPU process crashed" — what the browser said of a loss, in one phrase. */
export function describeLoss(info: { reason: string; message: string }): string {
  return `${info.reason}${info.message ? `: ${info.message}` : ''}`;
}
