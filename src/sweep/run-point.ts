import type { Config } from '../config/schema.js';
import { createBatchEngine } from '../run/batch/create-batch.js';
import { simulateBatch } from '../run/batch/simulate-batch.js';
import { createEngine, type Backend, type GpuChoices } from '../run/create-engine.js';
import { DivergenceError } from '../run/divergence.js';
import { simulate, type RunResult } from '../run/simulate.js';
import { runSummary } from '../run/summary.js';
import type { SweepOptions } from './manifest.js';

export interface PointRun {
  /** summary.json as `amari-ep run --out` writes it. */
  summaryText: string;
  summary: ReturnType<typeof runSummary>;
  /** Which engine ran it (createEngine's note). */
  note: string;
  /** Points in the batch it ran in (runPointBatch); 1 when it ran alone. */
  batch: number;
}

/**
 * One point, as `amari-ep run --config <its config.json>` with the sweep's
 * options runs it: the result depends on the config and the options alone
 * (the seed is the config's), never on the other points or their order.
 * The caller has refused an unrunnable config (assertRunnable) already.
 */
export async function runPoint(config: Config, options: SweepOptions, gpu: Pick<GpuChoices, 'convolutionCache'> = {}): Promise<PointRun> {
  const { engine, note } = await createEngine(config, options.backend as Backend, options.replicas, {
    convolution: options.convolution as NonNullable<GpuChoices['convolution']>,
    noiseShaping: options.noiseShaping as NonNullable<GpuChoices['noiseShaping']>,
    ...gpu,
  });
  let result;
  try {
    result = await simulate(engine, {
      steps: options.steps,
      burnIn: options.burnIn,
      blocks: options.blocks,
      spectrumSamples: options.spectrumSamples ?? undefined,
      checked: true,
    });
  } finally {
    engine.dispose();
  }
  return pointRun(result, note, 1);
}

function pointRun(result: RunResult, note: string, batch: number): PointRun {
  const summary = runSummary(result);
  return { summaryText: `${JSON.stringify(summary, null, 2)}\n`, summary, note, batch };
}

/**
 * The first points of `configs` (batchable together: batch-groups.ts) as
 * replicas of one GPU dispatch, as many as fit; each point's summary is
 * the one runPoint writes (simulateBatch: its solo run's numbers, bit for
 * bit), its timings the batch's. Undefined where they must run one at a time
 * (createBatchEngine's reasons), or where a member diverged: run alone, each
 * stops with its own message or finishes. The configs are checked (assertRunnable) already.
 */
export async function runPointBatch(configs: Config[], options: SweepOptions, gpu: Pick<GpuChoices, 'convolutionCache'> = {}): Promise<PointRun[] | undefined> {
  const created = await createBatchEngine(configs, options.backend as Backend, options.replicas, {
    convolution: options.convolution as NonNullable<GpuChoices['convolution']>,
    noiseShaping: options.noiseShaping as NonNullable<GpuChoices['noiseShaping']>,
    ...gpu,
  });
  if (!created) return undefined;
  let results: RunResult[];
  try {
    results = await simulateBatch(created.engine, options.replicas, { steps: options.steps, burnIn: options.burnIn, blocks: options.blocks });
  } catch (e) {
    if (e instanceof DivergenceError) return undefined;
    throw e;
  } finally {
    created.engine.dispose();
  }
  return results.map((result) => pointRun(result, created.note, results.length));
}
