import type { BlockSums } from '../engine/engine.js';

/** Collects one number per step into sums over blocks of `blockSteps` consecutive steps. */
export class BlockAccumulator {
  private readonly steps: number[] = [];
  private readonly sums: number[] = [];
  private current = 0;
  private count = 0;

  constructor(readonly blockSteps: number) {
    if (!(Number.isInteger(blockSteps) && blockSteps >= 1)) throw new Error(`blockSteps must be an integer ≥ 1 (got ${blockSteps})`);
  }

  add(value: number): void {
    this.current += value;
    if (++this.count === this.blockSteps) {
      this.steps.push(this.count);
      this.sums.push(this.current);
      this.current = 0;
      this.count = 0;
    }
  }

  /** The complete blocks and, if any steps are pending, the partial last one. */
  result(): BlockSums {
    return this.count === 0
      ? { steps: [...this.steps], sums: [...this.sums] }
      : { steps: [...this.steps, this.count], sums: [...this.sums, this.current] };
  }
}
