import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { presets } from '../../src/config/presets.js';
import { parseConfig } from '../../src/config/load.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { CHECKPOINT_FILE, readRelaxCheckpointFile, writeCheckpointFile } from '../../src/io/checkpoint-file.js';
import { takeCheckpoint } from '../../src/run/checkpoint/checkpoint.js';
import { Run } from '../../src/run/run.js';
import { captureConsole } from './console.js';
import { killCliWhen } from './kill-cli.js';

/**
 * `relax --checkpoint-every` and `relax --resume` through the real command
 * line: a relaxation killed with SIGKILL after its first checkpoint, resumed,
 * writes the files of an uninterrupted one (balance.csv, its plot) byte for
 * byte; a run's checkpoint and a relaxation's are refused by the other command.
 */
const { err } = captureConsole();

function configFile(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'amari-relax-resume-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ ...structuredClone(presets.irreversible), grid: { n, length: n }, initial: { type: 'zero' } }));
  return file;
}

/** Starts the command, waits for its first checkpoint, kills it with SIGKILL; resolves once it is dead. */
function killAfterFirstCheckpoint(args: string[], out: string): Promise<void> {
  return killCliWhen(args, () => existsSync(join(out, CHECKPOINT_FILE)), 'its first checkpoint');
}

describe('amari-ep relax --resume', () => {
  const cases: [string, string[], number][] = [
    ['CPU', ['--backend', 'cpu'], 32],
    // A named path: `auto` times the paths, and a loaded machine could choose differently in the two processes.
    ['GPU', ['--backend', 'gpu', '--convolution', 'stencil'], 16],
  ];
  for (const [name, backend, n] of cases) {
    it(`${name}: killed with SIGKILL after a checkpoint and resumed, writes the uninterrupted relaxation's files byte for byte`, async () => {
      const plan = ['--config', configFile(n), ...backend, '--replicas', '8', '--steps', '3000', '--record-every', '10'];
      const base = mkdtempSync(join(tmpdir(), 'amari-relax-resume-'));
      const [whole, killed] = [join(base, 'whole'), join(base, 'killed')];
      expect(await main(['relax', ...plan, '--out', whole, '--json']), err.join('\n')).toBe(0);

      await killAfterFirstCheckpoint(['relax', ...plan, '--out', killed, '--checkpoint-every', '300'], killed);
      // Killed mid-relaxation: a checkpoint at a record short of the end, and no outputs yet.
      const saved = readRelaxCheckpointFile(killed);
      expect(saved.relax.done).toBeLessThan(3000);
      expect(saved.relax.done % 10).toBe(0);
      expect(existsSync(join(killed, 'balance.csv'))).toBe(false);

      expect(await main(['relax', '--resume', killed, '--json']), err.join('\n')).toBe(0);
      // Every file the relaxation writes (balance.csv, its plot), byte for byte.
      const written = readdirSync(whole).filter((f) => f !== CHECKPOINT_FILE);
      expect(written).toContain('balance.csv');
      // An SVG's clip-path ids count the figures drawn in the process (vega), and both relaxations here ran in this one: those are renumbered.
      const read = (dir: string, file: string) => (file.endsWith('.svg') ? Buffer.from(readFileSync(join(dir, file), 'utf8').replace(/clip\d+/g, 'clip')) : readFileSync(join(dir, file)));
      for (const file of written) expect(read(killed, file).equals(read(whole, file)), file).toBe(true);
    }, 300_000);
  }

  it("refuses, in one line, a folder without a checkpoint, a run's checkpoint, contradicting options; run --resume refuses a relaxation's", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-relax-resume-'));
    expect(await main(['relax', '--resume', dir])).toBe(2);
    expect(err).toEqual([`amari-ep: ${dir} holds no checkpoint (${CHECKPOINT_FILE}); write one with relax --out DIR --checkpoint-every N`]);
    const config = configFile(16);
    const [relaxed, ran] = [join(dir, 'relax'), join(dir, 'run')];
    expect(await main(['relax', '--config', config, '--backend', 'cpu', '--replicas', '4', '--steps', '40', '--out', relaxed, '--checkpoint-every', '10', '--json']), err.join('\n')).toBe(0);
    // A run's checkpoint, as run --checkpoint-every writes it.
    const run = new Run(new CpuEngine(parseConfig(JSON.parse(readFileSync(config, 'utf8'))), 1), { steps: 40, blocks: 4 });
    await run.advance(10);
    writeCheckpointFile(ran, await takeCheckpoint(run, 'test'));
    err.length = 0;
    expect(await main(['run', '--resume', relaxed])).toBe(2);
    expect(err).toEqual([
      `amari-ep: ${join(relaxed, CHECKPOINT_FILE)}: a checkpoint of an ensemble relaxation (amari-ep relax), not of a run; go on from it with amari-ep relax --resume DIR`,
    ]);
    err.length = 0;
    expect(await main(['relax', '--resume', ran])).toBe(2);
    expect(err).toEqual([`amari-ep: ${join(ran, CHECKPOINT_FILE)}: a checkpoint of a run (amari-ep run), not of a relaxation; go on from it with amari-ep run --resume DIR`]);
    err.length = 0;
    expect(await main(['relax', '--resume', relaxed, '--replicas', '8'])).toBe(2);
    expect(err).toEqual([`amari-ep: --resume ${relaxed}: its checkpoint has --replicas 4, and 8 was given; leave --replicas out to go on with the checkpoint's`]);
    err.length = 0;
    expect(await main(['relax', '--steps', '40', '--checkpoint-every', '10'])).toBe(2);
    expect(err).toEqual(['amari-ep: --checkpoint-every needs --out DIR: the checkpoint is written there']);
  });
});
