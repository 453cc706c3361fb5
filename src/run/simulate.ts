import type { Config } from '../config/schema.js';
import type { BackendInfo, Engine } from '../engine/engine.js';
import type { SpectrumSampler } from '../estimators/mode-spectrum/sampler.js';
import { stepCoefficients } from '../model/coefficients.js';
import { perStepMean } from '../numeric/batch-means.js';
import { configTheory, type ClosedFormTheory, type ConfigTheory } from '../theory/config-theory.js';
import { Run, type RunPlan } from './run.js';

export { DEFAULT_BLOCKS } from './run.js';

export interface RunOptions extends RunPlan {
  /** Called now and then with steps done and steps in all (burn-in included). */
  onProgress?: (done: number, total: number) => void;
}

/** The closed-form numbers; for a sigmoid or tanh field those of its linearisation, with `linearisation` saying about what. */
export type TheoryComparison = ClosedFormTheory;

/** A reported observer's number (src/estimators/reported.ts). */
export interface ObservedValue {
  key: string;
  label: string;
  unit: string;
  estimate: number;
  stderr: number;
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
  /** The other observers' numbers, with batch-means errors. */
  observed: ObservedValue[];
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

/** Closed-form values where the theory covers the config (a nonlinear one: its linearisation), else why not. */
export function theoryFor(config: Config, theory: ConfigTheory = configTheory(config)): TheoryComparison | { unavailable: string } {
  return theory.comparison;
}

/**
 * A whole run: burn-in, then `steps` measured steps with the estimators
 * attached, in pieces of about 1/200 of the run (progress, and a turn of the
 * event loop between pieces); the estimate and its batch-means error come
 * from block sums read once at the end.
 */
export async function simulate(engine: Engine, options: RunOptions): Promise<RunResult> {
  const run = new Run(engine, options);
  const chunk = Math.max(1, Math.floor(run.total / 200));
  const sampledBefore = engine.sampleSeconds;
  const started = performance.now();
  while (!run.finished) {
    await run.advance(chunk);
    options.onProgress?.(run.done, run.total);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const samplingSeconds = engine.sampleSeconds - sampledBefore;
  return runResult(run, { wallSeconds, samplingSeconds });
}

/** The finished run's numbers, its field and maps. */
async function runResult(run: Run, timing: { wallSeconds: number; samplingSeconds: number }): Promise<RunResult> {
  const { engine, steps, burnIn } = run;
  const { config, replicas } = engine;
  const { entropy, variance, spectrum, reported } = run.attached!;
  const { dt } = config;
  const area = config.grid.length ** 2;
  const closedForm = configTheory(config);
  const epBlocks = entropy.blocks();
  const perStep = perStepMean(epBlocks);
  const toRate = dt * replicas;
  let cumSum = 0;
  let cumSteps = 0;
  const blockRows = epBlocks.sums.map((sum, b) => {
    cumSum += sum;
    cumSteps += epBlocks.steps[b];
    return { time: cumSteps * dt, rate: sum / epBlocks.steps[b] / toRate, runningMean: cumSum / cumSteps / toRate };
  });
  const varianceMean = variance.estimate();

  const density = await entropy.density();
  const densityScale = 1 / (steps * dt * stepCoefficients(config).area);
  for (let j = 0; j < density.length; j++) density[j] *= densityScale;

  const estimate = perStep.mean / toRate;
  const stderr = perStep.stderr / toRate;
  const sampler = spectrum?.sampler;
  return {
    config,
    backend: engine.backend,
    replicas,
    steps,
    burnIn,
    time: steps * dt,
    epr: { estimate, stderr, density: estimate / area, densityStderr: stderr / area, blocks: blockRows },
    cellVariance: { estimate: varianceMean.mean, stderr: varianceMean.stderr },
    observed: reported.map((r) => {
      const m = r.summarize();
      return { key: r.key, label: r.label, unit: r.unit, estimate: m.mean, stderr: m.stderr };
    }),
    theory: theoryFor(config, closedForm),
    field: await engine.readField(),
    eprDensity: density,
    spectrum: sampler
      ? { samples: sampler.samples, modes: sampler.modes(), shells: sampler.result(closedForm.fourier) }
      : null,
    performance: {
      ...timing,
      cellStepsPerSecond: (run.total * replicas * config.grid.n ** 2) / (timing.wallSeconds - timing.samplingSeconds),
    },
  };
}
