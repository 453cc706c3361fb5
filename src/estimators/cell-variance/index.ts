import type { Observer, Snapshotting } from '../../engine/observer.js';
import { weightedBatchMean, type BatchMean } from '../../numeric/batch-means.js';
import { BlockAccumulator, type BlockAccumulatorState } from '../../numeric/block-accumulator.js';
import { cellVarianceStep } from './cpu.js';
import wgsl from './observe.wgsl.js';

/** The one-cell variance pooled over cells, replicas and steps. */
export interface CellVariance extends Snapshotting<CellVarianceState> {
  /**
   * The variance E[(u − ū)²] about the run's mean ū (over every observed cell,
   * replica and step), plus the squared standard error of ū, with the
   * batch-means error of the per-block E[(u − ū)²].
   */
  estimate(): BatchMean;
  /** The run's mean ū with its batch-means error. */
  mean(): BatchMean;
  /** The mean field value and the variance (about its own mean) of the last (possibly partial) block: a display range. */
  lastBlock(): { mean: number; variance: number } | undefined;
  detach(): void;
}

/** A checkpoint's copy: the reference and both moments' block sums. */
export interface CellVarianceState {
  reference: number;
  samplesPerStep: number;
  first: BlockAccumulatorState;
  second: BlockAccumulatorState;
}

/**
 * Sums of (u − ref) and (u − ref)² per step, ref the mean of the field when
 * the observer attaches, so that a large mean does not cancel the fluctuations away.
 *
 * Every block is centred on the run's mean ū, not on its own mean. A block's
 * own mean absorbs the fluctuations of the slow modes over the block (above all
 * the uniform mode, whose relaxation time 1/a_0 diverges near criticality) and
 * so removes their share of the variance: −11.5 % at slope 0.98. The run's
 * mean leaves only the bias E[(1/M)Σ(u − ū)²] = Var(u) − Var(ū), which holds
 * for correlated samples too; Var(ū) is the squared batch-means error of ū,
 * added back (the counterpart of Bessel's n/(n − 1)). The fixed point u* would
 * need no correction but is the stationary mean only of a linear field; ū
 * serves every transfer. The error bar is the batch-means error of the
 * per-block E[(u − ū)²], ū held fixed: the correction is O(1/T), below the error.
 */
export function cellVariance(blockSteps: number, resume?: CellVarianceState): Observer<CellVariance> {
  return {
    name: 'variance',
    width: 2,
    params: ['reference'],
    cpu: cellVarianceStep,
    wgsl,
    async start(link) {
      // Resumed: the reference of the run's first measured step, not the field now.
      const { reference, samplesPerStep } = resume ?? (await referenceOf(link.readField()));
      const first = resume ? BlockAccumulator.restore(resume.first) : new BlockAccumulator(blockSteps);
      const second = resume ? BlockAccumulator.restore(resume.second) : new BlockAccumulator(blockSteps);
      /** Per block: the moments about `reference` of (u − reference). */
      const moments = () => {
        const [a, b] = [first.result(), second.result()];
        return a.sums.map((s1, k) => {
          const count = a.steps[k] * samplesPerStep;
          return { m1: s1 / count, m2: b.sums[k] / count, steps: a.steps[k] };
        });
      };
      const runMean = (blocks: ReturnType<typeof moments>) =>
        weightedBatchMean(blocks.map((b) => b.m1), blocks.map((b) => b.steps));
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
            const m = runMean(blocks);
            // E_b[(u − ū)²] = E_b[(u − ref)²] − 2(ū − ref)·E_b[u − ref] + (ū − ref)².
            const d = m.mean;
            const perBlock = weightedBatchMean(blocks.map((b) => b.m2 - 2 * d * b.m1 + d * d), blocks.map((b) => b.steps));
            const varianceOfMean = Number.isFinite(m.stderr) ? m.stderr ** 2 : 0;
            return { ...perBlock, mean: perBlock.mean + varianceOfMean };
          },
          mean() {
            const m = runMean(moments());
            return { ...m, mean: reference + m.mean };
          },
          lastBlock() {
            const last = moments().at(-1);
            return last && { mean: reference + last.m1, variance: last.m2 - last.m1 * last.m1 };
          },
          snapshot: async () => ({ reference, samplesPerStep, first: first.snapshot(), second: second.snapshot() }),
          detach: () => link.detach(),
        },
      };
    },
  };
}

/** The mean of the field when the observer attaches: the reference its sums are taken about. */
async function referenceOf(fieldRead: Promise<Float64Array>): Promise<{ reference: number; samplesPerStep: number }> {
  const field = await fieldRead;
  let sum = 0;
  for (const v of field) sum += v;
  return { reference: sum / field.length, samplesPerStep: field.length };
}
