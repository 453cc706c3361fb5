import type { Observer, Snapshotting } from '../engine/observer.js';

/** Rows of a space-time picture at most: about one per pixel of a picture 512 pixels tall. */
export const SPACE_TIME_MAX_ROWS = 512;

/**
 * Values a space-time record holds at most (2²⁴ float64, 128 MiB): a ring of
 * more than 2¹⁵ cells gets fewer rows than SPACE_TIME_MAX_ROWS, never fewer than two.
 */
export const SPACE_TIME_MAX_VALUES = 1 << 24;

/** The field of replica 0 recorded every `every` steps: rows of a ring's space-time picture. */
export interface SpaceTime extends Snapshotting<SpaceTimeState> {
  /** Steps between rows. */
  readonly every: number;
  /** Per row, the step index n of its field u_n: firstStep + j·every. */
  readonly steps: readonly number[];
  /** The cells of one row. */
  readonly cells: number;
  /** The rows, oldest first: steps.length × cells values. */
  rows(): Float64Array;
  detach(): void;
}

/** A checkpoint's copy of a record: its first step and the rows so far. */
export interface SpaceTimeState {
  first: number;
  steps: number[];
  rows: Float64Array;
}

/** The rows a record keeps at most for a field of `cells` cells. */
export function spaceTimeRows(cells: number, maxRows = SPACE_TIME_MAX_ROWS): number {
  return Math.max(2, Math.min(maxRows, Math.floor(SPACE_TIME_MAX_VALUES / cells)));
}

/**
 * Steps between rows so that `steps` steps give at most `rows` rows, counting
 * the field before the first step: rows at 0, every, 2·every, … ≤ steps.
 */
export function spaceTimeStride(steps: number, rows: number): number {
  return Math.max(1, Math.ceil(steps / (rows - 1)));
}

/**
 * Records replica 0's field before the first step and after every `every`
 * steps, `steps` steps long. It reads whole fields only on the steps it
 * keeps (on the GPU a read-back of u_n and u_{n+1}; for a ring of n cells
 * that is cheap), so a long run costs at most `maxRows` read-backs.
 */
export function spaceTime(steps: number, maxRows = SPACE_TIME_MAX_ROWS, resume?: SpaceTimeState): Observer<SpaceTime> {
  if (!(Number.isInteger(steps) && steps >= 1 && Number.isInteger(maxRows) && maxRows >= 2)) {
    throw new RangeError(`space-time record: steps must be an integer ≥ 1 and rows ≥ 2 (got ${steps}, ${maxRows})`);
  }
  return {
    name: 'spaceTime',
    width: 0,
    async start(link) {
      const first = resume?.first ?? link.stepIndex;
      const cells = link.coefficients.cells;
      const every = spaceTimeStride(steps, spaceTimeRows(cells, maxRows));
      const rows: Float64Array[] = resume
        ? Array.from({ length: resume.steps.length }, (_, j) => resume.rows.slice(j * cells, (j + 1) * cells))
        : [(await link.readField()).slice(0, cells)];
      const stepsOf: number[] = resume ? [...resume.steps] : [first];
      // Step n hands over u_n and u_{n+1}: a row is u_{n+1} when n + 1 − first is a multiple of `every`.
      const keeps = (step: number) => step >= first && step + 1 - first <= steps && (step + 1 - first) % every === 0;
      const joinRows = () => {
        const out = new Float64Array(rows.length * cells);
        rows.forEach((row, j) => out.set(row, j * cells));
        return out;
      };
      return {
        sample: {
          wants: keeps,
          add(step, _u, uNext) {
            rows.push(uNext.slice(0, cells));
            stepsOf.push(step + 1);
          },
        },
        handle: {
          every,
          steps: stepsOf,
          cells,
          rows: joinRows,
          snapshot: async () => ({ first, steps: [...stepsOf], rows: joinRows() }),
          detach: () => link.detach(),
        },
      };
    },
  };
}
