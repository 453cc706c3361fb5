import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Engine } from '../../src/engine/engine.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { balanceCsv } from '../../src/io/write-balance.js';
import { decodeCheckpoint, encodeCheckpoint, takeCheckpoint } from '../../src/run/checkpoint/checkpoint.js';
import { decodeRelaxCheckpoint, relaxCheckpoint, type RelaxCheckpoint } from '../../src/run/checkpoint/relax-checkpoint.js';
import { StateFileError } from '../../src/run/checkpoint/codec.js';
import { relax, type RelaxOptions, type RelaxResult } from '../../src/run/relax.js';
import { Run } from '../../src/run/run.js';
import { useGpuDevice } from '../gpu/device-fixture.js';
import { shiftedGaussian, smallLinear } from '../helpers.js';

/**
 * Checkpoints of the ensemble relaxation (issue 14): a relaxation stopped at a
 * checkpoint, saved through the file encoding and finished on a fresh engine
 * gives the balance rows of an uninterrupted one bit for bit (the engine's
 * field and noise stream, the entropy estimator's per-replica block sums and
 * map, the ensemble entropies recorded so far); a run's checkpoint and a
 * relaxation's refuse each other.
 */
class Stopped extends Error {}

/** Relaxes on `make()` until the `stopAt`-th checkpoint, then finishes from its file bytes on a fresh engine. */
async function interruptedRelax(make: () => Engine | Promise<Engine>, options: RelaxOptions, every: number, stopAt: number) {
  let saved: Uint8Array | undefined;
  let seen = 0;
  const first = await make();
  try {
    await relax(first, {
      ...options,
      checkpointEvery: every,
      onCheckpoint: (state) => {
        saved = encodeCheckpoint(relaxCheckpoint(first, state, 'test'));
        if (++seen === stopAt) throw new Stopped();
      },
    });
    throw new Error('the relaxation finished before the checkpoint it should stop at');
  } catch (e) {
    if (!(e instanceof Stopped)) throw e;
  } finally {
    first.dispose();
  }
  const checkpoint = decodeRelaxCheckpoint(saved!);
  const engine = await make();
  try {
    return { result: await relax(engine, { resume: checkpoint.relax }), checkpoint };
  } finally {
    engine.dispose();
  }
}

/** Every row's numbers bit for bit (JSON writes each float64 so that it reads back exactly), and balance.csv. */
function expectSameRows(resumed: RelaxResult, whole: RelaxResult): void {
  expect(resumed.rows.length).toBe(whole.rows.length);
  expect(JSON.stringify(resumed.rows)).toBe(JSON.stringify(whole.rows));
  expect(balanceCsv(resumed)).toBe(balanceCsv(whole));
}

const relaxing: Config = smallLinear({ kernel: shiftedGaussian, initial: { type: 'zero' }, seed: 5 });
const plan: RelaxOptions = { steps: 80, recordEvery: 10 };

describe('relax checkpoints on the CPU engine', () => {
  it('stopped at a checkpoint and resumed on a fresh engine, gives the uninterrupted balance rows bit for bit', async () => {
    const whole = await relax(new CpuEngine(relaxing, 6), plan);
    // Every 25 steps: checkpoints at the records 30 and 50 (the first past each multiple), none at the end.
    for (const [stopAt, done] of [[1, 30], [2, 50]]) {
      const { result, checkpoint } = await interruptedRelax(() => new CpuEngine(relaxing, 6), plan, 25, stopAt);
      expect(checkpoint.kind).toBe('relax');
      expect(checkpoint.relax.done).toBe(done);
      expect(checkpoint.relax.records.length).toBe(done / 10);
      expect(checkpoint.relax.engine.stepIndex).toBe(done);
      expectSameRows(result, whole);
    }
  });

  it('checkpoints change no number, and fall at the records past each multiple of the cadence', async () => {
    const whole = await relax(new CpuEngine(relaxing, 6), plan);
    const at: number[] = [];
    const checked = await relax(new CpuEngine(relaxing, 6), { ...plan, checkpointEvery: 15, onCheckpoint: (s) => void at.push(s.done) });
    // Multiples 15, 30, 45, 60 fall in the records 20, 30, 50, 60; 75 in the last record, which takes none.
    expect(at).toEqual([20, 30, 50, 60]);
    expectSameRows(checked, whole);
  });

  it("a run's checkpoint and a relaxation's refuse each other in one line naming the command to use", async () => {
    let saved: RelaxCheckpoint | undefined;
    const engine = new CpuEngine(relaxing, 6);
    await relax(engine, { ...plan, checkpointEvery: 40, onCheckpoint: (s) => void (saved = relaxCheckpoint(engine, s, 'test')) });
    expect(() => decodeCheckpoint(encodeCheckpoint(saved!))).toThrow(
      new StateFileError('a checkpoint of an ensemble relaxation (amari-ep relax), not of a run; go on from it with amari-ep relax --resume DIR'),
    );
    const run = new Run(new CpuEngine(relaxing, 1), { steps: 20, blocks: 2 });
    await run.advance(10);
    const runBytes = encodeCheckpoint(await takeCheckpoint(run, 'test'));
    expect(decodeCheckpoint(runBytes).kind).toBe('run');
    expect(() => decodeRelaxCheckpoint(runBytes)).toThrow(
      new StateFileError('a checkpoint of a run (amari-ep run), not of a relaxation; go on from it with amari-ep run --resume DIR'),
    );
    // A state whose records do not match its replicas is refused, not misread.
    const damaged = { ...saved!, relax: { ...saved!.relax, records: saved!.relax.records.map((r) => r.subarray(1)) } };
    expect(() => decodeRelaxCheckpoint(encodeCheckpoint(damaged))).toThrow(/records do not hold 7 entropies each/);
  });
});

describe('relax checkpoints on the GPU engine', () => {
  const gpu = useGpuDevice();
  it('stopped at a checkpoint and resumed on a fresh engine of the same adapter, gives the uninterrupted rows bit for bit', async () => {
    const config = parseConfig({ ...structuredClone(relaxing), grid: { n: 16, length: 16 } });
    const make = () => GpuEngine.create(gpu.device, gpu.description, config, 8, { convolution: 'stencil' });
    const engine = await make();
    const whole = await relax(engine, plan);
    engine.dispose();
    const { result, checkpoint } = await interruptedRelax(make, plan, 25, 2);
    expect(checkpoint.backend.kind).toBe('gpu');
    expect(checkpoint.relax.done).toBe(50);
    expectSameRows(result, whole);
  }, 120_000);
});
