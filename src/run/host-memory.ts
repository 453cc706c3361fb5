import { totalmem } from 'node:os';
import { describeGrid, gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { formatBytes, gpuMemoryBudget, largestFitting, type MemoryBudget } from '../gpu/memory-budget.js';

/**
 * Float64 arrays the CPU engine and a run's observers hold, in whole fields
 * of every replica: u_n, u_{n+1}, F(u_n), F(u_{n+1}); H F of both with
 * correlated noise; the entropy map, the variance's sums, a read-back and a
 * snapshot's copy.
 */
const REPLICA_FIELDS = 4 + 5;
const CORRELATED_FIELDS = 2;
/**
 * And per cell, once: the normals and their shaped and white-floor copies,
 * the coefficients and their maps, the drift's and noise filter's transforms,
 * σ(k)'s spectra. A bound: the engine holds about 20 (measured at 512²).
 */
const CELL_ARRAYS = 32;

/** About how many bytes a CPU run of `replicas` × an nx × ny grid holds (an upper estimate, not a count). */
export function cpuFootprint(config: Config, replicas: number): number {
  const { cells } = gridOf(config);
  const fields = REPLICA_FIELDS + (config.noise.correlationLength > 0 ? CORRELATED_FIELDS : 0);
  return 8 * cells * (replicas * fields + CELL_ARRAYS);
}

/**
 * Refuses, before the CPU engine allocates anything, a run whose float64
 * arrays exceed `hostBytes` (the machine's memory): one line naming the
 * footprint, the memory, and the largest grid and replica count that fit.
 */
export function checkHostMemory(config: Config, replicas: number, hostBytes: number = totalmem()): void {
  const need = cpuFootprint(config, replicas);
  if (need <= hostBytes) return;
  const grid = gridOf(config);
  const at = (nx: number, ny: number): Config => ({
    ...config, grid: { ...config.grid, n: grid.dimensions === 1 || typeof config.grid.n === 'number' ? nx : [nx, ny] },
  });
  const fits = (c: Config, r: number) => cpuFootprint(c, r) <= hostBytes;
  const most = largestFitting(replicas, (r) => fits(config, r));
  let fitting: string;
  if (grid.dimensions === 1 || grid.nx === grid.ny) {
    const n = largestFitting(grid.nx, (m) => fits(at(m, m), replicas));
    fitting = n === 0 ? 'no grid' : grid.dimensions === 1 ? describeGrid({ dimensions: 1, nx: n, ny: 1 }) : `${n}² cells`;
  } else {
    const ny = largestFitting(grid.ny, (m) => fits(at(grid.nx, m), replicas));
    const nx = largestFitting(grid.nx, (m) => fits(at(m, grid.ny), replicas));
    const named = [ny && `${grid.nx} × ${ny}`, nx && `${nx} × ${grid.ny}`].filter(Boolean);
    fitting = named.length ? `${named.join(' or ')} cells` : 'no grid';
  }
  const what = grid.dimensions === 1 ? describeGrid(grid) : `${describeGrid(grid)} cells`;
  throw new RangeError(
    `${what} × ${replicas} replica(s) on the CPU need about ${formatBytes(need)} of float64 arrays, more than this machine's ` +
      `memory (${formatBytes(hostBytes)}); at most ${fitting} with ${replicas} replica(s) fit, ` +
      (most > 0 ? `or ${most} replica(s) of ${what}` : `and not one replica of ${what}`),
  );
}

/** The GPU budget in Node: AMARI_EP_GPU_MEMORY, the adapter's memory heaps, else this machine's memory (memory-budget.ts). */
export function nodeGpuBudget(adapter: GPUAdapter): MemoryBudget {
  return gpuMemoryBudget(adapter.info, process.env, totalmem());
}
