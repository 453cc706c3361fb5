import type { TopLevelSpec } from 'vega-lite';
import { linePlotLayer, type Series } from './line-plot.js';

/**
 * What the sweep figure draws, one panel per swept parameter. Built by the
 * sweep's writer from sweep.csv's rows and the theory evaluated densely along
 * each parameter's axis (the other parameters at their values in the points).
 */
export interface SweepFigureData {
  /** The figure's title, e.g. 'Entropy production against the kernel's shift, 16² grid'. */
  title: string;
  /** The quantity on the y axis with its units, e.g. 'entropy production (nats per unit time)'. */
  quantity: string;
  panels: SweepPanel[];
}

export interface SweepPanel {
  /** The parameter's dotted config path, e.g. 'kernel.shift.0': the panel's title. */
  parameter: string;
  /** The x axis' title: the path with its units where it has them, e.g. 'kernel.shift.0 (units of length)'. */
  axis: string;
  /** The parameter takes integers only (a seed): ticks at integers. */
  integer?: boolean;
  /** The measured points: the parameter's value, the estimate and its standard error. */
  points: { value: number; estimate: number; stderr: number }[];
  /** Theory curves along the axis, e.g. 'theory (discrete time)', 'theory (continuum)'; y null where it does not apply. */
  theory: { label: string; value: number[]; y: (number | null)[] }[];
}

/** The sweep figure: per parameter, the estimates with ±1 standard error bars against the dense theory curves. */
export function sweepFigure(data: SweepFigureData): TopLevelSpec {
  const panels = data.panels.map((panel) => {
    const series: Series[] = [
      {
        label: 'estimate (±1 s.e.)',
        x: panel.points.map((p) => p.value),
        y: panel.points.map((p) => p.estimate),
        stderr: panel.points.map((p) => p.stderr),
        points: true,
      },
      ...panel.theory.map((t) => ({ label: t.label, x: t.value, y: t.y, dashed: true })),
    ];
    return { title: panel.parameter, ...linePlotLayer(series, { x: panel.axis, y: data.quantity, integerX: panel.integer }, { width: 420, height: 280 }) };
  });
  return { title: { text: data.title, anchor: 'middle', offset: 14 }, hconcat: panels, resolve: { scale: { color: 'independent' } } } as unknown as TopLevelSpec;
}
