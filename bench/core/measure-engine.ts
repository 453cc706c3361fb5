import { gridOf } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Engine } from '../../src/engine/engine.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { Run } from '../../src/run/run.js';
import { spread, type Spread } from './stats.js';

/** One engine at one size and radius: the full step of a run with its estimators attached. */
export interface EngineRow {
  engine: 'gpu' | 'cpu';
  /** GPU rows: the convolution path timed. */
  convolution?: 'stencil' | 'fft';
  /** The grid: nx × ny cells. */
  nx: number;
  ny: number;
  radius: number;
  steps: number;
  cellStepsPerSecond: Spread;
  secondsPerStep: Spread;
  /** GPU time per step from timestamp queries, when the device has them. */
  gpuSecondsPerStep?: Spread;
  timing: 'gpu-timestamps' | 'wall';
}

/**
 * Times `repeats` runs of `steps` steps after an untimed warm-up. Every run
 * checks its own output: the field must have changed in most cells and stay
 * finite, and the entropy sums must be finite; a failed check throws.
 */
export async function measureEngine(
  make: () => Promise<Engine>,
  config: Config,
  options: { steps: number; warmup: number; repeats: number },
): Promise<EngineRow> {
  const engine = await make();
  try {
    // An open-ended run, measured from its first step: the estimators a user's run attaches, no σ(k) sampling.
    const run = new Run(engine, { steps: Infinity, blockSteps: options.steps });
    await run.advance(options.warmup);
    const grid = gridOf(config);
    const N = grid.cells * engine.replicas;
    const rates: number[] = [];
    const gpuTimes: number[] = [];
    const gpu = engine instanceof GpuEngine ? engine : undefined;
    for (let r = 0; r < options.repeats; r++) {
      const before = await engine.readField();
      const gpuBefore = gpu?.gpuSeconds;
      const t0 = performance.now();
      await run.advance(options.steps);
      const seconds = (performance.now() - t0) / 1000;
      const gpuAfter = gpu?.gpuSeconds;
      if (gpuBefore !== undefined && gpuAfter !== undefined) gpuTimes.push((gpuAfter - gpuBefore) / options.steps);
      checkField(before, await engine.readField());
      rates.push((N * options.steps) / seconds);
    }
    const { sums } = run.attached!.entropy.blocks();
    if (!sums.every(Number.isFinite)) throw new Error('benchmark output check: entropy sums are not finite');
    const perStep = rates.map((rate) => N / rate);
    return {
      engine: engine.backend.kind,
      convolution: gpu?.convolution,
      nx: grid.nx,
      ny: grid.ny,
      radius: config.kernel.radius ?? NaN,
      steps: options.steps,
      cellStepsPerSecond: spread(rates),
      secondsPerStep: spread(perStep),
      gpuSecondsPerStep: gpuTimes.length ? spread(gpuTimes) : undefined,
      timing: gpuTimes.length ? 'gpu-timestamps' : 'wall',
    };
  } finally {
    engine.dispose();
  }
}

/** A field that stopped changing or went non-finite measured nothing: throws. */
export function checkField(before: Float64Array, after: Float64Array): void {
  let changed = 0;
  for (let i = 0; i < after.length; i++) {
    if (!Number.isFinite(after[i])) throw new Error(`benchmark output check: cell ${i} is ${after[i]}`);
    if (after[i] !== before[i]) changed++;
  }
  if (changed < after.length / 2) throw new Error(`benchmark output check: only ${changed} of ${after.length} cells changed`);
}

export function cpuMaker(config: Config) {
  return async () => new CpuEngine(config, 1);
}

export function gpuMaker(device: GPUDevice, description: string, config: Config, convolution: 'stencil' | 'fft') {
  return () => GpuEngine.create(device, description, config, 1, { timestamps: true, convolution });
}
