import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/**
 * Runs the CLI in a process of its own (TypeScript through tsx's loader, one
 * process, so SIGKILL reaches the command itself), waits until `ready()` holds
 * (polled every 5 ms: a checkpoint file, a finished point), then kills it with
 * SIGKILL and resolves once it is dead. `what` names the awaited moment in the
 * failures: the command ended before it, or two minutes passed.
 */
export async function killCliWhen(args: string[], ready: () => boolean, what: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  for (let waited = 0; !ready(); waited += 5) {
    if (child.exitCode !== null) throw new Error(`amari-ep ${args[0]} ended before ${what}:\n${stderr}`);
    if (waited > 120_000) throw new Error(`no ${what} after two minutes`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}
