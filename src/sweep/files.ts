import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A file being written: `<name>.partial-<pid>` beside it until it is renamed into place. */
const PARTIAL = /\.partial-(\d+)$/;

/**
 * Writes a file atomically: into `<path>.partial-<pid>` in the same folder,
 * flushed, then renamed over `path`. A reader (or a rerun after SIGKILL)
 * sees the old file or the new one, never half of one.
 */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  const partial = join(dirname(path), `${basename(path)}.partial-${process.pid}`);
  const fd = openSync(partial, 'w');
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the partial files a killed writer left in `dir` (those of live processes are theirs, and kept). */
export function removeStalePartials(dir: string): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const m = PARTIAL.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(dir, name), { force: true });
  }
}

/** Whether a name is a partial file (left out when copying a folder). */
export function isPartial(name: string): boolean {
  return PARTIAL.test(name);
}
