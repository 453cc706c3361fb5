import { expect } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { decodeCheckpoint, encodeCheckpoint, takeCheckpoint, type Checkpoint } from '../../src/run/checkpoint/checkpoint.js';
import { simulate, type RunOptions, type RunResult } from '../../src/run/simulate.js';
import { runSummary } from '../../src/run/summary.js';

/** Stops a run from inside its checkpoint callback, as a crash would. */
class Stopped extends Error {}

export const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * Runs `options` on `make()` until its `stopAt`-th checkpoint, saves it
 * through the file encoding, and finishes it on a fresh engine from there.
 */
export async function interruptedRun(make: () => Engine | Promise<Engine>, options: RunOptions, every: number, stopAt: number): Promise<{ result: RunResult; checkpoint: Checkpoint }> {
  let saved: Uint8Array | undefined;
  let seen = 0;
  const first = await make();
  try {
    await simulate(first, {
      ...options,
      checkpointEvery: every,
      onCheckpoint: async (run) => {
        saved = encodeCheckpoint(await takeCheckpoint(run, 'test'));
        if (++seen === stopAt) throw new Stopped();
      },
    });
    throw new Error('the run finished before the checkpoint it should stop at');
  } catch (e) {
    if (!(e instanceof Stopped)) throw e;
  } finally {
    first.dispose();
  }
  const checkpoint = decodeCheckpoint(saved!);
  const engine = await make();
  try {
    return { result: await simulate(engine, { resume: checkpoint.run }), checkpoint };
  } finally {
    engine.dispose();
  }
}

/** Everything a run writes but its timings, field and maps bit for bit. */
export function expectIdentical(resumed: RunResult, whole: RunResult): void {
  expect(bytes(resumed.field).equals(bytes(whole.field))).toBe(true);
  expect(bytes(resumed.eprDensity).equals(bytes(whole.eprDensity))).toBe(true);
  expect(Object.is(resumed.epr.estimate, whole.epr.estimate)).toBe(true);
  expect(Object.is(resumed.epr.stderr, whole.epr.stderr)).toBe(true);
  if (whole.spectrum) expect(bytes(resumed.spectrum!.modes).equals(bytes(whole.spectrum.modes))).toBe(true);
  if (whole.spaceTime) expect(bytes(resumed.spaceTime!.rows).equals(bytes(whole.spaceTime.rows))).toBe(true);
  const { performance: _a, ...a } = runSummary(resumed);
  const { performance: _b, ...b } = runSummary(whole);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
}

