import type { Observer } from '../../engine/observer.js';
import { weightedBatchMean, type BatchMean } from '../../numeric/batch-means.js';
import { BlockAccumulator } from '../../numeric/block-accumulator.js';
import { cellVarianceStep } from './cpu.js';
import wgsl from './observe.wgsl.js';

/** The one-cell variance pooled over cells, replicas and steps. */
export interface CellVariance {
  /** The variance with its batch-means error, each block's variance about that block's mean. */
  estimate(): BatchMean;
  /** The mean field value and the variance of the last (possibly partial) block. */
  lastBlock(): { mean: number; variance: number } | undefined;
  detach(): void;
}

/**
 * Sums of (u − ref) and (u − ref)² per step, ref the mean of the field when
 * the observer attaches, so that a large mean does not cancel the fluctuations away.
 */
export function cellVariance(blockSteps: number): Observer<CellVariance> {
  return {
    name: 'variance',
    width: 2,
    params: ['reference'],
    cpu: cellVarianceStep,
    wgsl,
    async start(link) {
      const field = await link.readField();
      let sum = 0;
      for (const v of field) sum += v;
      const reference = sum / field.length;
      const samplesPerStep = field.length;
      const first = new BlockAccumulator(blockSteps);
      const second = new BlockAccumulator(blockSteps);
      const moments = () => {
        const [a, b] = [first.result(), second.result()];
        return a.sums.map((s1, k) => {
          const count = a.steps[k] * samplesPerStep;
          const m1 = s1 / count;
          return { m1, variance: b.sums[k] / count - m1 * m1, steps: a.steps[k] };
        });
      };
      return {
        params: [reference],
        add(_step, sums) {
          let s1 = 0;
          let s2 = 0;
          for (let r = 0; r < sums.length; r += 2) {
            s1 += sums[r];
            s2 += sums[r + 1];
          }
          first.add(s1);
          second.add(s2);
        },
        handle: {
          estimate() {
            const blocks = moments();
            return weightedBatchMean(blocks.map((b) => b.variance), blocks.map((b) => b.steps));
          },
          lastBlock() {
            const last = moments().at(-1);
            return last && { mean: reference + last.m1, variance: last.variance };
          },
          detach: () => link.detach(),
        },
      };
    },
  };
}
