import { gridOf } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import type { Engine } from '../../src/engine/engine.js';
import type { Plan } from './plan.js';
import type { SkippedRow } from './rows.js';

/** Most steps in one timed run: past it the run lasts longer than it needs to, at no gain in precision. */
const MAX_STEPS = 500;

/**
 * Steps per timed run, so that one lasts about the plan's target: one step
 * timed on a throwaway engine (after one untimed step that compiles and
 * fills caches). A row whose warm-up and repeats would outlast the plan's
 * budget per row is skipped, with the reason.
 */
export async function stepsFor(make: () => Promise<Engine>, config: Config, p: Plan, engine: string): Promise<number | SkippedRow> {
  const probe = await make();
  let stepSeconds: number;
  try {
    await probe.advance(1);
    const t0 = performance.now();
    await probe.advance(1);
    stepSeconds = (performance.now() - t0) / 1000;
  } finally {
    probe.dispose();
  }
  const steps = Math.max(1, Math.min(MAX_STEPS, Math.round(p.targetSeconds / stepSeconds)));
  const total = stepSeconds * steps * (p.repeats + 1);
  if (total > p.rowBudgetSeconds) {
    const { nx, ny } = gridOf(config);
    return { engine, nx, ny, radius: config.kernel.radius!, skipped: `one step takes ${stepSeconds.toFixed(2)} s: ${p.repeats + 1} runs exceed the row's ${p.rowBudgetSeconds} s budget` };
  }
  return steps;
}
