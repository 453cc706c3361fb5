import { gridOf } from '../../config/geometry.js';
import type { Config } from '../../config/schema.js';
import type { Engine } from '../../engine/engine.js';
import { cellVariance } from '../../estimators/cell-variance/index.js';
import { entropyProduction } from '../../estimators/entropy-production/index.js';
import { reportedObservers } from '../../estimators/reported.js';
import { memberSlice } from '../../gpu/batch.js';
import { stepCoefficients } from '../../model/coefficients.js';
import { DivergenceGuard, type FieldReader } from '../divergence.js';
import { attachedReport, blockStepsOf, type RunObservers } from '../run.js';
import { runResult, type RunResult } from '../simulate.js';
import { perMember, type BatchMember } from './member-observer.js';

/** An engine running several configs as replicas of one dispatch (GpuEngine.createBatch). */
export type BatchEngine = Engine & { readonly members: Config[] };

/** What a batch runs: every member the same plan (no σ(k) samples, no space-time record). */
export interface BatchPlan {
  steps: number;
  burnIn?: number;
  blocks?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Member m's part of the batch's field, read once per step for all the members. */
class MemberFields {
  private last: { step: number; field: Promise<Float64Array> } | undefined;

  constructor(
    private readonly engine: BatchEngine,
    private readonly replicasEach: number,
    private readonly cells: number,
  ) {}

  view(member: number): FieldReader {
    const engine = this.engine;
    return {
      get stepIndex() {
        return engine.stepIndex;
      },
      readField: async () => memberSlice(await this.read(), member, this.replicasEach, this.cells),
    };
  }

  private read(): Promise<Float64Array> {
    const step = this.engine.stepIndex;
    if (this.last?.step !== step) this.last = { step, field: this.engine.readField() };
    return this.last.field;
  }
}

/**
 * A batch's members run in lockstep, as `simulate` runs each alone: the
 * burn-in with its divergence reads, the estimators attached when it ends
 * (one per member, perMember), the measured steps in the same pieces, each
 * member's field guarded on its own; then each member's RunResult, from its
 * own replicas only. Each result's numbers are those of the member's solo
 * run, bit for bit (test/run/batch/simulate-batch.test.ts): the steps are
 * (batch.test.ts) and the host adds the same sums in the same order.
 * `performance` is the batch's wall time, with each member's own cell steps.
 * A member that diverges stops the batch with its own DivergenceError (its
 * replica counted within the member).
 */
export async function simulateBatch(engine: BatchEngine, replicasEach: number, plan: BatchPlan): Promise<RunResult[]> {
  const { members } = engine;
  if (engine.replicas !== members.length * replicasEach) throw new RangeError(`a batch of ${members.length} configs × ${replicasEach} replicas has ${members.length * replicasEach} replicas, not ${engine.replicas}`);
  const grid = gridOf(members[0]);
  if (grid.dimensions === 1) throw new RangeError("a batch runs 2-D grids only: a ring's run records replica 0's space-time, not each member's");
  const { steps } = plan;
  const burnIn = plan.burnIn ?? 0;
  if (!(Number.isInteger(burnIn) && burnIn >= 0)) throw new RangeError(`burn-in must be an integer ≥ 0 (got ${burnIn})`);
  const blockSteps = blockStepsOf(steps, plan.blocks);
  const total = burnIn + steps;
  const started = performance.now();
  const sampledBefore = engine.sampleSeconds;
  const fields = new MemberFields(engine, replicasEach, grid.cells);
  const views = members.map((_, m) => fields.view(m));
  const guards = members.map((config) => new DivergenceGuard(config, replicasEach));
  const batch: BatchMember[] = members.map((config) => ({ config, coefficients: stepCoefficients(config) }));
  const start = engine.stepIndex;
  const done = () => engine.stepIndex - start;
  const everyGuard = async (what: (guard: DivergenceGuard, view: FieldReader) => Promise<void>) => {
    for (const [m, guard] of guards.entries()) await what(guard, views[m]);
  };

  let observers: RunObservers[] | undefined;
  const attach = async (): Promise<RunObservers[]> => {
    const entropy = await engine.observe(perMember(batch, replicasEach, () => entropyProduction(blockSteps)));
    const variance = await engine.observe(perMember(batch, replicasEach, (m) => guards[m].watch(cellVariance(blockSteps))));
    const reported: unknown[][] = [];
    for (const r of reportedObservers) reported.push(await engine.observe(perMember(batch, replicasEach, () => r.observer(blockSteps))));
    return members.map((_, m) => ({
      entropy: entropy[m],
      variance: variance[m],
      spectrum: undefined,
      reported: reportedObservers.map((r, i) => attachedReport(r, reported[i][m])),
    }));
  };

  await everyGuard((g, v) => g.begin(v));
  // Run.advance's pieces, for every member at once.
  const chunk = Math.max(1, Math.floor(total / 200));
  while (done() < total) {
    let left = Math.min(chunk, total - done());
    while (done() < burnIn && left > 0) {
      const now = Math.min(left, guards[0].burnInPiece(done(), burnIn));
      await engine.advance(now);
      await everyGuard((g, v) => g.burnIn(v, done(), burnIn));
      left -= now;
    }
    if (left > 0 || (done() === burnIn && !observers)) observers ??= await attach();
    if (left > 0) await engine.advance(left);
    await everyGuard((g, v) => g.check(v));
    plan.onProgress?.(done(), total);
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (const o of observers!) for (const handle of [o.entropy, o.variance, ...o.reported]) handle.detach();

  const wallSeconds = (performance.now() - started) / 1000;
  const samplingSeconds = engine.sampleSeconds - sampledBefore;
  const results: RunResult[] = [];
  for (const [m, config] of members.entries()) {
    const member = {
      engine: { config, replicas: replicasEach, backend: engine.backend, readField: () => views[m].readField() },
      steps,
      burnIn,
      total,
      attached: observers![m],
      spaceTime: undefined,
    };
    const result = await runResult(member, { wallSeconds, samplingSeconds, resultSeconds: 0 });
    result.performance.resultSeconds = (performance.now() - started) / 1000 - wallSeconds;
    result.performance.batch = { points: members.length, cellStepsPerSecond: result.performance.cellStepsPerSecond * members.length };
    results.push(result);
  }
  return results;
}
