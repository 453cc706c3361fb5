import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A file's content, or a function that writes it to the path it is given (large files, made one at a time). */
export type FileContent = string | Uint8Array | ((path: string) => void);

/**
 * Writes files into `dir` all or nothing: first into a fresh sibling folder,
 * then renamed into place, so an error part-way leaves the old files (or
 * none), never a mixture. Content given as a function is made when its turn
 * comes, so only one large file is in memory at a time. Returns the written paths.
 */
export function writeAllOrNothing(dir: string, files: Record<string, FileContent>): string[] {
  const target = resolve(dir);
  mkdirSync(dirname(target), { recursive: true });
  const staging = mkdtempSync(`${target}.partial-`);
  try {
    for (const [name, content] of Object.entries(files)) {
      if (typeof content === 'function') content(join(staging, name));
      else writeFileSync(join(staging, name), content);
    }
    mkdirSync(target, { recursive: true });
    for (const name of Object.keys(files)) renameSync(join(staging, name), join(target, name));
    return Object.keys(files).map((name) => join(target, name));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
