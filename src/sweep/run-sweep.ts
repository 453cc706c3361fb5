import { mkdirSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { GpuChoices } from '../run/create-engine.js';
import { removeStalePartials } from './files.js';
import { checkSameSweep, makeManifest, type SweepManifest, type SweepOptions } from './manifest.js';
import { finishedSummaries, writeCurvesOnce, writeManifest, writeTable } from './outputs.js';
import type { SweptParam } from './params.js';
import { writePoint, type PointSummary } from './point-store.js';
import { checkedPointConfigs, shardPoints, sweepPoints, type Shard, type SweepPoint } from './points.js';
import { runPoint, type PointRun } from './run-point.js';

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
 * Runs a sweep's points (this shard's share) into `out`, in index order, each
 * written when it finishes (point-store.ts: summary.json last, atomically),
 * sweep.csv rewritten after each. Points finished before are skipped, so a
 * rerun of a killed sweep loses only the point that was running.
 */
export async function runSweep(
  plan: SweepPlan,
  out: string,
  hooks: { gpu?: Pick<GpuChoices, 'convolutionCache'>; onPoint?: (e: PointEvent) => void } = {},
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
  let [ran, skipped] = [0, 0];
  for (const [i, point] of mine.entries()) {
    const started = performance.now();
    const config = configs[point.index];
    if (summaries.has(point.index)) {
      skipped++;
      hooks.onPoint?.({ point, position: i + 1, of: mine.length, seconds: 0 });
      continue;
    }
    const run = await runPoint(config, plan.options, hooks.gpu);
    writePoint(out, point.id, config, run.summaryText);
    summaries.set(point.index, JSON.parse(run.summaryText) as PointSummary);
    writeTable(out, manifest, summaries);
    ran++;
    hooks.onPoint?.({ point, position: i + 1, of: mine.length, run, seconds: (performance.now() - started) / 1000 });
  }
  const all = finishedSummaries(out, manifest, configs);
  writeTable(out, manifest, all);
  return { manifest, ran, skipped, rows: all.size, resumed };
}
