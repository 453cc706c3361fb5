import { describeGrid, gridOf } from '../../src/config/geometry.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';

/** A grid on the command line: "1024" (1024²) or "4096x256" (nx × ny). */
export interface GridArg {
  nx: number;
  ny: number;
}

/** "256,1000,4096x256" → the grids, each side an integer ≥ 4; throws naming a malformed item. */
export function parseGridList(list: string): GridArg[] {
  return list.split(',').map((item) => {
    const sides = item.trim().split(/[x×]/).map(Number);
    if (!(sides.length <= 2 && sides.every((s) => Number.isInteger(s) && s >= 4))) {
      throw new Error(`"${item}" is not a grid: a side n ≥ 4 or nx×ny (e.g. 1024 or 4096x256)`);
    }
    const [nx, ny = nx] = sides;
    return { nx, ny };
  });
}

/** The grid of a config with one cell per unit of length (Δx = Δy = 1), a square written as n, L. */
export function unitGrid({ nx, ny }: GridArg): ConfigInput['grid'] {
  return nx === ny ? { n: nx, length: nx } : { n: [nx, ny], length: [nx, ny] };
}

/** A command line's grid as the tables write it: "1024²", "4096 × 256". */
export const sizeName = (size: GridArg): string => describeGrid({ dimensions: 2, ...size });

/** A config's grid as the tables write it: "1024²", "4096 × 256", "a ring of 256 cells". */
export const gridName = (config: Pick<Config, 'grid'>): string => describeGrid(gridOf(config));
