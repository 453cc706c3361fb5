import type { TopLevelSpec } from 'vega-lite';
import { heatmapSpec } from './heatmap.js';

/** A ring's space-time record: `rows` fields of `cells` values each, row j taken at time times[j]. */
export interface SpaceTimeRecord {
  rows: ArrayLike<number>;
  cells: number;
  /** The ring's length (x runs over [0, length)). */
  length: number;
  /** The time of the first and the last row. */
  times: [number, number];
  title: string;
  /** The field's quantity, the colour bar's title. */
  quantity: string;
}

/** space-time: x across, time running down, the field in colour; each axis its own length. */
export function spaceTimeSpec(record: SpaceTimeRecord): TopLevelSpec {
  const count = record.rows.length / record.cells;
  const [t0, t1] = record.times;
  // Each row stands for the time from half a row's spacing before it to half after.
  const half = count > 1 ? (t1 - t0) / (count - 1) / 2 : 0.5;
  return heatmapSpec(
    { values: record.rows, nx: record.cells, ny: count, x: [0, record.length], y: [t0 - half, t1 + half] },
    { title: record.title, x: 'x (units of length)', y: 'time (units of time)', colour: record.quantity },
    { palette: 'sequential', aspect: 'fill', rows: 'down' },
  );
}
