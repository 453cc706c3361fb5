import type { StepObserver, StepView } from '../engine/cpu-engine.js';
import type { CellVarianceEstimator } from '../engine/engine.js';
import { BlockAccumulator } from '../numeric/block-accumulator.js';

/**
 * The one-cell variance pooled over cells, replicas and steps: sums of
 * (u − ref) and (u − ref)² per step, with ref the mean of the first observed
 * field, so that a large mean does not cancel the fluctuations away.
 */
export class CpuCellVariance implements StepObserver, CellVarianceEstimator {
  private readonly first: BlockAccumulator;
  private readonly second: BlockAccumulator;
  private reference: number | undefined;
  private detachFn: () => void = () => {};

  constructor(private readonly samplesPerStep: number, blockSteps: number) {
    this.first = new BlockAccumulator(blockSteps);
    this.second = new BlockAccumulator(blockSteps);
  }

  withDetach(detach: () => void): this {
    this.detachFn = detach;
    return this;
  }

  onStep(view: StepView): void {
    const u = view.uNext;
    const count = view.replicas * view.cells;
    if (this.reference === undefined) {
      let mean = 0;
      for (let j = 0; j < count; j++) mean += u[j];
      this.reference = mean / count;
    }
    const ref = this.reference;
    let s1 = 0;
    let s2 = 0;
    for (let j = 0; j < count; j++) {
      const d = u[j] - ref;
      s1 += d;
      s2 += d * d;
    }
    this.first.add(s1);
    this.second.add(s2);
  }

  async blocks() {
    return {
      first: this.first.result(),
      second: this.second.result(),
      reference: this.reference ?? 0,
      samplesPerStep: this.samplesPerStep,
    };
  }

  detach(): void {
    this.detachFn();
  }
}
