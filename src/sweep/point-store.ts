import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { SweepError } from './errors.js';
import { removeStalePartials, writeFileAtomic } from './files.js';

/** A point's folder: points/<id>/ with config.json, then summary.json (written last: its presence means finished). */
export const POINTS_DIR = 'points';
export const POINT_CONFIG = 'config.json';
export const POINT_SUMMARY = 'summary.json';

/** The numbers of summary.json (src/run/summary.ts) that a sweep reads back. */
export interface PointSummary {
  epr: { estimate: number; stderr: number };
  theory: { unavailable: string } | { eprDiscrete: number | null; eprContinuous: number | null; equilibrium: boolean };
}

export function pointDir(out: string, id: string): string {
  return join(out, POINTS_DIR, id);
}

export function configText(config: Config): string {
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * Whether the point's summary.json is there. A finished point whose config.json
 * is not this point's config is refused rather than skipped or overwritten:
 * the folder was changed by hand, or belongs to something else.
 */
export function isFinished(out: string, id: string, config: Config): boolean {
  const dir = pointDir(out, id);
  if (!existsSync(join(dir, POINT_SUMMARY))) return false;
  const path = join(dir, POINT_CONFIG);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== configText(config)) {
    throw new SweepError(`${dir} holds a summary.json but not this point's config.json; allowed: the folder as the sweep wrote it (remove it to run the point again)`);
  }
  return true;
}

/** Writes a point: its config first, its summary last, each atomically; partial files a killed run left there go first. */
export function writePoint(out: string, id: string, config: Config, summaryText: string): void {
  const dir = pointDir(out, id);
  mkdirSync(dir, { recursive: true });
  removeStalePartials(dir);
  writeFileAtomic(join(dir, POINT_CONFIG), configText(config));
  writeFileAtomic(join(dir, POINT_SUMMARY), summaryText);
}

export function readPointSummary(out: string, id: string): PointSummary {
  return JSON.parse(readFileSync(join(pointDir(out, id), POINT_SUMMARY), 'utf8')) as PointSummary;
}
