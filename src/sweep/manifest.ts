import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { canonicalJson, shortHash } from './canonical.js';
import { SweepError } from './errors.js';
import type { SweptParam } from './params.js';
import type { SweepPoint } from './points.js';

export const MANIFEST_FILE = 'sweep.json';

/**
 * What decides every number of a sweep's points besides the point's own
 * values: the run's options (as `amari-ep run` takes them) and the number of
 * points of each theory curve. The shard is not here: shards of one sweep
 * share the manifest.
 */
export interface SweepOptions {
  steps: number;
  burnIn: number;
  replicas: number;
  blocks: number;
  backend: string;
  convolution: string;
  noiseShaping: string;
  /** null: the run's default for the grid and backend. */
  spectrumSamples: number | null;
  /** Points of each theory curve along a parameter's axis (theory-curves.ts). */
  curvePoints: number;
}

/** sweep.json: the base config, the parameters, the options, the points, and a hash of the first three that names the sweep. */
export interface SweepManifest {
  sweep: string;
  params: SweptParam[];
  options: SweepOptions;
  base: Config;
  points: SweepPoint[];
}

export function makeManifest(base: Config, params: SweptParam[], options: SweepOptions, points: SweepPoint[]): SweepManifest {
  return { sweep: shortHash({ base, params, options }, 16), params, options, base, points };
}

export function manifestText(manifest: SweepManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function readManifest(dir: string): SweepManifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SweepManifest;
  } catch (e) {
    throw new SweepError(`${path} is not a sweep manifest (${(e as Error).message}); allowed: a folder a sweep wrote, or a new one`);
  }
}

/** Which part of two manifests differs, in words (for the refusal of an --out that holds another sweep). */
export function manifestDifference(a: SweepManifest, b: SweepManifest): string {
  if (canonicalJson(a.params) !== canonicalJson(b.params)) return 'the --param lists differ';
  for (const key of Object.keys(a.options) as (keyof SweepOptions)[]) {
    if (a.options[key] !== b.options?.[key]) return `${key} differs (${a.options[key]} there, ${b.options?.[key]} here)`;
  }
  if (canonicalJson(a.base) !== canonicalJson(b.base)) return 'the base config differs';
  return 'the sweep hash differs';
}

/** Refuses an --out that already holds a different sweep; true when it holds this one (a rerun: resume). */
export function checkSameSweep(dir: string, manifest: SweepManifest): boolean {
  const there = readManifest(dir);
  if (!there) return false;
  if (there.sweep !== manifest.sweep) {
    throw new SweepError(
      `--out ${dir} holds another sweep (${there.sweep}; this one is ${manifest.sweep}: ${manifestDifference(there, manifest)}); ` +
        'allowed: the same command to resume it, or a new --out',
    );
  }
  return true;
}
