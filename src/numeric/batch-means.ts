import type { BlockSums } from './block-accumulator.js';

/**
 * Batch means: the mean of a correlated time series with a standard error
 * taken from the scatter of block means, valid once blocks are longer than the
 * correlation time. Blocks may differ in length (a short last block), so the
 * mean and its error are those of a ratio estimator weighted by block length.
 */
export interface BatchMean {
  mean: number;
  stderr: number;
  /** Number of blocks the error was taken from. */
  blocks: number;
}

export function weightedBatchMean(values: readonly number[], weights: readonly number[]): BatchMean {
  const B = values.length;
  let W = 0;
  let sum = 0;
  for (let b = 0; b < B; b++) {
    W += weights[b];
    sum += weights[b] * values[b];
  }
  const mean = sum / W;
  if (B < 2) return { mean, stderr: NaN, blocks: B };
  let s2 = 0;
  for (let b = 0; b < B; b++) s2 += (weights[b] * (values[b] - mean)) ** 2;
  return { mean, stderr: Math.sqrt((s2 * B) / (B - 1)) / W, blocks: B };
}

/** The mean per step (of the summed quantity), from block sums. */
export function perStepMean(blocks: BlockSums): BatchMean {
  return weightedBatchMean(
    blocks.sums.map((s, b) => s / blocks.steps[b]),
    blocks.steps,
  );
}
