import { describeGrid, type Grid, type Radii } from '../../../config/geometry.js';
import type { Engine } from '../../../engine/engine.js';
import { TEMPORAL_STEPS } from '../../layout/tiles.js';

/**
 * Whether `temporalBlocking: 'auto'` takes the blocked kernel: only where it
 * is at least this much faster than the one-step path. It recomputes halos
 * (more arithmetic per cell) to read and write the fields fewer times, so it
 * pays where a step is bound by memory bandwidth, and loses where it is bound
 * by arithmetic (a software adapter).
 */
export const TEMPORAL_MIN_GAIN = 0.05;

export interface TemporalChoice {
  blocked: boolean;
  how: string;
}

/** A throwaway engine of the run's config, blocked or not (the engine supplies it: no import cycle). */
export type MakeTimingEngine = (blocked: boolean) => Promise<Engine>;

/** A timed batch lasts this long, or holds this many steps (gpu-engine.ts times the convolutions alike). */
const MIN_TIMED_MS = 50;
const MAX_TIMED_STEPS = 64;

/** Remembered per process, by adapter, grid, radii and steps per dispatch. */
const choices = new Map<string, Promise<TemporalChoice>>();

/** Milliseconds per step of a throwaway engine, after a dispatch's worth of steps to warm up (compile, caches). */
async function msPerStep(engine: Engine): Promise<number> {
  try {
    await engine.advance(TEMPORAL_STEPS);
    for (let steps = TEMPORAL_STEPS; ; steps *= 2) {
      const t0 = performance.now();
      await engine.advance(steps);
      const ms = performance.now() - t0;
      if (ms >= MIN_TIMED_MS || steps >= MAX_TIMED_STEPS) return ms / steps;
    }
  } finally {
    engine.dispose();
  }
}

/**
 * Times the one-step path and the blocked kernel once per adapter, grid and
 * radius (the step's cost depends on all three), and takes the blocked
 * kernel only where it is at least TEMPORAL_MIN_GAIN faster.
 */
export function chooseTemporal(description: string, grid: Grid, radii: Radii, make: MakeTimingEngine): Promise<TemporalChoice> {
  const key = `${description}|${describeGrid(grid)}|r=${radii.x},${radii.y}|T=${TEMPORAL_STEPS}`;
  let choice = choices.get(key);
  if (!choice) {
    choice = (async () => {
      const one = await msPerStep(await make(false));
      const blocked = await msPerStep(await make(true));
      const pays = blocked <= one * (1 - TEMPORAL_MIN_GAIN);
      const how = `${TEMPORAL_STEPS} steps per dispatch ${blocked.toFixed(2)} ms/step vs one ${one.toFixed(2)}: ${pays ? 'blocked' : 'one step'}`;
      return { blocked: pays, how };
    })();
    choices.set(key, choice);
    // A failed measurement is not remembered: the next engine tries again.
    choice.catch(() => choices.delete(key));
  }
  return choice;
}
