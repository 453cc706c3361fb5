import type { TopLevelSpec } from 'vega-lite';

/** One curve of a line plot: y against x, with ±1 standard error bars where `stderr` is given, dashed for a theory. */
export interface Series {
  label: string;
  x: ArrayLike<number>;
  y: ArrayLike<number | null>;
  stderr?: ArrayLike<number | null>;
  dashed?: boolean;
  /** Points only, no line joining them (measurements at a few parameter values). */
  points?: boolean;
  /** A CSS colour; by default the next of COLOURS. A theory takes its data's colour. */
  colour?: string;
}

/** A line plot's text: title, and the axes' quantities with units. */
export interface LinePlotText {
  title: string;
  x: string;
  y: string;
  /** x takes integers only (a seed): ticks at integers, none between. */
  integerX?: boolean;
}

/** Colours of the series, in order (Vega's category10 start). */
const COLOURS = ['#c0392b', '#2c6fbb', '#27ae60', '#8e44ad', '#d35400', '#16a085', '#7f8c8d'];

const finite = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/**
 * Several series as one Vega-Lite layered chart: lines (dashed for theories),
 * error bars of ±1 standard error, and a legend naming each series. Null or
 * non-finite values are left out (a theory that does not apply).
 */
export function linePlotLayer(series: Series[], text: Omit<LinePlotText, 'title'>, size = { width: 520, height: 300 }) {
  const labels = series.map((s) => s.label);
  const rows = series.flatMap((s) =>
    Array.from(s.y, (y, i) => ({ series: s.label, x: s.x[i], y, se: s.stderr?.[i] ?? null })).filter((r) => finite(r.x) && finite(r.y)),
  );
  const values = rows.map((r) => ({ ...r, lo: finite(r.se) ? r.y! - r.se : null, hi: finite(r.se) ? r.y! + r.se : null }));
  const colour = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: labels, range: series.map((s, i) => s.colour ?? COLOURS[i % COLOURS.length]) },
    legend: { orient: 'bottom', direction: 'vertical', labelLimit: 600 },
  } as const;
  const x = {
    field: 'x', type: 'quantitative', title: text.x, scale: { zero: false, nice: false },
    ...(text.integerX && { axis: { tickMinStep: 1, format: 'd' } }),
  } as const;
  const y = { field: 'y', type: 'quantitative', title: text.y, scale: { zero: false } } as const;
  const only = (names: string[]) => ({ filter: { field: 'series', oneOf: names } });
  const lined = series.filter((s) => !s.points).map((s) => s.label);
  const dashed = new Set(series.filter((s) => s.dashed).map((s) => s.label));
  const dotted = series.filter((s) => s.points || s.stderr).map((s) => s.label);
  return {
    ...size,
    data: { values },
    layer: [
      // Solid and dashed lines as two layers of fixed dashes: a strokeDash scale would add a second legend repeating the colour's.
      ...[lined.filter((l) => !dashed.has(l)), lined.filter((l) => dashed.has(l))]
        .map((names, k) => ({ names, dash: k === 0 ? undefined : [6, 4] }))
        .filter(({ names }) => names.length > 0)
        .map(({ names, dash }) => ({
          transform: [only(names)],
          mark: { type: 'line', strokeWidth: 1.6, clip: true, ...(dash && { strokeDash: dash }) },
          encoding: { x, y, color: colour },
        })),
      ...(dotted.length ? [{ transform: [only(dotted)], mark: { type: 'point', filled: true, size: 28 }, encoding: { x, y, color: colour } }] : []),
      {
        transform: [{ filter: 'datum.lo !== null' }],
        mark: { type: 'rule', strokeWidth: 1.2 },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: colour },
      },
    ],
  } as const;
}

/** A line plot as a whole figure. */
export function linePlotSpec(series: Series[], text: LinePlotText): TopLevelSpec {
  return { title: text.title, ...linePlotLayer(series, text) } as unknown as TopLevelSpec;
}
