import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { presets } from '../../src/config/presets.js';
import { CHECKPOINT_FILE, readCheckpointFile } from '../../src/io/checkpoint-file.js';
import { captureConsole } from './console.js';
import { killCliWhen } from './kill-cli.js';

/**
 * `run --checkpoint-every` and `run --resume` through the real command line:
 * a run killed with SIGKILL after its first checkpoint, resumed, writes the
 * files of an uninterrupted run (field.npy byte for byte; summary.json but
 * its timings).
 */
const { err } = captureConsole();

function configFile(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'amari-resume-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ ...structuredClone(presets.irreversible), grid: { n, length: n } }));
  return file;
}

/** Starts the command, waits for its first checkpoint, kills it with SIGKILL; resolves once it is dead. */
function killAfterFirstCheckpoint(args: string[], out: string): Promise<void> {
  return killCliWhen(args, () => existsSync(join(out, CHECKPOINT_FILE)), 'its first checkpoint');
}

const withoutTimings = (dir: string) => {
  const { performance: _, ...rest } = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  return rest;
};

describe('amari-ep run --resume', () => {
  const cases: [string, string[], number][] = [
    ['CPU', ['--backend', 'cpu'], 64],
    ['GPU', ['--backend', 'gpu', '--convolution', 'stencil'], 32],
  ];
  for (const [name, backend, n] of cases) {
    it(`${name}: killed with SIGKILL after a checkpoint and resumed, writes the uninterrupted run's field.npy and estimate`, async () => {
      const config = configFile(n);
      const plan = ['--config', config, ...backend, '--steps', '6000', '--burn-in', '200', '--blocks', '20'];
      const base = mkdtempSync(join(tmpdir(), 'amari-resume-'));
      const [whole, killed] = [join(base, 'whole'), join(base, 'killed')];
      expect(await main(['run', ...plan, '--out', whole, '--json'])).toBe(0);

      await killAfterFirstCheckpoint(['run', ...plan, '--out', killed, '--checkpoint-every', '500'], killed);
      // Killed mid-run: a checkpoint short of the end, and no outputs yet.
      const saved = readCheckpointFile(killed);
      expect(saved.run.done).toBeLessThan(6200);
      expect(existsSync(join(killed, 'field.npy'))).toBe(false);

      expect(await main(['run', '--resume', killed, '--json']), err.join('\n')).toBe(0);
      expect(readFileSync(join(killed, 'field.npy')).equals(readFileSync(join(whole, 'field.npy')))).toBe(true);
      expect(readFileSync(join(killed, 'epr-density.npy')).equals(readFileSync(join(whole, 'epr-density.npy')))).toBe(true);
      const [resumed, uninterrupted] = [withoutTimings(killed), withoutTimings(whole)];
      expect(resumed.epr.estimate).toBe(uninterrupted.epr.estimate);
      expect(resumed.epr.stderr).toBe(uninterrupted.epr.stderr);
      expect(resumed).toEqual(uninterrupted);
    }, 300_000);
  }

  it('refuses, in one line, a folder without a checkpoint and options that contradict the checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-resume-'));
    expect(await main(['run', '--resume', dir])).toBe(2);
    expect(err.join('\n')).toMatch(/holds no checkpoint \(checkpoint\.amari-ep\)/);
    const out = join(dir, 'run');
    const plan = ['--config', configFile(16), '--backend', 'cpu', '--steps', '400', '--burn-in', '0', '--blocks', '4'];
    expect(await main(['run', ...plan, '--out', out, '--checkpoint-every', '100', '--json'])).toBe(0);
    err.length = 0;
    expect(await main(['run', '--resume', out, '--steps', '800'])).toBe(2);
    expect(err).toEqual([`amari-ep: --resume ${out}: its checkpoint has --steps 400, and 800 was given; leave --steps out to go on with the checkpoint's`]);
    err.length = 0;
    expect(await main(['run', '--steps', '400', '--checkpoint-every', '100'])).toBe(2);
    expect(err).toEqual(['amari-ep: --checkpoint-every needs --out DIR: the checkpoint is written there']);
  });
});
