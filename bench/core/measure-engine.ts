import { gridOf } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Engine } from '../../src/engine/engine.js';
import { GpuEngine, type GpuEngineOptions } from '../../src/gpu/gpu-engine.js';
import { shapeLabel } from '../../src/gpu/layout/tiles.js';
import { Run } from '../../src/run/run.js';
import type { GpuRequest } from './plan.js';
import type { EngineRow } from './rows.js';
import { spread } from './stats.js';

export interface MeasureOptions {
  steps: number;
  warmup: number;
  repeats: number;
  /** Attach the estimators a user's run attaches (true), or step with nothing observing (false). */
  estimator: boolean;
}

/** A timed row and the field it ended on (warm-up and every repeat stepped): what a paired row is compared with. */
export interface Measured {
  row: EngineRow;
  field: Float64Array;
}

/**
 * Times `repeats` runs of `steps` steps after an untimed warm-up. Every run
 * checks its own output: the field must have changed in most cells and stay
 * finite, and with the estimator the entropy sums must be finite; a failed
 * check throws.
 */
export async function measureEngine(make: () => Promise<Engine>, config: Config, options: MeasureOptions): Promise<Measured> {
  const engine = await make();
  try {
    // With the estimator: an open-ended run measured from its first step, the estimators a user's run
    // attaches, no σ(k) sampling. Without: the engine itself, nothing attached (the pure step).
    const run = options.estimator ? new Run(engine, { steps: Infinity, blockSteps: options.steps }) : undefined;
    const advance = (steps: number) => (run ? run.advance(steps) : engine.advance(steps));
    await advance(options.warmup);
    const grid = gridOf(config);
    const N = grid.cells * engine.replicas;
    const rates: number[] = [];
    const gpuTimes: number[] = [];
    const gpu = engine instanceof GpuEngine ? engine : undefined;
    let field = await engine.readField();
    for (let r = 0; r < options.repeats; r++) {
      const before = field;
      const gpuBefore = gpu?.gpuSeconds;
      const t0 = performance.now();
      await advance(options.steps);
      const seconds = (performance.now() - t0) / 1000;
      const gpuAfter = gpu?.gpuSeconds;
      if (gpuBefore !== undefined && gpuAfter !== undefined) gpuTimes.push((gpuAfter - gpuBefore) / options.steps);
      field = await engine.readField();
      checkField(before, field);
      rates.push((N * options.steps) / seconds);
    }
    if (run) {
      const { sums } = run.attached!.entropy.blocks();
      if (!sums.every(Number.isFinite)) throw new Error('benchmark output check: entropy sums are not finite');
    }
    const perStep = rates.map((rate) => N / rate);
    const row: EngineRow = {
      engine: engine.backend.kind,
      estimator: options.estimator,
      driftVariant: gpu?.driftVariant,
      updateFused: gpu?.updateFused,
      separableShape: gpu?.separableShape && shapeLabel(gpu.separableShape),
      blockedSteps: gpu?.blockedSteps,
      nx: grid.nx,
      ny: grid.ny,
      radius: config.kernel.radius ?? NaN,
      steps: options.steps,
      cellStepsPerSecond: spread(rates),
      secondsPerStep: spread(perStep),
      gpuSecondsPerStep: gpuTimes.length ? spread(gpuTimes) : undefined,
      timing: gpuTimes.length ? 'gpu-timestamps' : 'wall',
      check: options.estimator ? 'field finite, moving; entropy sums finite' : 'field finite, moving',
    };
    return { row, field };
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

export function gpuMaker(device: GPUDevice, description: string, config: Config, convolution: GpuRequest, options: GpuEngineOptions = {}) {
  return () => GpuEngine.create(device, description, config, 1, { timestamps: true, convolution, ...options });
}
