import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Engine } from '../../src/engine/engine.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { useGpuDevice } from './device-fixture.js';
import { DivergenceError } from '../../src/run/divergence.js';
import { Run } from '../../src/run/run.js';
import { linearModes } from '../../src/theory/modes.js';
import { stabilityOf } from '../../src/theory/stability.js';
import { statisticsBase } from '../helpers.js';

/**
 * The GPU engine stops a diverging run as the CPU engine does: its float32
 * per-step sums show the same first step past the ceiling (the same random
 * numbers and a growth of several per cent a step, far above float32's
 * rounding), and the cell it names holds its own field's largest |u|.
 */
const gpu = useGpuDevice();

const stable = parseConfig(statisticsBase);
const unstable: Config = { ...stable, dt: 1.1 * stabilityOf(linearModes(stable), stable.dt).discrete.dtMax };

async function stopped(engine: Engine, window: number): Promise<DivergenceError> {
  const run = new Run(engine, { steps: 3000, burnIn: 0, blocks: 10, checked: true, spectrumSamples: 0 });
  try {
    while (!run.finished) await run.advance(window);
  } catch (e) {
    if (e instanceof DivergenceError) return e;
    throw e;
  }
  throw new Error('the run was not stopped');
}

describe('divergence on the GPU engine (32²)', () => {
  it('stops at the step the CPU engine stops at, naming its largest cell', async () => {
    const cpu = await stopped(new CpuEngine(unstable, 1), 32);
    const engine = await GpuEngine.create(gpu.device, gpu.description, unstable, 1, { windowSteps: 16 });
    gpu.keep(engine);
    const error = await stopped(engine, 32);
    const r = error.report;
    expect(r.step).toBe(cpu.report.step);
    expect(engine.stepIndex).toBe(Math.ceil(r.step / 32) * 32);
    const field = await engine.readField();
    let at = 0;
    for (let i = 1; i < field.length; i++) if (Math.abs(field[i]) > Math.abs(field[at])) at = i;
    expect(r.cell).toEqual([at % 32, Math.floor(at / 32)]);
    expect(r.cause).toMatch(/^dt = .* makes Euler–Maruyama unstable/);
  }, 120000);

  it('lets a stable run finish', async () => {
    const engine = await GpuEngine.create(gpu.device, gpu.description, stable, 1, { windowSteps: 16 });
    gpu.keep(engine);
    const run = new Run(engine, { steps: 400, burnIn: 100, blocks: 10, checked: true, spectrumSamples: 0 });
    while (!run.finished) await run.advance(50);
    expect(Number.isFinite(run.estimates().epr!.mean)).toBe(true);
  }, 120000);
});
