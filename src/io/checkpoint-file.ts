import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINT_FILE, decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointHeader, type CheckpointKind } from '../run/checkpoint/checkpoint.js';
import { decodeRelaxCheckpoint, type RelaxCheckpoint } from '../run/checkpoint/relax-checkpoint.js';
import { StateFileError } from '../run/checkpoint/codec.js';

export { CHECKPOINT_FILE } from '../run/checkpoint/checkpoint.js';

/** Where a checkpoint is written before it replaces the last one (same folder: the rename stays on one file system). */
export function checkpointTempPath(dir: string): string {
  return join(dir, `.${CHECKPOINT_FILE}.${process.pid}.tmp`);
}

/**
 * Writes a checkpoint so that a crash at any instant leaves the previous one
 * whole: the bytes go to a temporary file in the same folder, are flushed to
 * disk (fsync), and the file is renamed over the old one (atomic on POSIX
 * file systems); the folder is then flushed so the rename itself lasts.
 * A crash before the rename leaves only a stray temporary file, which readers
 * ignore and the next write replaces.
 */
export function writeCheckpointFile(dir: string, checkpoint: CheckpointHeader): string {
  mkdirSync(dir, { recursive: true });
  const bytes = encodeCheckpoint(checkpoint);
  const temp = checkpointTempPath(dir);
  const target = join(dir, CHECKPOINT_FILE);
  const fd = openSync(temp, 'w');
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(temp, target);
  syncFolder(dir);
  return target;
}

function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some systems (Windows) cannot open or flush a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The checkpoint in `dir`; one line (StateFileError) when there is none, it is damaged, or it is a relaxation's. */
export function readCheckpointFile(dir: string): Checkpoint {
  return readKind(dir, 'run', decodeCheckpoint);
}

/** The relaxation's checkpoint in `dir` (relax --resume); one line when there is none, it is damaged, or it is a run's. */
export function readRelaxCheckpointFile(dir: string): RelaxCheckpoint {
  return readKind(dir, 'relax', decodeRelaxCheckpoint);
}

function readKind<T>(dir: string, kind: CheckpointKind, decode: (bytes: Uint8Array) => T): T {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) {
    throw new StateFileError(`${dir} holds no checkpoint (${CHECKPOINT_FILE}); write one with ${kind} --out DIR --checkpoint-every N`);
  }
  try {
    return decode(readFileSync(path));
  } catch (e) {
    if (e instanceof StateFileError || e instanceof SyntaxError) throw new StateFileError(`${path}: ${e.message}`);
    throw e;
  }
}

/** amari-ep's version (package.json, two folders up from src/io and dist/io). */
export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
