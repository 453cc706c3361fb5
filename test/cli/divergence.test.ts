import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/program.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { linearModes } from '../../src/theory/modes.js';
import { stabilityOf } from '../../src/theory/stability.js';
import { captureConsole } from './console.js';

/**
 * The CLI refuses an unstable config before it runs (preflight.ts). To see
 * what it does when a run diverges anyway (a check that is only necessary, a
 * field beyond what its arithmetic carries), the checks before the run are
 * turned off here and a config past the Euler–Maruyama limit is run.
 */
vi.mock('../../src/run/preflight.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/run/preflight.js')>();
  return { ...real, assertRunnable: () => undefined };
});

const { out, err } = captureConsole();

const base = {
  grid: { n: 8, length: 8 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [1.2, 0.4], radius: 3 },
  input: 0.1,
  noise: { amplitude: 0.05, correlationLength: 0 },
  dt: 0.05,
  seed: 3,
} as const;

function configFile(config: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'amari-div-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const dtMax = stabilityOf(linearModes(parseConfig(base) as Config), base.dt).discrete.dtMax;

describe('amari-ep on a diverging run', () => {
  it('run: exits 1 with one line naming the step, the cell and the cause, and writes nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-div-out-')), 'out');
    const file = configFile({ ...base, dt: 1.2 * dtMax });
    const code = await main(['run', '--config', file, '--backend', 'cpu', '--steps', '2000', '--burn-in', '0', '--out', dir]);
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^amari-ep: the field diverged at step \d+ \(cell \(\d, \d\), replica 0: u = [^)]*\): likely cause: dt = .* makes Euler–Maruyama unstable.*; what to try: a smaller dt/,
    );
    expect(err[0]).not.toMatch(/\n|    at /);
    expect(out.join('\n')).not.toMatch(/entropy production|NaN/);
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it('relax: exits 1 with the same kind of line, and writes nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-div-out-')), 'out');
    const file = configFile({ ...base, dt: 1.2 * dtMax });
    const code = await main(['relax', '--config', file, '--backend', 'cpu', '--replicas', '4', '--steps', '2000', '--record-every', '20', '--out', dir]);
    expect(code).toBe(1);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^amari-ep: the field diverged between steps \d+ and \d+ \(cell .*\): likely cause: dt = .*; what to try: /);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});
