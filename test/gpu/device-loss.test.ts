import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/program.js';
import { parseConfig } from '../../src/config/load.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { DeviceLostError } from '../../src/gpu/errors.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { requestNodeDevice } from '../../src/gpu/node-device.js';
import { createEngine, reacquireGpuEngine } from '../../src/run/create-engine.js';
import { DeviceRecoveryFailed, type RecoveryEvent } from '../../src/run/recovery.js';
import type { RunState } from '../../src/run/run.js';
import { simulate, type RunOptions } from '../../src/run/simulate.js';
import { captureConsole } from '../cli/console.js';
import { expectIdentical } from '../run/checkpoint-helpers.js';

/**
 * Issue 14: a GPU device lost mid-run (here `device.destroy()`, which Dawn
 * reports as a loss with reason "destroyed") is rebuilt on a new device from
 * the run's last in-memory snapshot, and the run ends bit for bit as an
 * undisturbed one on the same adapter.
 */
const config = parseConfig({
  grid: { n: 32, length: 32 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.2, 0.4], radius: 4 },
  input: 0.1,
  noise: { amplitude: 0.05 },
  dt: 0.05,
  seed: 5,
});
const plan: RunOptions = { steps: 300, burnIn: 40, blocks: 10 };
/** An engine as the CLI makes it, on a device of its own (the one the test destroys). */
const makeEngine = async () => (await createEngine(config, 'gpu', 2, { convolution: 'stencil' })).engine as GpuEngine;

describe('a run that loses its GPU device', () => {
  it('goes on from its last snapshot on a new device and ends bit for bit as an undisturbed run, telling the user once', async () => {
    const undisturbed = await makeEngine();
    const whole = await simulate(undisturbed, plan);
    undisturbed.dispose();

    const engine = await makeEngine();
    const told: RecoveryEvent[] = [];
    const checkpoints: { done: number; state: RunState | undefined }[] = [];
    let lostAt: number | undefined;
    try {
      const result = await simulate(engine, {
        ...plan,
        // Lost in the measured steps, between two pieces, after a checkpoint.
        onProgress: (done) => {
          if (lostAt === undefined && done >= 260) {
            lostAt = done;
            engine.device.destroy();
          }
        },
        checkpointEvery: 120,
        onCheckpoint: (run, state) => void checkpoints.push({ done: run.done, state }),
        recovery: { reacquire: (lost) => reacquireGpuEngine(lost), onRecovered: (event) => told.push(event), snapshotSeconds: 0 },
      });
      expect(lostAt).toBeDefined();
      expectIdentical(result, whole);
    } finally {
      engine.dispose();
    }
    expect(told).toHaveLength(1);
    const [event] = told;
    expect(event.reason).toBe('destroyed');
    expect(event.sameAdapter).toBe(true);
    expect(event.total).toBe(340);
    // From a snapshot taken before the loss, at or after the last checkpoint before it.
    expect(event.fromStep).toBeLessThanOrEqual(lostAt!);
    expect(event.fromStep).toBeGreaterThanOrEqual(240);
    // Each checkpoint was handed the snapshot recovery took there, of the step it was taken at.
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    for (const c of checkpoints) expect(c.state?.done).toBe(c.done);
  }, 240_000);

  it('gives up with a clear error when the device is lost again and again', async () => {
    const engine = await makeEngine();
    const engines: GpuEngine[] = [engine];
    const destroyed = new Set<GpuEngine>();
    const told: RecoveryEvent[] = [];
    try {
      const run = simulate(engine, {
        ...plan,
        // Every engine, the new ones too, loses its device once the run is past step 100.
        onProgress: (done) => {
          const latest = engines.at(-1)!;
          if (done > 100 && !destroyed.has(latest)) {
            destroyed.add(latest);
            latest.device.destroy();
          }
        },
        recovery: {
          reacquire: async (lost) => {
            const fresh = (await reacquireGpuEngine(lost)) as GpuEngine;
            engines.push(fresh);
            return fresh;
          },
          onRecovered: (event) => told.push(event),
          snapshotSeconds: 0,
          maxLosses: 2,
        },
      });
      await expect(run).rejects.toThrow(DeviceRecoveryFailed);
      await expect(run).rejects.toThrow(/^the GPU device was lost \(destroyed: device was destroyed\) and the run cannot go on: lost 3 times within 600 s, more than the 2 recovered from/);
    } finally {
      engine.dispose();
    }
    expect(told).toHaveLength(2);
    expect(engines).toHaveLength(3);
  }, 240_000);
});

