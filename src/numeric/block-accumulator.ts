/** Sums over blocks of consecutive steps: what batch means need, and nothing per step. */
export interface BlockSums {
  /** Steps in each block (the last one may be shorter). */
  steps: number[];
  /** Per block, a sum over its steps (and replicas and cells, as each estimator says). */
  sums: number[];
  /** Per block and replica, the same sum for that replica alone (when kept). */
  replicaSums?: number[][];
}

/** Everything a BlockAccumulator holds, for a run's checkpoint: `BlockAccumulator.restore` continues from it exactly. */
export interface BlockAccumulatorState {
  blockSteps: number;
  replicas: number;
  steps: number[];
  sums: number[];
  replicaSums: number[][];
  current: number;
  currentReplicas: number[];
  count: number;
}

/**
 * Collects one number per step into sums over blocks of `blockSteps`
 * consecutive steps; with `replicas` > 0, also one number per replica and step.
 */
export class BlockAccumulator {
  private readonly steps: number[] = [];
  private readonly sums: number[] = [];
  private readonly replicaSums: number[][] = [];
  private current = 0;
  private currentReplicas: Float64Array;
  private count = 0;

  constructor(readonly blockSteps: number, readonly replicas = 0) {
    if (!(Number.isInteger(blockSteps) && blockSteps >= 1)) throw new Error(`blockSteps must be an integer ≥ 1 (got ${blockSteps})`);
    this.currentReplicas = new Float64Array(replicas);
  }

  add(value: number, perReplica?: ArrayLike<number>): void {
    this.current += value;
    if (perReplica) for (let r = 0; r < this.replicas; r++) this.currentReplicas[r] += perReplica[r];
    if (++this.count === this.blockSteps) this.close();
  }

  private close(): void {
    this.steps.push(this.count);
    this.sums.push(this.current);
    this.replicaSums.push(Array.from(this.currentReplicas));
    this.current = 0;
    this.currentReplicas = new Float64Array(this.replicas);
    this.count = 0;
  }

  snapshot(): BlockAccumulatorState {
    const { blockSteps, replicas, current, count } = this;
    return {
      blockSteps, replicas, current, count,
      steps: [...this.steps], sums: [...this.sums], replicaSums: this.replicaSums.map((r) => [...r]), currentReplicas: Array.from(this.currentReplicas),
    };
  }

  static restore(state: BlockAccumulatorState): BlockAccumulator {
    const a = new BlockAccumulator(state.blockSteps, state.replicas);
    // One block at a time, not push(...): a long run's blocks may be many (test/no-spreads.test.ts).
    for (const s of state.steps) a.steps.push(s);
    for (const s of state.sums) a.sums.push(s);
    for (const r of state.replicaSums) a.replicaSums.push([...r]);
    a.current = state.current;
    a.currentReplicas = Float64Array.from(state.currentReplicas);
    a.count = state.count;
    return a;
  }

  /** The complete blocks and, if any steps are pending, the partial last one. */
  result(): BlockSums {
    const steps = [...this.steps];
    const sums = [...this.sums];
    const replicaSums = this.replicaSums.map((r) => [...r]);
    if (this.count > 0) {
      steps.push(this.count);
      sums.push(this.current);
      replicaSums.push(Array.from(this.currentReplicas));
    }
    return this.replicas > 0 ? { steps, sums, replicaSums } : { steps, sums };
  }
}
