import { describeGrid, gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { engineFootprint, type FootprintOptions } from './engine-footprint.js';
import type { BufferLimits } from './buffer-limits.js';
import { largestFitting } from './memory-budget.js';

/** The config on an nx × ny grid (a ring: nx cells) of the same domain: what the search varies. */
function withCells(config: Config, nx: number, ny: number): Config {
  const { grid } = config;
  const n = grid.dimensions === 1 || (typeof grid.n === 'number' && nx === ny) ? nx : ([nx, ny] as [number, number]);
  return { ...config, grid: { ...grid, n } };
}

export interface MemoryFit {
  /** The most replicas of this grid within the budget (0: not even one). */
  replicas: number;
  /**
   * What grid fits with this many replicas, in words: the largest square's
   * side, the longest ring, or for a rectangle the largest ny at this nx and
   * the largest nx at this ny (its aspect is the user's, so both are named).
   */
  grid: string;
}

/**
 * What does fit `budget` bytes where `config` × `replicas` does not: the
 * engine's footprint grows with cells and replicas, so a bisection over each
 * finds the boundary. A grid that fits also keeps a field within one buffer.
 */
export function memoryFit(config: Config, replicas: number, options: FootprintOptions, limits: BufferLimits, budget: number): MemoryFit {
  const bufferBytes = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  const fits = (c: Config, r: number) => {
    const { cells } = gridOf(c);
    return 4 * cells * r <= bufferBytes && engineFootprint(c, r, options, limits).bytes <= budget;
  };
  const grid = gridOf(config);
  const most = largestFitting(replicas, (r) => fits(config, r));
  const none = 'no grid';
  if (grid.dimensions === 1) {
    const n = largestFitting(grid.nx, (m) => fits(withCells(config, m, 1), replicas));
    return { replicas: most, grid: n ? describeGrid({ dimensions: 1, nx: n, ny: 1 }) : none };
  }
  if (grid.nx === grid.ny) {
    const n = largestFitting(grid.nx, (m) => fits(withCells(config, m, m), replicas));
    return { replicas: most, grid: n ? `${n}² cells` : none };
  }
  const ny = largestFitting(grid.ny, (m) => fits(withCells(config, grid.nx, m), replicas));
  const nx = largestFitting(grid.nx, (m) => fits(withCells(config, m, grid.ny), replicas));
  const named = [ny && `${grid.nx} × ${ny}`, nx && `${nx} × ${grid.ny}`].filter(Boolean);
  return { replicas: most, grid: named.length ? `${named.join(' or ')} cells` : none };
}
