import type { Engine } from '../engine/engine.js';
import { DeviceLostError } from '../gpu/errors.js';
import { Run, type RunState } from './run.js';

/**
 * Going on after the GPU device is lost (a driver reset, memory exhausted,
 * `device.destroy()`): the run driver (simulate.ts) keeps an in-memory
 * snapshot of the run (Run.snapshot), and on a DeviceLostError asks for a new
 * engine, resumes the snapshot on it (Run.resume) and carries on. The snapshot
 * is exact and the new engine runs the lost one's set-up, so on the same
 * adapter the run ends bit for bit as an undisturbed one.
 */
export interface Recovery {
  /**
   * A fresh engine like `lost` (config, replicas, convolution path, noise
   * shaping, separable column workgroup: another set-up rounds differently) on
   * a new device. The CLI's builds on node-device.ts (create-engine.ts:
   * reacquireGpuEngine).
   */
  reacquire: (lost: Engine) => Promise<Engine>;
  /** Told after each recovery (the CLI: one line on stderr). */
  onRecovered?: (event: RecoveryEvent) => void;
  /** Least seconds of stepping between two in-memory snapshots (default SNAPSHOT_SECONDS). */
  snapshotSeconds?: number;
  /** The most losses within `lossWindowSeconds` that are recovered from (default MAX_LOSSES). */
  maxLosses?: number;
  /** default LOSS_WINDOW_SECONDS */
  lossWindowSeconds?: number;
}

export interface RecoveryEvent {
  /** WebGPU's reason and message (device.lost). */
  reason: string;
  message: string;
  /** The step (of the run, burn-in included) it went on from. */
  fromStep: number;
  total: number;
  /** The new engine's adapter; `sameAdapter` false: the numbers now differ from an undisturbed run's in rounding. */
  description: string;
  sameAdapter: boolean;
}

/**
 * Snapshots are taken by wall time, not every K pieces: a snapshot reads back
 * the field and every per-cell map (at 4096² with one replica, ~200 MiB, and
 * as many bytes again on the host as float64), which costs the same whatever
 * a piece holds, while pieces (1/200 of the run) last anything from
 * microseconds to minutes. At most one every SNAPSHOT_SECONDS of stepping,
 * and never more often than SNAPSHOT_OVERHEAD times its own cost, so that
 * snapshots take at most 1/SNAPSHOT_OVERHEAD of the run; a loss replays at
 * most about that long. Measured on llvmpipe (one replica, the measured
 * phase's observers attached): 0.3 ms at 32², 1.4 ms at 256², 4 ms at 512²,
 * about a tenth of a step there; the time floor, not the cost, sets the cadence.
 */
export const SNAPSHOT_SECONDS = 10;
export const SNAPSHOT_OVERHEAD = 20;
/** A device lost more often than this is failing, not unlucky: the run gives up. */
export const MAX_LOSSES = 3;
export const LOSS_WINDOW_SECONDS = 600;

/**
 * The device was lost and the run cannot go on: lost more often than Recovery
 * allows, or no new device to be had. The run stops, nothing of it written.
 */
export class DeviceRecoveryFailed extends DeviceLostError {
  constructor(last: DeviceLostError, why: string) {
    super(last.reason, last.lostMessage);
    this.name = 'DeviceRecoveryFailed';
    this.message = `the GPU device was lost (${last.reason}: ${last.lostMessage || 'no message'}) and the run cannot go on: ${why}`;
  }
}

/**
 * One run's recovery: its latest snapshot, the losses so far, and the engines
 * it made (disposed by `dispose`; the engine the run started on is the caller's).
 */
export class Recoverer {
  private latest: RunState | undefined;
  private lastAt = performance.now();
  private lastCost = 0;
  private readonly losses: number[] = [];
  private readonly made: Engine[] = [];
  private readonly snapshotSeconds: number;
  private readonly maxLosses: number;
  private readonly lossWindowSeconds: number;

  constructor(private readonly recovery: Recovery, private readonly checked = false) {
    this.snapshotSeconds = recovery.snapshotSeconds ?? SNAPSHOT_SECONDS;
    this.maxLosses = recovery.maxLosses ?? MAX_LOSSES;
    this.lossWindowSeconds = recovery.lossWindowSeconds ?? LOSS_WINDOW_SECONDS;
  }

  /** A snapshot the caller already holds (a resumed run's checkpoint): nothing to read back. */
  keep(state: RunState): void {
    this.latest = state;
    this.lastAt = performance.now();
  }

  /**
   * Takes a snapshot of `run` (between two pieces) when one is due, or when
   * `force` (a checkpoint is being written from it: the file is then never
   * newer than memory), or when there is none yet. Returns it when taken.
   */
  async snapshot(run: Run, force = false): Promise<RunState | undefined> {
    const since = (performance.now() - this.lastAt) / 1000;
    if (!force && this.latest && since < Math.max(this.snapshotSeconds, SNAPSHOT_OVERHEAD * this.lastCost)) return undefined;
    const t0 = performance.now();
    const state = await run.snapshot();
    this.lastAt = performance.now();
    this.lastCost = (this.lastAt - t0) / 1000;
    this.latest = state;
    return state;
  }

  /**
   * After `error` on the `lost` engine: a new engine from `reacquire`, the latest
   * snapshot resumed on it, the user told. A loss while recovering is
   * recovered from in turn; past the allowed losses, DeviceRecoveryFailed.
   */
  async recover(lost: Engine, error: DeviceLostError): Promise<Run> {
    for (let failure = error; ; ) {
      this.count(failure);
      if (!this.latest) throw new DeviceRecoveryFailed(failure, 'it was lost before the run had a snapshot to go on from');
      let fresh: Engine;
      try {
        fresh = await this.recovery.reacquire(lost);
      } catch (e) {
        if (e instanceof DeviceLostError) {
          failure = e;
          continue;
        }
        throw new DeviceRecoveryFailed(failure, `no new device: ${(e as Error).message}`);
      }
      this.made.push(fresh);
      try {
        // A copy: the resumed observers take over the arrays they are given, and a later loss needs the snapshot as it was.
        const run = await Run.resume(fresh, structuredClone(this.latest), this.checked);
        this.lastAt = performance.now();
        this.recovery.onRecovered?.({
          reason: error.reason,
          message: error.lostMessage,
          fromStep: this.latest.done,
          total: run.total,
          description: fresh.backend.description,
          sameAdapter: fresh.backend.description === lost.backend.description,
        });
        return run;
      } catch (e) {
        if (!(e instanceof DeviceLostError)) throw e;
        failure = e;
      }
    }
  }

  /** Disposes the engines recovery made (the run's own first engine is its caller's). */
  dispose(): void {
    for (const engine of this.made) engine.dispose();
    this.made.length = 0;
  }

  private count(error: DeviceLostError): void {
    const now = performance.now();
    this.losses.push(now);
    const recent = this.losses.filter((t) => now - t <= this.lossWindowSeconds * 1000);
    if (recent.length > this.maxLosses) {
      throw new DeviceRecoveryFailed(error, `lost ${recent.length} times within ${this.lossWindowSeconds} s, more than the ${this.maxLosses} recovered from; the device keeps failing`);
    }
  }
}
