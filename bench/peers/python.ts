import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The interpreter the peers run under: $PYTHON, else python3. */
export const PYTHON = process.env.PYTHON ?? 'python3';

/** Runs a peer script and parses the one JSON object it prints. */
export async function runScript(script: string, args: string[]): Promise<unknown> {
  // No __pycache__ beside the scripts (torch_step.py imports numpy_step.py): the tree stays as checked out.
  const { stdout } = await exec(PYTHON, [script, ...args], { maxBuffer: 1 << 20, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  return JSON.parse(stdout);
}

/** Undefined when `code` runs under PYTHON; else why not, in one line. */
export async function pythonLacks(code: string): Promise<string | undefined> {
  try {
    await exec(PYTHON, ['-c', code]);
    return undefined;
  } catch (e) {
    const err = e as Error & { stderr?: string };
    const lines = (err.stderr ?? err.message).trim().split('\n');
    return lines[lines.length - 1];
  }
}

/** A scratch folder for one call, removed afterwards. */
export async function inScratch<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'amari-peer-'));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
