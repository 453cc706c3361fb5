import type { TopLevelSpec } from 'vega-lite';
import { heatmapLayer, type CellMap } from './heatmap.js';
import { linePlotSpec, type Series } from './line-plot.js';
import { colourDomain } from './palette.js';

/** The σ(k) maps of a 2-D grid, k = 0 in the middle cell (⌊nx/2⌋, ⌊ny/2⌋), index p + nx·q. */
export interface SpectrumMaps {
  nx: number;
  ny: number;
  /** Measured σ(k) per mode. */
  data: ArrayLike<number>;
  /** The theory's σ(k) per mode, or null where there is none. */
  theory: ArrayLike<number> | null;
  samples: number;
  /** The axes' names: 'kx Lx / 2π', 'ky Ly / 2π' (or with L on a square). */
  kx: string;
  ky: string;
}

/** The units of σ(k): a mode's share of the rate. */
export const SIGMA_K = 'σ(k) (nats per unit time)';

/** The map of integer wave numbers p = kx Lx/2π ∈ [−⌊nx/2⌋, nx − 1 − ⌊nx/2⌋]: each cell centred on its p. */
function waveNumberMap(values: ArrayLike<number>, nx: number, ny: number): CellMap {
  const [hx, hy] = [Math.floor(nx / 2), Math.floor(ny / 2)];
  return { values, nx, ny, x: [-hx - 0.5, nx - hx - 0.5], y: [-hy - 0.5, ny - hy - 0.5] };
}

/**
 * epr-spectrum: σ(k) measured, and beside it the theory's, on one colour scale
 * (diverging, centred on zero) so that equal colours are equal rates.
 */
export function spectrumSpec(maps: SpectrumMaps): TopLevelSpec {
  const all = maps.theory ? [...Array.from(maps.data), ...Array.from(maps.theory)] : Array.from(maps.data);
  const domain = colourDomain(all, 'diverging');
  const text = (title: string) => ({ title, x: maps.kx, y: maps.ky, colour: SIGMA_K });
  const panel = (values: ArrayLike<number>, title: string) =>
    heatmapLayer(waveNumberMap(values, maps.nx, maps.ny), text(title), { palette: 'diverging', domain, integerTicks: true });
  const panels = [panel(maps.data, `measured, ${maps.samples} sampled steps`)];
  if (maps.theory) panels.push(panel(maps.theory, 'theory σ_dt(k)'));
  return {
    title: { text: 'Entropy production per Fourier mode σ(k)', anchor: 'middle', offset: 14 },
    hconcat: panels,
    resolve: { scale: { color: 'shared' }, legend: { color: 'shared' } },
  } as unknown as TopLevelSpec;
}

/** σ(k) by shell of |k|: the measured means ±1 standard error, and the theory's curve dashed. */
export interface SpectrumShells {
  shell: number[];
  data: (number | null)[];
  stderr: (number | null)[];
  theory: (number | null)[];
  samples: number;
  /** The axis' name, '|k| L / 2π' (the longer side on a rectangle). */
  axis: string;
}

/** epr-spectrum-shells: the radial shells with error bars against the theory. */
export function shellsSpec(shells: SpectrumShells): TopLevelSpec {
  const series: Series[] = [{ label: 'data (±1 s.e.)', x: shells.shell, y: shells.data, stderr: shells.stderr, colour: '#c0392b' }];
  if (shells.theory.some((t) => t !== null)) series.push({ label: 'theory σ_dt(k)', x: shells.shell, y: shells.theory, dashed: true, colour: '#2c3e50' });
  return linePlotSpec(series, { title: `σ(k) by shell of |k|, ${shells.samples} sampled steps`, x: shells.axis, y: SIGMA_K });
}
