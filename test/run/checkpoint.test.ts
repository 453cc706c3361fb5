import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { checkpointTempPath, CHECKPOINT_FILE, readCheckpointFile, writeCheckpointFile } from '../../src/io/checkpoint-file.js';
import { encodeCheckpoint, takeCheckpoint, type Checkpoint } from '../../src/run/checkpoint/checkpoint.js';
import { decodeState, encodeState, StateFileError } from '../../src/run/checkpoint/codec.js';
import { simulate, type RunOptions } from '../../src/run/simulate.js';
import { shiftedGaussian, smallLinear } from '../helpers.js';
import { bytes, expectIdentical, interruptedRun } from './checkpoint-helpers.js';
import { ringInput } from './geometries.js';

const square: Config = smallLinear({ kernel: shiftedGaussian });
// Correlated noise: the entropy observer needs H F, and σ(k) divides by the noise spectrum.
const correlated: Config = smallLinear({ kernel: shiftedGaussian, noise: { amplitude: 0.05, correlationLength: 1, whiteFraction: 0.1 } });
const ring: Config = parseConfig(ringInput);

describe('checkpoints on the CPU engine', () => {
  const plan: RunOptions = { steps: 600, burnIn: 60, blocks: 10, spectrumSamples: 25 };
  const cases: [string, Config, number][] = [
    ['white noise, 2 replicas', square, 2],
    ['correlated noise', correlated, 1],
    ['a ring (space-time record)', ring, 1],
  ];
  for (const [name, config, replicas] of cases) {
    it(`${name}: stopped after a checkpoint in the burn-in or the measured steps and resumed, ends bit for bit as an uninterrupted run`, async () => {
      const whole = await simulate(new CpuEngine(config, replicas), plan);
      // Every 40 steps: the first checkpoint falls in the burn-in (60 steps), the fifth after it.
      for (const stopAt of [1, 5]) {
        const { result, checkpoint } = await interruptedRun(() => new CpuEngine(config, replicas), plan, 40, stopAt);
        expect(checkpoint.run.observers === undefined).toBe(stopAt === 1);
        expectIdentical(result, whole);
      }
    });
  }

  it('checkpoints change no number: a run that takes them ends as one that does not', async () => {
    const whole = await simulate(new CpuEngine(square, 1), plan);
    let taken = 0;
    const checked = await simulate(new CpuEngine(square, 1), {
      ...plan,
      checkpointEvery: 7,
      onCheckpoint: async (run) => {
        encodeCheckpoint(await takeCheckpoint(run, 'test'));
        taken++;
      },
    });
    expect(taken).toBeGreaterThan(50);
    expectIdentical(checked, whole);
  });
});

describe('the state file encoding', () => {
  it('keeps float64, float32, −0, NaN and ±Infinity exactly, and refuses a truncated or altered file', () => {
    const value = {
      a: Float64Array.from([Math.PI, -0, 1e-310, Number.MAX_VALUE]),
      b: Float32Array.from([1 / 3, -2.5]),
      c: [-0, NaN, Infinity, -Infinity, 0.1 + 0.2],
      nested: { i: Int32Array.from([-7, 8]), s: 'text' },
    };
    const encoded = encodeState(value);
    const back = decodeState(encoded) as typeof value;
    expect(bytes(back.a).equals(bytes(value.a))).toBe(true);
    expect(Array.from(back.b)).toEqual(Array.from(value.b));
    expect(Object.is(back.c[0], -0)).toBe(true);
    expect(back.c.slice(1)).toEqual([NaN, Infinity, -Infinity, 0.1 + 0.2]);
    expect(Array.from(back.nested.i)).toEqual([-7, 8]);
    expect(back.nested.s).toBe('text');
    // Read from a file, the bytes may be a view at an odd offset into a shared buffer (Node's Buffer pool).
    const view = Buffer.concat([Buffer.alloc(3), Buffer.from(encoded)]).subarray(3);
    expect(bytes((decodeState(view) as typeof value).a).equals(bytes(value.a))).toBe(true);
    expect(() => decodeState(encoded.subarray(0, encoded.length - 3))).toThrow(/truncated/);
    const altered = encoded.slice();
    altered[altered.length - 5] ^= 1;
    expect(() => decodeState(altered)).toThrow(/damaged/);
    expect(() => decodeState(new TextEncoder().encode('{"not": "a state"}'))).toThrow(StateFileError);
  });
});

describe('checkpoint files', () => {
  async function checkpointAt(steps: number): Promise<Checkpoint> {
    let taken: Checkpoint | undefined;
    await simulate(new CpuEngine(square, 1), {
      steps: 200, burnIn: 0, blocks: 4, checkpointEvery: steps,
      onCheckpoint: async (run) => {
        taken ??= await takeCheckpoint(run, 'test');
      },
    });
    return taken!;
  }

  it('a write cut short (its temporary file left behind) leaves the previous checkpoint readable, and the next write replaces both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-checkpoint-'));
    const [a, b] = [await checkpointAt(50), await checkpointAt(100)];
    writeCheckpointFile(dir, a);
    // A crash mid-write: part of the next checkpoint in the temporary file, never renamed.
    writeFileSync(checkpointTempPath(dir), encodeCheckpoint(b).subarray(0, 1000));
    expect(readCheckpointFile(dir).run.done).toBe(a.run.done);
    writeCheckpointFile(dir, b);
    expect(readCheckpointFile(dir).run.done).toBe(b.run.done);
    expect(existsSync(checkpointTempPath(dir))).toBe(false);
  });

  it('refuses, in one line, a folder with no checkpoint and a damaged one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-checkpoint-'));
    expect(() => readCheckpointFile(dir)).toThrow(/holds no checkpoint/);
    writeCheckpointFile(dir, await checkpointAt(50));
    const path = join(dir, CHECKPOINT_FILE);
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, whole.length - 100));
    expect(() => readCheckpointFile(dir)).toThrow(/checkpoint\.amari-ep: truncated/);
  });
});