describe("the GPU engine's own error on a lost device", () => {
  /** An engine on a device of its own, 20 steps on. */
  const lose = async (observe: boolean): Promise<GpuEngine> => {
    const { device, description } = await requestNodeDevice();
    const engine = await GpuEngine.create(device, description, config, 1, { convolution: 'stencil', windowSteps: 16, ownsDevice: true });
    if (observe) await engine.observe(entropyProduction(8));
    await engine.advance(20);
    return engine;
  };

  for (const observe of [false, true]) {
    it(`${observe ? 'observed' : 'unobserved'}: after device.destroy(), advance, readField and saveState reject promptly with DeviceLostError`, async () => {
      const e = await lose(observe);
      e.device.destroy();
      for (const call of [() => e.advance(40), () => e.readField(), () => e.saveState()]) {
        const failure = await call().catch((err: unknown) => err);
        expect(failure).toBeInstanceOf(DeviceLostError);
        expect((failure as DeviceLostError).reason).toBe('destroyed');
      }
      e.dispose();
    }, 30_000);
  }

  it('a window in flight when the device goes ends with DeviceLostError, not a bare AbortError', async () => {
    const e = await lose(true);
    const pending = e.advance(64);
    e.device.destroy();
    await expect(pending).rejects.toThrow(DeviceLostError);
    e.dispose();
  }, 30_000);
});

describe('amari-ep run on a GPU whose device is lost', () => {
  const { out, err } = captureConsole();
  const args = (dir: string) => ['run', '--preset', 'irreversible', '--backend', 'gpu', '--convolution', 'stencil', '--steps', '300', '--burn-in', '40', '--blocks', '10', '--out', dir, '--json'];
  const withoutPaths = (json: string) => {
    const { performance: _p, files: _f, ...rest } = JSON.parse(json);
    return rest;
  };
  /** Destroys the engine's device at each of its advance calls from the `from`-th on (`once`: only then). */
  const loseDevice = (from: number, once: boolean) => {
    const advance = GpuEngine.prototype.advance;
    let calls = 0;
    vi.spyOn(GpuEngine.prototype, 'advance').mockImplementation(function (this: GpuEngine, steps: number) {
      if (++calls === from || (!once && calls > from)) this.device.destroy();
      return advance.call(this, steps);
    });
  };

  it('recovers, says so in one line on stderr, and writes the undisturbed run\'s files', async () => {
    const base = mkdtempSync(join(tmpdir(), 'amari-loss-'));
    const [whole, lost] = [join(base, 'whole'), join(base, 'lost')];
    expect(await main(args(whole)), err.join('\n')).toBe(0);
    const undisturbed = withoutPaths(out.at(-1)!);
    loseDevice(150, true);
    expect(await main(args(lost)), err.join('\n')).toBe(0);
    const told = err.filter((line) => line.includes('GPU device lost'));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/^\n?amari-ep run: GPU device lost \(destroyed: device was destroyed\); recovered from step \d+ on a new device$/);
    expect(withoutPaths(out.at(-1)!)).toEqual(undisturbed);
    expect(readFileSync(join(lost, 'field.npy')).equals(readFileSync(join(whole, 'field.npy')))).toBe(true);
  }, 240_000);

  it('gives up after repeated losses: exit 1, one clear line, nothing written', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-loss-')), 'out');
    loseDevice(100, false);
    expect(await main(args(dir))).toBe(1);
    expect(err.at(-1)).toBe(
      'amari-ep: the GPU device was lost (destroyed: device was destroyed) and the run cannot go on: lost 4 times within 600 s, more than the 3 recovered from; the device keeps failing',
    );
    expect(err.filter((line) => line.includes('recovered from step'))).toHaveLength(3);
    expect(existsSync(join(dir, 'summary.json')) || existsSync(join(dir, 'field.npy'))).toBe(false);
  }, 240_000);
});
