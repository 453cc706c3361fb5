import { describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { CEILING_FACTOR, DivergenceError, spreadScale } from '../../src/run/divergence.js';
import { Run } from '../../src/run/run.js';
import { linearTheoryOrReason, simulate } from '../../src/run/simulate.js';
import { relax } from '../../src/run/relax.js';
import { uniformFixedPoint } from '../../src/model/fixed-point.js';
import { linearModes } from '../../src/theory/modes.js';
import { stabilityOf } from '../../src/theory/stability.js';
import { everyStep, shiftedGaussian, shiftedMexicanHat, smallLinear } from '../helpers.js';

/** relax() runs the checks before a run itself: a test that wants an unstable ensemble turns them off. */
const preflight = vi.hoisted(() => ({ skip: false }));
vi.mock('../../src/run/preflight.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/run/preflight.js')>();
  return { ...real, assertRunnable: (config: Config) => (preflight.skip ? undefined : real.assertRunnable(config)) };
});

/** The Euler–Maruyama limit of a uniform linear config (docs/model.md §5). */
function dtMax(config: Config): number {
  return stabilityOf(linearModes(config), config.dt).discrete.dtMax;
}

/** The small shifted field with dt a tenth past the Euler–Maruyama limit: it starts, then grows geometrically. */
const stable = smallLinear({ kernel: shiftedGaussian });
const unstable = smallLinear({ kernel: shiftedGaussian, dt: 1.1 * dtMax(stable) });

/** Per step n + 1 (the field u_{n+1}) and replica: the RMS of u − ref, from a probe of its own on another engine. */
async function rmsPerStep(config: Config, replicas: number, steps: number, ref: number): Promise<number[][]> {
  const engine = new CpuEngine(config, replicas);
  const rows: number[][] = [];
  const N = config.grid.n as number;
  await engine.observe(
    everyStep((_n, _u, uNext) => {
      const row: number[] = [];
      for (let r = 0; r < replicas; r++) {
        let s2 = 0;
        for (let i = r * N * N; i < (r + 1) * N * N; i++) s2 += (uNext[i] - ref) ** 2;
        row.push(Math.sqrt(s2 / (N * N)));
      }
      rows.push(row);
    }),
  );
  await engine.advance(steps);
  return rows;
}

async function caught(p: Promise<unknown>): Promise<DivergenceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DivergenceError) return e;
    throw e;
  }
  throw new Error('the run was not stopped');
}

/** Flat index of the largest |u| of replica r. */
function argmaxAbs(field: Float64Array, r: number, N: number): number {
  let at = 0;
  for (let i = 1; i < N; i++) if (Math.abs(field[r * N + i]) > Math.abs(field[r * N + at])) at = i;
  return at;
}

