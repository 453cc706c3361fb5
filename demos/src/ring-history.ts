import { gridOf } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import { SpaceTimeStrip } from './space-time-strip.js';

/** What the history reads of the engine: its step count and the buffer its field is in now. */
export interface SteppingField {
  readonly stepIndex: number;
  readonly fieldBuffer: GPUBuffer;
}

/**
 * The page's space-time strip: one while the config is a ring, none on a
 * torus. A row is appended once per frame in which the engine stepped (every
 * `steps per frame` steps; a paused run adds none), copied on the GPU.
 */
export class RingHistory {
  private current: SpaceTimeStrip | undefined;
  private lastStep = -1;

  constructor(private readonly device: GPUDevice) {}

  /** The strip, on a ring. */
  get strip(): SpaceTimeStrip | undefined {
    return this.current;
  }

  /**
   * After a config was applied: a ring of another n (or a torus) replaces the
   * strip; `fresh` (the run was reset, the field started again) clears its rows.
   */
  follow(config: Config, fresh: boolean): void {
    const grid = gridOf(config);
    const n = grid.dimensions === 1 ? grid.nx : undefined;
    if (this.current && this.current.n !== n) {
      this.current.destroy();
      this.current = undefined;
    }
    if (n !== undefined && !this.current) this.current = new SpaceTimeStrip(this.device, n);
    else if (fresh) this.current?.clear();
    this.lastStep = -1;
  }

  /** Appends the ring's field as the newest row when `engine` (running `config`) stepped since the last one. */
  update(engine: SteppingField, config: Config): void {
    const strip = this.current;
    const grid = gridOf(config);
    // A config change may be half way (the strip follows it once applied): never copy another grid's field.
    if (!strip || grid.dimensions !== 1 || grid.nx !== strip.n) return;
    if (engine.stepIndex === this.lastStep) return;
    this.lastStep = engine.stepIndex;
    strip.append(engine.fieldBuffer);
  }
}
