import type { Config } from '../config/schema.js';
import type { BackendInfo, Engine } from '../engine/engine.js';
import { cellSize } from '../model/kernels.js';
import { perStepMean, weightedBatchMean } from '../numeric/batch-means.js';
import { fourierTheory, type FourierTheory } from '../theory/fourier.js';
import { TheoryNotApplicable } from '../theory/modes.js';
import { SpectrumSampler } from '../estimators/mode-spectrum.js';
import { assertRunnable } from './preflight.js';

export interface RunOptions {
  /** Measured steps, after the burn-in. */
  steps: number;
  burnIn?: number;
  /** Batch-means blocks over the measured steps. */
  blocks?: number;
  /** Called now and then with steps done and steps in all (burn-in included). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Steps sampled for the mode-resolved entropy production σ(k) (spec §5):
   * each reads u_n and u_{n+1} back and transforms them on the CPU. Default:
   * up to 400, fewer on large grids; 0 turns it off.
   */
  spectrumSamples?: number;
}

export interface TheoryComparison {
  eprContinuous: number | null;
  eprDiscrete: number | null;
  densityDiscrete: number | null;
  cellVariance: number | null;
}

export interface RunResult {
  config: Config;
  backend: BackendInfo;
  replicas: number;
  steps: number;
  burnIn: number;
  /** Measured time, steps·dt. */
  time: number;
  epr: {
    /** Entropy production rate of one field (nats per unit time), averaged over replicas. */
    estimate: number;
    stderr: number;
    /** The same per unit area. */
    density: number;
    densityStderr: number;
    blocks: { time: number; rate: number; runningMean: number }[];
  };
  cellVariance: { estimate: number; stderr: number };
  /** The closed-form theory, or why there is none. */
  theory: TheoryComparison | { unavailable: string };
  /** u at the end, replica-major. */
  field: Float64Array;
  /** Time-averaged local entropy production per unit area and time, replica-major. */
  eprDensity: Float64Array;
  /** σ(k) from sampled steps of replica 0 (index p + n·q), with shells of |k| against theory; null when not sampled. */
  spectrum: { samples: number; modes: Float64Array; shells: ReturnType<SpectrumSampler['result']> } | null;
  /** Stepping throughput: the wall time less the read-backs and transforms of the σ(k) samples. */
  performance: { wallSeconds: number; samplingSeconds: number; cellStepsPerSecond: number };
}

export const DEFAULT_BLOCKS = 50;

/** Each sample transforms the grid three times on the CPU: fewer on large grids. */
function defaultSpectrumSamples(n: number): number {
  return n <= 128 ? 400 : n <= 512 ? 100 : 20;
}


/** The Fourier theory where it covers the config, else why not. */
function fourierOrReason(config: Config): FourierTheory | { unavailable: string } {
  try {
    return fourierTheory(config);
  } catch (e) {
    if (e instanceof TheoryNotApplicable) return { unavailable: e.message };
    throw e;
  }
}

/** Closed-form values where the theory covers the config, else why not. */
export function theoryFor(config: Config, theory = fourierOrReason(config)): TheoryComparison | { unavailable: string } {
  if ('unavailable' in theory) return theory;
  return {
    eprContinuous: theory.eprContinuous,
    eprDiscrete: theory.eprDiscrete,
    densityDiscrete: theory.densityDiscrete,
    cellVariance: theory.cellVariance,
  };
}

function checkCount(name: string, value: number, min: number): void {
  if (!(Number.isInteger(value) && value >= min)) throw new RangeError(`${name} must be an integer ≥ ${min} (got ${value})`);
}

/**
 * Burn-in, then `steps` measured steps with the estimators attached; the
 * estimate and its batch-means error come from block sums read once at the end.
 */
