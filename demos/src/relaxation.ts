import type { Config } from '../../src/config/schema.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { relax, type RelaxResult } from '../../src/run/relax.js';

/** The demo's ensemble: small enough to finish in seconds on a software adapter. */
export const RELAX_MAX_N = 64;
export const RELAX_REPLICAS = 32;
export const RELAX_STEPS = 300;
export const RELAX_RECORD_EVERY = 10;

/**
 * Runs docs/model.md §6's balance for the current config on the GPU: R replicas relax
 * from a zero field (on at most 64² cells, Δx kept), recording the ensemble's
 * Shannon entropy and the entropy flow; returns the balance rows.
 */
export async function relaxEnsemble(device: GPUDevice, adapter: string, config: Config, onProgress: (done: number, total: number) => void): Promise<{ result: RelaxResult; note: string }> {
  const n = Math.min(config.grid.n, RELAX_MAX_N);
  const scaled: Config = {
    ...config,
    grid: { n, length: (config.grid.length * n) / config.grid.n },
    initial: { type: 'zero' },
  };
  const engine = await GpuEngine.create(device, adapter, scaled, RELAX_REPLICAS);
  try {
    const result = await relax(engine, { steps: RELAX_STEPS, recordEvery: RELAX_RECORD_EVERY, onProgress });
    const note = `${RELAX_REPLICAS} replicas of ${n}² cells${n < config.grid.n ? ` (the run's ${config.grid.n}² scaled down, Δx kept)` : ''} from a zero field`;
    return { result, note };
  } finally {
    engine.dispose();
  }
}
