import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Writes files into `dir` all or nothing: first into a fresh sibling folder,
 * then renamed into place, so an error part-way leaves the old files (or
 * none), never a mixture. Returns the written paths.
 */
export function writeAllOrNothing(dir: string, files: Record<string, string | Uint8Array>): string[] {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.partial-`);
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(staging, name), content);
    mkdirSync(target, { recursive: true });
    for (const name of Object.keys(files)) renameSync(join(staging, name), join(target, name));
    return Object.keys(files).map((name) => join(target, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
