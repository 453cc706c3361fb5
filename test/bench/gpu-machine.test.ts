import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const script = fileURLToPath(new URL('../../bench/gpu-machine.sh', import.meta.url));
const shellcheck = (() => {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/**
 * The GPU machine's script: packing takes half a minute and a GPU machine
 * runs it, so here only what needs neither (the full pack and run were tried
 * by hand: bench/gpu-machine.sh's header).
 */
describe('bench/gpu-machine.sh', () => {
  it('parses, and names its modes when given none', async () => {
    await exec('bash', ['-n', script]);
    await expect(exec('bash', [script])).rejects.toMatchObject({ stderr: expect.stringMatching(/usage: .* pack \| run .* \| exec FILE/) });
  });

  it('refuses to run without a pack, saying how to make one', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'amari-gpu-machine-'));
    const env = { ...process.env, GPU_MACHINE_DIR: empty, GPU_MACHINE_WORK: join(empty, 'work') };
    await expect(exec('bash', [script, 'run', '--smoke'], { env })).rejects.toMatchObject({ stderr: expect.stringMatching(/no pack in .*gpu-machine.sh pack/) });
  });

  it.skipIf(!shellcheck)('passes shellcheck', async () => {
    await exec('shellcheck', [script]);
  });
});
