import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRunFile, DEMO_VERSION, encodeRunFile, RUN_FILE } from '../../demos/src/run-file.js';
import { main } from '../../src/cli/program.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { encodeCheckpoint, takeCheckpoint } from '../../src/run/checkpoint/checkpoint.js';
import { relaxCheckpoint } from '../../src/run/checkpoint/relax-checkpoint.js';
import { StateFileError } from '../../src/run/checkpoint/codec.js';
import { relax } from '../../src/run/relax.js';
import { Run, type RunPlan } from '../../src/run/run.js';
import { simulate } from '../../src/run/simulate.js';
import { captureConsole } from '../cli/console.js';
import { bytes } from '../run/checkpoint-helpers.js';
import { shiftedGaussian, smallLinear } from '../helpers.js';

/**
 * The demo's "save run" file (demos/src/run-file.ts) in Node: a run saved as
 * the page saves it goes on bit for bit after the codec and Run.resume, and
 * the CLI goes on from it (`run --resume DIR --steps N`); the page refuses
 * what it cannot go on with in one line, and takes a CLI checkpoint open-ended.
 */
const { out, err } = captureConsole();
const config = smallLinear({ kernel: shiftedGaussian, seed: 9 });
/** As the page runs: open-ended, blocks of a fixed length after a burn-in. */
const demoPlan: RunPlan = { steps: Infinity, burnIn: 30, blockSteps: 20 };

describe("the demo's saved run", () => {
  it('round-trips through the codec and Run.resume: the restored run goes on bit for bit with the one that kept running', async () => {
    const kept = new Run(new CpuEngine(config, 1), demoPlan);
    await kept.advance(110);
    const file = decodeRunFile(await encodeRunFile(kept));
    expect(file.kind).toBe('run');
    expect(file.version).toBe(DEMO_VERSION);
    expect(file.run.plan).toMatchObject({ steps: Infinity, burnIn: 30, blockSteps: 20 });
    const restored = await Run.resume(new CpuEngine(config, 1), file.run);
    expect(restored.done).toBe(110);
    expect(restored.estimates().epr!.completeBlocks).toBe(4);
    await kept.advance(150);
    await restored.advance(150);
    expect(restored.engine.stepIndex).toBe(kept.engine.stepIndex);
    expect(bytes(await restored.engine.readField()).equals(bytes(await kept.engine.readField()))).toBe(true);
    expect(JSON.stringify(restored.attached!.entropy.blocks())).toBe(JSON.stringify(kept.attached!.entropy.blocks()));
    expect(restored.estimates().epr).toEqual(kept.estimates().epr);
  });

  it('goes on in the CLI: run --resume DIR --steps N ends as a run of N measured steps with the page\'s blocks', async () => {
    const page = new Run(new CpuEngine(config, 1), demoPlan);
    await page.advance(110);
    const dir = mkdtempSync(join(tmpdir(), 'amari-demo-file-'));
    writeFileSync(join(dir, RUN_FILE), await encodeRunFile(page));
    // Open-ended: the CLI asks where to end.
    expect(await main(['run', '--resume', dir])).toBe(2);
    expect(err).toEqual([`amari-ep: --resume ${dir}: its checkpoint is of an open-ended run (the demo's) with 80 measured steps; give --steps N, the measured steps to end at, more than 80`]);
    err.length = 0;
    expect(await main(['run', '--resume', dir, '--steps', '200', '--json']), err.join('\n')).toBe(0);
    const summary = JSON.parse(out.join('\n'));
    const whole = await simulate(new CpuEngine(config, 1), { steps: 200, burnIn: 30, blockSteps: 20, spectrumSamples: 0 });
    expect(summary.steps).toBe(200);
    expect(summary.epr.estimate).toBe(whole.epr.estimate);
    expect(summary.epr.stderr).toBe(whole.epr.stderr);
  });

  it('refuses a relaxation, a run of several replicas and a damaged file in one line; takes a CLI run open-ended', async () => {
    const engine = new CpuEngine(config, 4);
    let relaxed: Uint8Array | undefined;
    await relax(engine, { steps: 40, recordEvery: 10, checkpointEvery: 20, onCheckpoint: (s) => void (relaxed = encodeCheckpoint(relaxCheckpoint(engine, s, 'test'))) });
    expect(() => decodeRunFile(relaxed!)).toThrow(
      new StateFileError('a checkpoint of an ensemble relaxation (amari-ep relax), not of a run; go on from it with amari-ep relax --resume DIR'),
    );
    const two = new Run(new CpuEngine(config, 2), { steps: 100, burnIn: 10, blocks: 5 });
    await two.advance(20);
    const several = encodeCheckpoint(await takeCheckpoint(two, 'test'));
    expect(() => decodeRunFile(several)).toThrow(
      new StateFileError('a run of 2 replicas; the page runs one (go on with it in the CLI: amari-ep run --resume DIR)'),
    );
    // A CLI run sampling σ(k): the page goes on with it open-ended, its blocks kept, without σ(k)'s samples.
    const cli = new Run(new CpuEngine(config, 1), { steps: 100, burnIn: 10, blocks: 5, spectrumSamples: 10 });
    await cli.advance(50);
    const saved = encodeCheckpoint(await takeCheckpoint(cli, 'test'));
    const file = decodeRunFile(saved);
    expect(file.run.plan).toMatchObject({ steps: Infinity, blockSteps: 20, spectrumSamples: 0 });
    expect(file.run.observers!.spectrum).toBeUndefined();
    const open = await Run.resume(new CpuEngine(config, 1), file.run);
    await open.advance(200);
    expect(open.finished).toBe(false);
    // 40 measured steps saved and 200 more: 240 in blocks of 20.
    expect(open.estimates().epr!.completeBlocks).toBe(12);
    const damaged = saved.slice();
    damaged[damaged.length - 3] ^= 1;
    expect(() => decodeRunFile(damaged)).toThrow(new StateFileError('damaged: its arrays do not match their checksum'));
  });
});
