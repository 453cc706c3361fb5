import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SweepError } from './errors.js';
import { isPartial, writeFileAtomic } from './files.js';
import { checkSameSweep, manifestDifference, readManifest, type SweepManifest } from './manifest.js';
import { writeManifest, writeTable } from './outputs.js';
import { pointDir, POINT_CONFIG, POINT_SUMMARY, readPointSummary, type PointSummary } from './point-store.js';
import { CURVES_FILE, curvesText, theoryCurves } from './theory-curves.js';

export interface MergeOutcome {
  manifest: SweepManifest;
  /** Points copied from each folder, in the order given. */
  copied: number[];
}

/** The shards' manifests: each folder must hold one, and all the same sweep. */
function oneSweep(dirs: readonly string[]): SweepManifest {
  if (dirs.length === 0) throw new SweepError('sweep merge: no folders given; allowed: DIR... (the --out folders of the shards), then --out DIR');
  const manifests = dirs.map((dir) => {
    const m = readManifest(dir);
    if (!m) throw new SweepError(`sweep merge: ${dir} holds no sweep.json; allowed: folders that amari-ep sweep wrote (its --out)`);
    return m;
  });
  for (const [i, m] of manifests.entries()) {
    if (m.sweep !== manifests[0].sweep) {
      throw new SweepError(
        `sweep merge: ${dirs[i]} is another sweep than ${dirs[0]} (${m.sweep}, not ${manifests[0].sweep}: ${manifestDifference(manifests[0], m)}); ` +
          'allowed: the shards of one sweep (the same --config, --param and run options)',
      );
    }
  }
  return manifests[0];
}

/**
 * Joins the shards of one sweep into `out`: every point must be finished in
 * exactly one of the folders; its files are copied (summary.json last,
 * atomically, as a sweep writes it), then the manifest, the theory curves and
 * sweep.csv are written as an unsharded sweep writes them: the same bytes.
 */
export function mergeSweeps(dirs: readonly string[], out: string): MergeOutcome {
  const manifest = oneSweep(dirs);
  checkSameSweep(out, manifest);
  const owner = new Map<number, number>();
  const missing: string[] = [];
  for (const p of manifest.points) {
    const holders = dirs.flatMap((dir, i) => (existsSync(join(pointDir(dir, p.id), POINT_SUMMARY)) ? [i] : []));
    if (holders.length > 1) {
      throw new SweepError(`sweep merge: point ${p.id} is finished in both ${dirs[holders[0]]} and ${dirs[holders[1]]}; allowed: shards that share no point (--shard i/N, each i once)`);
    }
    if (holders.length === 0) missing.push(p.id);
    else owner.set(p.index, holders[0]);
  }
  if (missing.length) {
    const named = missing.slice(0, 5).join(', ') + (missing.length > 5 ? `, … (${missing.length - 5} more)` : '');
    throw new SweepError(
      `sweep merge: ${missing.length} of ${manifest.points.length} points are finished in none of the folders (${named}); ` +
        'allowed: every shard finished (rerun a shard\'s command to finish it)',
    );
  }
  writeManifest(out, manifest);
  const copied = dirs.map(() => 0);
  const summaries = new Map<number, PointSummary>();
  for (const p of manifest.points) {
    const from = dirs[owner.get(p.index)!];
    copyPoint(pointDir(from, p.id), pointDir(out, p.id));
    copied[owner.get(p.index)!]++;
    summaries.set(p.index, readPointSummary(out, p.id));
  }
  const curves = dirs.map((d) => join(d, CURVES_FILE)).find((f) => existsSync(f));
  // The curves depend on the manifest alone: a shard's are the sweep's.
  writeFileAtomic(join(out, CURVES_FILE), curves ? readFileSync(curves) : curvesText(theoryCurves(manifest)));
  writeTable(out, manifest, summaries);
  return { manifest, copied };
}

/** A point's files, summary.json last and each atomically: a merge killed part-way leaves no point that looks finished and is not. */
function copyPoint(from: string, to: string): void {
  if (resolve(from) === resolve(to)) return;
  mkdirSync(to, { recursive: true });
  const names = readdirSync(from).filter((n) => !isPartial(n) && n !== POINT_SUMMARY);
  for (const name of [...names.sort(), POINT_SUMMARY]) {
    if (name === POINT_CONFIG || name === POINT_SUMMARY) writeFileAtomic(join(to, name), readFileSync(join(from, name)));
    else copyFileSync(join(from, name), join(to, name));
  }
}
