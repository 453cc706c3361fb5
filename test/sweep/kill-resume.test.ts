import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { captureConsole } from '../cli/console.js';
import { killCliWhen } from '../cli/kill-cli.js';
import { expectSameSweep, filesUnder, SHIFT_SWEEP, shiftConfigFile, tempDir } from './helpers.js';

/**
 * A sweep in a process of its own, killed with SIGKILL as soon as its first
 * point's summary.json appears, then rerun with the same command: the rerun
 * skips the finished points (their files untouched), runs the rest, leaves
 * no partial file, and the folder equals an uninterrupted sweep's.
 */
const { out, err } = captureConsole();

/** The summary.json files under points/, by point folder. */
function finishedPoints(dir: string): string[] {
  const points = join(dir, 'points');
  return existsSync(points) ? readdirSync(points).filter((id) => existsSync(join(points, id, 'summary.json'))).sort() : [];
}

function killAfterFirstPoint(args: string[], dir: string): Promise<void> {
  return killCliWhen(args, () => finishedPoints(dir).length > 0, 'its first point');
}

describe('amari-ep sweep, killed and rerun', () => {
  it('killed with SIGKILL after its first point and rerun, equals the uninterrupted sweep; finished points are not rerun', async () => {
    const config = shiftConfigFile();
    const base = tempDir();
    const [whole, killed] = [join(base, 'whole'), join(base, 'killed')];
    const command = ['sweep', '--config', config, ...SHIFT_SWEEP];
    expect(await main([...command, '--out', whole]), err.join('\n')).toBe(0);

    await killAfterFirstPoint([...command, '--out', killed], killed);
    const before = finishedPoints(killed);
    // Killed mid-sweep: some points finished, not all.
    expect(before.length).toBeGreaterThanOrEqual(1);
    expect(before.length).toBeLessThan(5);
    const stamps = before.map((id) => statSync(join(killed, 'points', id, 'summary.json')).mtimeMs);

    // What a kill in the middle of a write leaves: partial files of a dead process, beside sweep.csv and in an unfinished point.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const unfinished = JSON.parse(readFileSync(join(killed, 'sweep.json'), 'utf8')).points[4].id as string;
    mkdirSync(join(killed, 'points', unfinished), { recursive: true });
    writeFileSync(join(killed, 'points', unfinished, `summary.json.partial-${dead}`), '{"epr":');
    writeFileSync(join(killed, `sweep.csv.partial-${dead}`), 'kernel.shift.0,');

    expect(await main([...command, '--out', killed]), err.join('\n')).toBe(0);
    expect(out.at(-1)).toMatch(new RegExp(`: ran ${5 - before.length}, skipped ${before.length} finished before; sweep\\.csv has 5 of 5 rows; wrote .*sweep\\.svg, .*sweep\\.png$`));
    for (const id of before) expect(out).toContainEqual(expect.stringMatching(new RegExp(`^  \\d/5 ${id} \\(.*\\): finished before, skipped$`)));
    // The finished points' files were not written again.
    expect(before.map((id) => statSync(join(killed, 'points', id, 'summary.json')).mtimeMs)).toEqual(stamps);
    expect(filesUnder(killed).filter((f) => f.includes('.partial-'))).toEqual([]);
    expectSameSweep(whole, killed, expect);
  }, 180_000);
});
