import type { Observer } from '../../engine/observer.js';
import { BlockAccumulator, type BlockSums } from '../../numeric/block-accumulator.js';
import { entropyProductionStep } from './cpu.js';
import wgsl from './observe.wgsl.js';

/** The entropy production of docs/model.md §4, as a run sees it. */
export interface EntropyProduction {
  /** Per block: Σ over steps, replicas and cells of s_i(n) (nats), and per replica. */
  blocks(): BlockSums;
  /** Per replica and cell: Σ over the observed steps of s_i(n) (nats), replica-major. */
  density(): Promise<Float64Array>;
  detach(): void;
}

/** Spec §4's estimator, block sums over `blockSteps` steps (per replica too: the ensemble balance uses them). */
export function entropyProduction(blockSteps: number): Observer<EntropyProduction> {
  return {
    name: 'entropy',
    width: 1,
    cellMap: true,
    inverseCovariance: true,
    cpu: entropyProductionStep,
    wgsl,
    start(link) {
      const accumulator = new BlockAccumulator(blockSteps, link.replicas);
      let total = 0;
      return {
        add(_step, sums) {
          total = 0;
          for (const s of sums) total += s;
          accumulator.add(total, sums);
        },
        handle: { blocks: () => accumulator.result(), density: () => link.readMap(), detach: () => link.detach() },
      };
    },
  };
}
