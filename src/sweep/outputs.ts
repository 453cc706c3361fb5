import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './files.js';
import { MANIFEST_FILE, manifestText, type SweepManifest } from './manifest.js';
import { isFinished, readPointSummary, type PointSummary } from './point-store.js';
import { sweepCsv, TABLE_FILE } from './table.js';
import { CURVES_FILE, curvesText, theoryCurves } from './theory-curves.js';
import type { Config } from '../config/schema.js';

/** The finished points of `dir` (those with their summary.json), by index. */
export function finishedSummaries(dir: string, manifest: SweepManifest, configs: readonly Config[]): Map<number, PointSummary> {
  const found = new Map<number, PointSummary>();
  for (const p of manifest.points) if (isFinished(dir, p.id, configs[p.index])) found.set(p.index, readPointSummary(dir, p.id));
  return found;
}

/** sweep.json, once: a rerun finds it and compares (manifest.ts: checkSameSweep). */
export function writeManifest(dir: string, manifest: SweepManifest): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, MANIFEST_FILE), manifestText(manifest));
}

/** theory-curves.json, unless there: it depends on the manifest alone, so a rerun keeps it. */
export function writeCurvesOnce(dir: string, manifest: SweepManifest): void {
  if (!existsSync(join(dir, CURVES_FILE))) writeFileAtomic(join(dir, CURVES_FILE), curvesText(theoryCurves(manifest)));
}

/** sweep.csv from the finished points' summaries (finishedSummaries: those in `dir`). */
export function writeTable(dir: string, manifest: SweepManifest, summaries: ReadonlyMap<number, PointSummary>): void {
  writeFileAtomic(join(dir, TABLE_FILE), sweepCsv(manifest, summaries));
}