export async function simulate(engine: Engine, options: RunOptions): Promise<RunResult> {
  const { config, replicas } = engine;
  const steps = options.steps;
  const burnIn = options.burnIn ?? 0;
  const blocks = Math.min(options.blocks ?? DEFAULT_BLOCKS, steps);
  checkCount('steps', steps, 2);
  checkCount('burn-in', burnIn, 0);
  checkCount('blocks', blocks, 2);
  assertRunnable(config);

  const total = burnIn + steps;
  const chunk = Math.max(1, Math.floor(total / 200));
  let done = 0;
  const started = performance.now();
  const advance = async (count: number) => {
    for (let left = count; left > 0; ) {
      const now = Math.min(chunk, left);
      await engine.advance(now);
      left -= now;
      done += now;
      options.onProgress?.(done, total);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  await advance(burnIn);
  const blockSteps = Math.ceil(steps / blocks);
  const ep = await engine.attachEntropyProduction(blockSteps);
  const variance = await engine.attachCellVariance(blockSteps);
  const samples = Math.min(options.spectrumSamples ?? defaultSpectrumSamples(config.grid.n), Math.floor(steps / 2));
  const sampler = samples > 0 ? new SpectrumSampler(config) : undefined;
  // The sampled steps are ordinary steps of the run, observed like the others.
  const stride = samples > 0 ? Math.floor(steps / samples) : steps;
  let samplingMs = 0;
  for (let left = steps; left > 0; ) {
    if (sampler && left >= stride && sampler.samples < samples) {
      await advance(stride - 1);
      let t0 = performance.now();
      const u = await engine.readField();
      samplingMs += performance.now() - t0;
      await advance(1);
      t0 = performance.now();
      sampler.add(u, await engine.readField());
      samplingMs += performance.now() - t0;
      left -= stride;
    } else {
      await advance(left);
      left = 0;
    }
  }
  ep.detach();
  variance.detach();
  const wallSeconds = (performance.now() - started) / 1000;
  const samplingSeconds = samplingMs / 1000;

  const { dt } = config;
  const area = config.grid.length ** 2;
  const fourier = fourierOrReason(config);
  const epBlocks = await ep.blocks();
  const perStep = perStepMean(epBlocks);
  const toRate = dt * replicas;
  let cumSum = 0;
  let cumSteps = 0;
  const blockRows = epBlocks.sums.map((sum, b) => {
    cumSum += sum;
    cumSteps += epBlocks.steps[b];
    return { time: cumSteps * dt, rate: sum / epBlocks.steps[b] / toRate, runningMean: cumSum / cumSteps / toRate };
  });

  const v = await variance.blocks();
  const perBlockVariance = v.first.sums.map((s1, b) => {
    const count = v.first.steps[b] * v.samplesPerStep;
    const m1 = s1 / count;
    return v.second.sums[b] / count - m1 * m1;
  });
  const varianceMean = weightedBatchMean(perBlockVariance, v.first.steps);

  const density = await ep.density();
  const densityScale = 1 / (steps * dt * cellSize(config) ** 2);
  for (let j = 0; j < density.length; j++) density[j] *= densityScale;

  const estimate = perStep.mean / toRate;
  const stderr = perStep.stderr / toRate;
  return {
    config,
    backend: engine.backend,
    replicas,
    steps,
    burnIn,
    time: steps * dt,
    epr: { estimate, stderr, density: estimate / area, densityStderr: stderr / area, blocks: blockRows },
    cellVariance: { estimate: varianceMean.mean, stderr: varianceMean.stderr },
    theory: theoryFor(config, fourier),
    field: await engine.readField(),
    eprDensity: density,
    spectrum: sampler
      ? { samples: sampler.samples, modes: sampler.modes(), shells: sampler.result('unavailable' in fourier ? null : fourier) }
      : null,
    performance: {
      wallSeconds,
      samplingSeconds,
      cellStepsPerSecond: (total * replicas * config.grid.n ** 2) / (wallSeconds - samplingSeconds),
    },
  };
}
