import { afterEach, beforeEach, vi } from 'vitest';

/** What the CLI printed in the current test: console.log and console.error lines, captured per test. */
export function captureConsole(): { out: string[]; err: string[] } {
  const printed = { out: [] as string[], err: [] as string[] };
  beforeEach(() => {
    printed.out.length = 0;
    printed.err.length = 0;
    vi.spyOn(console, 'log').mockImplementation((...a) => void printed.out.push(a.join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...a) => void printed.err.push(a.join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());
  return printed;
}
