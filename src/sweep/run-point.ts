import type { Config } from '../config/schema.js';
import { createEngine, type Backend, type GpuChoices } from '../run/create-engine.js';
import { assertRunnable } from '../run/preflight.js';
import { simulate } from '../run/simulate.js';
import { runSummary } from '../run/summary.js';
import type { SweepOptions } from './manifest.js';

export interface PointRun {
  /** summary.json as `amari-ep run --out` writes it. */
  summaryText: string;
  summary: ReturnType<typeof runSummary>;
  /** Which engine ran it (createEngine's note). */
  note: string;
}

/**
 * One point, as `amari-ep run --config <its config.json>` with the sweep's
 * options runs it: the result depends on the config and the options alone
 * (the seed is the config's), never on the other points or their order.
 */
export async function runPoint(config: Config, options: SweepOptions, gpu: Pick<GpuChoices, 'convolutionCache'> = {}): Promise<PointRun> {
  assertRunnable(config);
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
  const summary = runSummary(result);
  return { summaryText: `${JSON.stringify(summary, null, 2)}\n`, summary, note };
}