describe('divergence during a run', () => {
  it('stops a run past the Euler–Maruyama limit at the first step whose RMS passes the ceiling, naming the largest cell', async () => {
    expect(unstable.dt).toBeGreaterThan(dtMax(unstable));
    const replicas = 2;
    const N = 64;
    // The ceiling of the guard: CEILING_FACTOR × scale + |ref|, ref the zero field's mean (burn-in 0).
    const s = spreadScale(unstable, 0);
    const ceiling = CEILING_FACTOR * (s.initial + s.centre + s.noise);
    const rms = await rmsPerStep(unstable, replicas, 2000, 0);
    const first = rms.findIndex((row) => row.some((v) => !(v <= ceiling)));
    expect(first).toBeGreaterThan(20);
    const expectedStep = first + 1;
    const expectedReplica = rms[first].findIndex((v) => !(v <= ceiling));

    const engine = new CpuEngine(unstable, replicas);
    const run = new Run(engine, { steps: 2000, burnIn: 0, blocks: 10, checked: true, spectrumSamples: 0 });
    const window = 25;
    let windows = 0;
    const error = await caught(
      (async () => {
        while (!run.finished) {
          await run.advance(window);
          windows++;
        }
      })(),
    );
    const report = error.report;
    expect(report.step).toBe(expectedStep);
    expect(report.replica).toBe(expectedReplica);
    // Stopped at the end of the window that held it, not later: every earlier window passed.
    expect(windows).toBe(Math.ceil(expectedStep / window) - 1);
    expect(engine.stepIndex).toBe(Math.ceil(expectedStep / window) * window);
    expect(report.readAt).toBe(engine.stepIndex);
    const field = await engine.readField();
    const at = argmaxAbs(field, report.replica, N);
    expect(report.cell).toEqual([at % 8, Math.floor(at / 8)]);
    expect(report.value).toBe(field[report.replica * N + at]);
    expect(report.ceiling!.rms).toBeGreaterThan(report.ceiling!.limit);
    expect(report.cause).toMatch(/^dt = .* makes Euler–Maruyama unstable/);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(
      new RegExp(`^the field diverged at step ${expectedStep} \\(cell \\(${report.cell.join(', ')}\\), replica ${report.replica}: u = .*\\): likely cause: dt = .*; what to try: a smaller dt`),
    );
  });

  it('names a NaN at the step it appears, and the first non-finite cell', async () => {
    const engine = new CpuEngine(stable, 1);
    const run = new Run(engine, { steps: 400, burnIn: 0, blocks: 10, spectrumSamples: 0 });
    await run.advance(50);
    const state = await engine.saveState();
    const poisoned = state.field.slice();
    poisoned[5 * 8 + 3] = NaN;
    await engine.restoreState({ ...state, field: poisoned });
    const error = await caught(run.advance(1));
    const field = await engine.readField();
    const bad = Array.from(field.keys()).filter((i) => !Number.isFinite(field[i]));
    expect(bad.length).toBeGreaterThan(1);
    expect(error.report).toMatchObject({ step: 51, readAt: 51, replica: 0, cell: [bad[0] % 8, Math.floor(bad[0] / 8)], nonFinite: bad.length, cells: 64 });
    expect(error.report.ceiling).toBeUndefined();
    expect(error.message).toMatch(/^the field diverged at step 51 \(cell \(\d, \d\), replica 0: u = NaN; \d+ of 64 cells not finite\): likely cause: /);
  });

  it('catches a divergence in the burn-in at a field read, between the last good read and the first bad one, before the estimators attach', async () => {
    const s = spreadScale(unstable, 0);
    const ceiling = CEILING_FACTOR * (s.initial + s.centre + s.noise);
    const rms = await rmsPerStep(unstable, 1, 2000, 0);
    const firstBad = rms.findIndex((row) => !(row[0] <= ceiling)) + 1;
    const burnIn = 1600;
    expect(firstBad).toBeLessThan(burnIn);
    const run = new Run(new CpuEngine(unstable, 1), { steps: 100, burnIn, blocks: 10, checked: true });
    const error = await caught(run.advance(burnIn + 100));
    expect(run.attached).toBeUndefined();
    const { step, lastGood } = error.report;
    // Reads at the eighths of the burn-in: the first at or after the bad step, the one before it good.
    expect(step).toBe(Math.ceil((firstBad * 8) / burnIn) * (burnIn / 8));
    expect(lastGood).toBe(step - burnIn / 8);
    expect(error.message).toMatch(new RegExp(`^the field diverged between steps ${lastGood} and ${step} \\(`));
  });

  it('stops the ensemble relaxation at the first record whose fields show it', async () => {
    const s = spreadScale(unstable, 0);
    const ceiling = CEILING_FACTOR * (s.initial + s.centre + s.noise);
    const rms = await rmsPerStep(unstable, 4, 2000, 0);
    const firstBad = rms.findIndex((row) => row.some((v) => !(v <= ceiling))) + 1;
    preflight.skip = true;
    try {
      const error = await caught(relax(new CpuEngine(unstable, 4), { steps: 2000, recordEvery: 20 }));
      expect(error.report.step).toBe(Math.ceil(firstBad / 20) * 20);
      expect(error.report.lastGood).toBe(error.report.step - 20);
    } finally {
      preflight.skip = false;
    }
  }, 20000);

  it('never stops a stable run (fixed seeds: shifted, mexican hat, near the dt limit, far from zero, a large start, sigmoid)', async () => {
    const configs: Config[] = [
      stable,
      smallLinear({ kernel: shiftedMexicanHat }),
      smallLinear({ kernel: shiftedGaussian, dt: 0.95 * dtMax(stable) }),
      smallLinear({ kernel: shiftedGaussian, transfer: { type: 'linear', slope: 0.98 }, input: 50 }),
      smallLinear({ kernel: shiftedGaussian, initial: { type: 'random', std: 1e6 } }),
      smallLinear({ kernel: shiftedGaussian, transfer: { type: 'sigmoid', gain: 4, threshold: 0.5 }, input: 0, seed: 11 }),
    ];
    for (const config of configs) {
      const result = await simulate(new CpuEngine(config, 2), { steps: 3000, burnIn: 0, blocks: 10, spectrumSamples: 0 });
      expect(Number.isFinite(result.epr.estimate)).toBe(true);
      expect(Number.isFinite(result.cellVariance.estimate)).toBe(true);
    }
  }, 60000);

  it("bounds a stable linear field's spread by its scale: the theory's variance and fixed point lie inside", () => {
    for (const config of [stable, smallLinear({ kernel: shiftedMexicanHat, input: 0.7 }), smallLinear({ kernel: shiftedGaussian, dt: 0.95 * dtMax(stable) })]) {
      const theory = linearTheoryOrReason(config);
      if ('unavailable' in theory) throw new Error(theory.unavailable);
      const s = spreadScale(config, 0);
      expect(s.noise).toBeGreaterThanOrEqual(Math.sqrt(theory.cellVariance!));
      // Equal for a uniform input (the uniform mode is the least damped): to rounding.
      expect(s.centre).toBeGreaterThanOrEqual(Math.abs(uniformFixedPoint(config)) * (1 - 1e-12));
    }
  });
});
