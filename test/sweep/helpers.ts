import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { presets } from '../../src/config/presets.js';

/** The irreversible preset on a 16² grid (L = 16, Δx = 1), written as a config file. */
export function shiftConfigFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'amari-sweep-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 } }));
  return file;
}

/** The five-point shift sweep of issue 15 on the CPU; the steps give standard errors of about 0.1–0.2 nats per unit time. */
export const SHIFT_SWEEP = ['--param', 'kernel.shift.0=0:1:5', '--backend', 'cpu', '--steps', '12000', '--burn-in', '500', '--blocks', '20', '--curve-points', '21'];

export const tempDir = () => mkdtempSync(join(tmpdir(), 'amari-sweep-'));

/** Every file under `dir`, relative, sorted. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir)
    .flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name), `${prefix}${name}/`) : [`${prefix}${name}`]))
    .sort();
}

/** A point's summary.json without its timings (the only part that differs between two runs of one config). */
export function summaryWithoutTimings(path: string): unknown {
  const { performance: _, ...rest } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  return rest;
}

/**
 * Checks that sweep folder `b` holds the files of `a`: the same names, every
 * file byte for byte, summary.json files except their timings.
 */
export function expectSameSweep(a: string, b: string, expect: (v: unknown, m?: string) => { toEqual: (x: unknown) => void; toBe: (x: unknown) => void }): void {
  const names = filesUnder(a);
  expect(filesUnder(b)).toEqual(names);
  for (const name of names) {
    if (name.endsWith('/summary.json')) expect(summaryWithoutTimings(join(b, name)), name).toEqual(summaryWithoutTimings(join(a, name)));
    else expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name))), name).toBe(true);
  }
}

/** sweep.csv as rows of cells, the header first. */
export function readCsv(path: string): string[][] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => line.split(','));
}
