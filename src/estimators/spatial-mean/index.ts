import type { Observer, Snapshotting } from '../../engine/observer.js';
import { perStepMean, type BatchMean } from '../../numeric/batch-means.js';
import { BlockAccumulator, type BlockAccumulatorState } from '../../numeric/block-accumulator.js';
import type { ReportedObserver } from '../report.js';
import { spatialMeanStep } from './cpu.js';
import wgsl from './observe.wgsl.js';

/** The spatial mean ⟨u⟩ = (1/(R·N)) Σ_r Σ_i u_i, per step, over the observed steps. */
export interface SpatialMean extends Snapshotting<BlockAccumulatorState> {
  /** Its average over the observed steps with a batch-means standard error. */
  estimate(): BatchMean;
  detach(): void;
}

/** From `resume` on: the per-step block sums a checkpoint kept. */
export function spatialMean(blockSteps: number, resume?: BlockAccumulatorState): Observer<SpatialMean> {
  return {
    name: 'mean',
    width: 1,
    cpu: spatialMeanStep,
    wgsl,
    start(link) {
      const perStep = resume ? BlockAccumulator.restore(resume) : new BlockAccumulator(blockSteps);
      const count = link.replicas * link.coefficients.cells;
      return {
        add(_step, sums) {
          let total = 0;
          for (const s of sums) total += s;
          perStep.add(total / count);
        },
        handle: { estimate: () => perStepMean(perStep.result()), snapshot: async () => perStep.snapshot(), detach: () => link.detach() },
      };
    },
  };
}

/** What `run` reports: the mean field over the run, beside the entropy production. */
export const spatialMeanReport: ReportedObserver<SpatialMean> = {
  key: 'spatialMean',
  label: 'spatial mean ⟨u⟩',
  unit: '(units of u)',
  observer: spatialMean,
  summarize: (handle) => handle.estimate(),
};
