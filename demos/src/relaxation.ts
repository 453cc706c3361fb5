import { describeGrid, gridOf } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { relax, type RelaxResult } from '../../src/run/relax.js';

/** The demo's ensemble: small enough to finish in seconds on a software adapter. */
export const RELAX_MAX_N = 64;
export const RELAX_REPLICAS = 32;
export const RELAX_STEPS = 300;
export const RELAX_RECORD_EVERY = 10;

/**
 * The run's grid cut down for the ensemble, Δx and Δy kept: at most
 * RELAX_MAX_N cells along each side of a torus, or RELAX_MAX_N² cells on a
 * ring (as many cells as the largest torus), each side's length in proportion.
 */
export function relaxationGrid(config: Config): Config['grid'] {
  const grid = gridOf(config);
  if (grid.dimensions === 1) {
    const n = Math.min(grid.nx, RELAX_MAX_N * RELAX_MAX_N);
    return { n, length: (grid.lx * n) / grid.nx, dimensions: 1 };
  }
  const nx = Math.min(grid.nx, RELAX_MAX_N);
  const ny = Math.min(grid.ny, RELAX_MAX_N);
  const [lx, ly] = [(grid.lx * nx) / grid.nx, (grid.ly * ny) / grid.ny];
  // A square stays in the square form (n, L), as its links and notes write it.
  return nx === ny && lx === ly ? { n: nx, length: lx, dimensions: 2 } : { n: [nx, ny], length: [lx, ly], dimensions: 2 };
}

/**
 * Runs docs/model.md §6's balance for the current config on the GPU: R replicas relax
 * from a zero field (on the grid of relaxationGrid), recording the ensemble's
 * Shannon entropy and the entropy flow; returns the balance rows.
 */
export async function relaxEnsemble(device: GPUDevice, adapter: string, config: Config, onProgress: (done: number, total: number) => void): Promise<{ result: RelaxResult; note: string }> {
  const scaled: Config = { ...config, grid: relaxationGrid(config), initial: { type: 'zero' } };
  const [full, small] = [gridOf(config), gridOf(scaled)];
  const engine = await GpuEngine.create(device, adapter, scaled, RELAX_REPLICAS);
  try {
    const result = await relax(engine, { steps: RELAX_STEPS, recordEvery: RELAX_RECORD_EVERY, onProgress });
    const cut = small.cells < full.cells ? ` (the run's ${describeGrid(full)} scaled down, cell sizes kept)` : '';
    const cells = small.dimensions === 1 ? describeGrid(small) : `${describeGrid(small)} cells`;
    const note = `${RELAX_REPLICAS} replicas of ${cells}${cut} from a zero field`;
    return { result, note };
  } finally {
    engine.dispose();
  }
}
