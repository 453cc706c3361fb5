import type { Observer, Snapshotting } from '../../engine/observer.js';
import { BlockAccumulator, type BlockAccumulatorState, type BlockSums } from '../../numeric/block-accumulator.js';
import { entropyProductionStep } from './cpu.js';
import wgsl from './observe.wgsl.js';

/** The entropy production of docs/model.md §4, as a run sees it. */
export interface EntropyProduction extends Snapshotting<EntropyProductionState> {
  /** Per block: Σ over steps, replicas and cells of s_i(n) (nats), and per replica. */
  blocks(): BlockSums;
  /** Per replica and cell: Σ over the observed steps of s_i(n) (nats), replica-major. */
  density(): Promise<Float64Array>;
  detach(): void;
}

/** A checkpoint's copy of the estimator: its block sums and its per-cell map. */
export interface EntropyProductionState {
  blocks: BlockAccumulatorState;
  map: Float64Array;
}

/**
 * Spec §4's estimator, block sums over `blockSteps` steps (per replica too: the
 * ensemble balance uses them); from `resume` on, where a checkpoint left it.
 */
export function entropyProduction(blockSteps: number, resume?: EntropyProductionState): Observer<EntropyProduction> {
  return {
    name: 'entropy',
    width: 1,
    cellMap: true,
    inverseCovariance: true,
    cpu: entropyProductionStep,
    wgsl,
    async start(link) {
      const accumulator = resume ? BlockAccumulator.restore(resume.blocks) : new BlockAccumulator(blockSteps, link.replicas);
      if (resume) await link.writeMap(resume.map);
      let total = 0;
      return {
        add(_step, sums) {
          total = 0;
          for (const s of sums) total += s;
          accumulator.add(total, sums);
        },
        handle: {
          blocks: () => accumulator.result(),
          density: () => link.readMap(),
          snapshot: async () => ({ blocks: accumulator.snapshot(), map: await link.readMap() }),
          detach: () => link.detach(),
        },
      };
    },
  };
}
