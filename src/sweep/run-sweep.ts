import { mkdirSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { GpuChoices } from '../run/create-engine.js';
import { assertRunnable } from '../run/preflight.js';
import { removeStalePartials } from './files.js';
import { checkSameSweep, makeManifest, type SweepManifest, type SweepOptions } from './manifest.js';
import { finishedSummaries, writeCurvesOnce, writeManifest, writeTable } from './outputs.js';
import type { SweptParam } from './params.js';
import { writePoint, type PointSummary } from './point-store.js';
import { checkedPointConfigs, shardPoints, sweepPoints, type Shard, type SweepPoint } from './points.js';
import { runPoint, runPointBatch, type PointRun } from './run-point.js';
import { batchGroups, type BatchMode } from './batch-groups.js';

export interface SweepPlan {
  base: Config;
  params: SweptParam[];
  options: SweepOptions;
  /** Unset: every point (1/1). */
  shard?: Shard;
}

/** Told of each of this run's points as it is skipped (finished before) or finished now. */
export interface PointEvent {
  point: SweepPoint;
  /** 1-based place among this shard's points, and how many it has. */
  position: number;
  of: number;
  /** Undefined when the point was finished already and skipped. */
  run?: PointRun;
  seconds: number;
}

export interface SweepOutcome {
  manifest: SweepManifest;
  ran: number;
  skipped: number;
  /** Rows of sweep.csv: the points finished in --out, this shard's and any other's. */
  rows: number;
  /** Whether --out held this sweep already (a rerun, resumed). */
  resumed: boolean;
}

/** The manifest and every point's config, checked: nothing runs or is written if a point is refused. */
export function planSweep(plan: SweepPlan): { manifest: SweepManifest; configs: Config[] } {
  const points = sweepPoints(plan.params);
  const configs = checkedPointConfigs(plan.base, plan.params, points);
  return { manifest: makeManifest(plan.base, plan.params, plan.options, points), configs };
}

/**
 * Runs a sweep's points (this shard's share) into `out`, each written when it
 * finishes (point-store.ts: summary.json last, atomically), sweep.csv
 * rewritten after each. Points that can share a GPU dispatch run as one
 * batch (`batch: 'auto'`, the default; batch-groups.ts), the others alone in
 * index order; either way each point's numbers are its own run's. Points
 * finished before are skipped, so a rerun of a killed sweep loses only the
 * points that were running.
 */
export async function runSweep(
  plan: SweepPlan,
  out: string,
  hooks: { gpu?: Pick<GpuChoices, 'convolutionCache'>; onPoint?: (e: PointEvent) => void; batch?: BatchMode } = {},
): Promise<SweepOutcome> {
  const { manifest, configs } = planSweep(plan);
  const resumed = checkSameSweep(out, manifest);
  mkdirSync(out, { recursive: true });
  removeStalePartials(out);
  if (!resumed) writeManifest(out, manifest);
  writeCurvesOnce(out, manifest);
  // Read once; each point run here is added as it finishes (a rescan at the end finds other shards' in a shared --out).
  const summaries = finishedSummaries(out, manifest, configs);
  const mine = shardPoints(manifest.points, plan.shard ?? { index: 1, count: 1 });
  const position = new Map(mine.map((point, i) => [point.index, i + 1]));
  let [ran, skipped] = [0, 0];
  for (const point of mine) {
    if (!summaries.has(point.index)) continue;
    skipped++;
    hooks.onPoint?.({ point, position: position.get(point.index)!, of: mine.length, seconds: 0 });
  }
  const finish = (point: SweepPoint, run: PointRun, seconds: number) => {
    writePoint(out, point.id, configs[point.index], run.summaryText);
    summaries.set(point.index, JSON.parse(run.summaryText) as PointSummary);
    writeTable(out, manifest, summaries);
    ran++;
    hooks.onPoint?.({ point, position: position.get(point.index)!, of: mine.length, run, seconds });
  };
  const pending = mine.filter((point) => !summaries.has(point.index));
  for (const group of batchGroups(pending, configs, plan.options, hooks.batch ?? 'auto')) {
    // Once per point, here: a batch that falls back to running its points alone checks none again.
    for (const point of group) assertRunnable(configs[point.index]);
    let rest = group;
    while (rest.length > 0) {
      const started = performance.now();
      const runs = rest.length > 1 ? await runPointBatch(rest.map((p) => configs[p.index]), plan.options, hooks.gpu) : undefined;
      if (runs) {
        // Written together when the batch ends: a batch killed midway loses its points, no other.
        const seconds = (performance.now() - started) / 1000;
        runs.forEach((run, k) => finish(rest[k], run, seconds));
        rest = rest.slice(runs.length);
        continue;
      }
      for (const point of rest) {
        const t = performance.now();
        finish(point, await runPoint(configs[point.index], plan.options, hooks.gpu), (performance.now() - t) / 1000);
      }
      rest = [];
    }
  }
  const all = finishedSummaries(out, manifest, configs);
  writeTable(out, manifest, all);
  return { manifest, ran, skipped, rows: all.size, resumed };
}
