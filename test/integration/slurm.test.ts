import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { jobLogs, onPath, waitForJob } from './slurm-jobs.js';

/**
 * examples/slurm/ against a real scheduler: the local single-node SLURM of
 * scripts/slurm/start-local-slurm.sh (.ci/run starts it and sets AMARI_SLURM=1).
 * A four-point sweep runs as a three-task array job plus a merge job that waits
 * for it (afterok); the merged result must equal the same sweep run unsharded:
 * the same files, sweep.csv and the other numbers' files byte for byte, each
 * point's summary.json but for its timings.
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const SHARDS = 3;
// 16² on the CPU, a few thousand steps: seconds per point, and 4 points over 3 shards splits unevenly.
const SWEEP_ARGS = ['--config', 'examples/shifted-16.json', '--param', 'kernel.shift.0=0:1:4', '--steps', '2000', '--burn-in', '200', '--backend', 'cpu'];
// The CLI from source, as every other CLI test runs it: no build needed. The jobs start in the repository (submit-sweep.sh's --chdir), where tsx resolves.
const AMARI_EP = [process.execPath, '--import', 'tsx', join(repo, 'src/cli/main.ts')];
// Measured, not computed: the only part of a point's summary that may differ between two runs of one config.
const TIMING_KEYS = ['performance'];

function skipReason(): string | undefined {
  if (process.env.AMARI_SLURM !== '1') return 'needs a SLURM cluster: start one with scripts/slurm/start-local-slurm.sh and set AMARI_SLURM=1 (.ci/run does both)';
  if (!onPath('sbatch')) return 'AMARI_SLURM=1 but sbatch is not on PATH: install slurm-wlm (scripts/slurm/start-local-slurm.sh --install)';
  return undefined;
}
const skip = skipReason();

/** Runs a command to its end, resolving its exit status and stderr (the unsharded sweep runs while the jobs do). */
function runToEnd(argv: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const pointIds = (sweepDir: string) => (existsSync(join(sweepDir, 'points')) ? readdirSync(join(sweepDir, 'points')).sort() : []);

/** Every file under a folder, as paths relative to it, sorted. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function summaryWithoutTimings(path: string): Record<string, unknown> {
  const summary = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const key of TIMING_KEYS) delete summary[key];
  return summary;
}

describe.skipIf(skip !== undefined)(`a sweep as a SLURM array job${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('merges its shards, after the array succeeds, into the unsharded sweep', { timeout: 300_000 }, async () => {
    const out = join(repo, 'test-output', 'slurm-sweep');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const slurmDir = join(out, 'slurm');

    const submitted = spawnSync('bash', [join(repo, 'examples/slurm/submit-sweep.sh'), ...SWEEP_ARGS], {
      cwd: repo,
      encoding: 'utf8',
      env: { ...process.env, SWEEP_DIR: slurmDir, SWEEP_SHARDS: String(SHARDS), AMARI_EP: AMARI_EP.join(' ') },
    });
    expect(submitted.status, `submit-sweep.sh: ${submitted.stderr}`).toBe(0);
    const arrayId = /^array (\d+)$/m.exec(submitted.stdout)?.[1];
    const mergeId = /^merge (\d+)$/m.exec(submitted.stdout)?.[1];
    expect(arrayId && mergeId, `submit-sweep.sh printed: ${submitted.stdout}`).toBeTruthy();

    const unsharded = runToEnd([...AMARI_EP, 'sweep', ...SWEEP_ARGS, '--out', join(out, 'unsharded')]);
    const arrayStates = await waitForJob(arrayId!, 240_000);
    const mergeStates = await waitForJob(mergeId!, 60_000);
    const logs = jobLogs(slurmDir);
    expect(arrayStates, `array job ${arrayId}; logs:\n${logs}`).toEqual(Array(SHARDS).fill('COMPLETED'));
    expect(mergeStates, `merge job ${mergeId}; logs:\n${logs}`).toEqual(['COMPLETED']);
    const plain = await unsharded;
    expect(plain.status, `unsharded sweep: ${plain.stderr}`).toBe(0);

    // The array really split the work: each point ran in exactly one shard, and more than one shard ran some.
    const all = pointIds(join(out, 'unsharded'));
    expect(all).toHaveLength(4);
    const perShard = Array.from({ length: SHARDS }, (_, i) => pointIds(join(slurmDir, `shard-${i + 1}`)));
    expect(perShard.flat().sort()).toEqual(all);
    expect(perShard.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);

    // The same files; the numbers' files (sweep.csv, sweep.json, theory curves, each point's config) byte for byte,
    // each point's summary.json but for its timings. Pictures are drawn from those numbers, and only counted here.
    const merged = join(slurmDir, 'merged');
    const reference = join(out, 'unsharded');
    expect(readFileSync(join(merged, 'sweep.csv'), 'utf8')).toBe(readFileSync(join(reference, 'sweep.csv'), 'utf8'));
    expect(pointIds(merged)).toEqual(all);
    const files = filesUnder(reference);
    expect(filesUnder(merged)).toEqual(files);
    for (const file of files) {
      if (file.endsWith('summary.json')) {
        expect(summaryWithoutTimings(join(merged, file)), file).toEqual(summaryWithoutTimings(join(reference, file)));
      } else if (['.csv', '.json'].includes(extname(file))) {
        expect(readFileSync(join(merged, file), 'utf8'), file).toBe(readFileSync(join(reference, file), 'utf8'));
      }
    }
  });
});
