import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether an executable of this name is on PATH (the SLURM clients, for the test's skip). */
export function onPath(name: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, name)));
}

/** States a job does not leave (`man squeue`, JOB STATE CODES); anything else may still change. */
const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT', 'NODE_FAIL', 'OUT_OF_MEMORY', 'PREEMPTED', 'BOOT_FAIL', 'DEADLINE']);

/**
 * Each record's JobState for a job id: one per array task for an array job.
 * From scontrol rather than sacct: the local cluster has no accounting
 * database, and keeps finished jobs in slurmctld for an hour (MinJobAge).
 */
export function jobStates(id: string): string[] {
  const shown = spawnSync('scontrol', ['show', 'job', '-o', id], { encoding: 'utf8' });
  if (shown.status !== 0) throw new Error(`scontrol show job ${id} failed: ${shown.stderr.trim()}`);
  return shown.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /\bJobState=(\S+)/.exec(line)?.[1] ?? 'UNKNOWN');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every record of the job is in a final state and returns those
 * states; past `timeoutMs` cancels the job and throws, naming its states.
 */
export async function waitForJob(id: string, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = jobStates(id);
    if (states.length > 0 && states.every((s) => FINAL.has(s))) return states;
    if (Date.now() > deadline) {
      spawnSync('scancel', [id]);
      throw new Error(`job ${id} not finished after ${timeoutMs / 1000} s (states: ${states.join(', ')}); cancelled`);
    }
    await sleep(1000);
  }
}

/** The jobs' logs under a sweep's logs/ folder, each headed by its name: what a failure message shows. */
export function jobLogs(sweepDir: string): string {
  const dir = join(sweepDir, 'logs');
  if (!existsSync(dir)) return '(no logs folder)';
  return readdirSync(dir)
    .sort()
    .map((name) => `--- ${name}\n${readFileSync(join(dir, name), 'utf8')}`)
    .join('\n');
}
