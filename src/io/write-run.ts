import { writeFileSync } from 'node:fs';
import { describeGrid, gridOf, type Grid } from '../config/geometry.js';
import type { Plane } from '../model/stencil.js';
import type { RunResult } from '../run/simulate.js';
import { densityUnit, runSummary } from '../run/summary.js';
import { writeAllOrNothing, type FileContent } from './atomic-write.js';
import { arrayShape, fieldPictures, linePictures } from './field-pictures.js';
import { renderHeatmap } from './heatmap-png.js';
import { linePlotSvg, type Series } from './line-plot-svg.js';
import { writeNpyFile } from './npy-file.js';

/** The files every run writes: on a ring field.png and epr-density.png are line plots (field-pictures.ts). */
export const RUN_FILES = ['summary.json', 'timeseries.csv', 'field.npy', 'epr-density.npy', 'field.png', 'epr-density.png'] as const;

/** What a ring's run writes besides: the line plots as SVG, and the space-time record (when kept). */
export const RING_FILES = ['field.svg', 'epr-density.svg', 'space-time.npy', 'space-time.png'] as const;

/** A per-mode map (index p + nx·q) with k = 0 moved to the centre (cell ⌊nx/2⌋, ⌊ny/2⌋), for viewing. */
export function centred(modes: Float64Array, plane: Plane): Float64Array {
  const { nx, ny } = plane;
  const out = new Float64Array(nx * ny);
  const [hx, hy] = [Math.floor(nx / 2), Math.floor(ny / 2)];
  for (let q = 0; q < ny; q++) for (let p = 0; p < nx; p++) out[((q + hy) % ny) * nx + ((p + hx) % nx)] = modes[q * nx + p];
  return out;
}

/** Writes a run's files into `dir`, all or nothing. */
export function writeRun(result: RunResult, dir: string): string[] {
  const grid = gridOf(result.config);
  const { cells } = grid;
  const shape = arrayShape(grid, result.replicas);
  // Large arrays are written as their turn comes (.npy every cell; pictures downsampled where they are large).
  const npy = (data: Float64Array, s: readonly number[]) => (path: string) => writeNpyFile(path, data, s);
  const density = `nats per unit time ${densityUnit(grid)}`;
  const files: Record<string, FileContent> = {
    'summary.json': `${JSON.stringify(runSummary(result), null, 2)}\n`,
    'timeseries.csv': timeseriesCsv(result),
    'field.npy': npy(result.field, shape),
    'epr-density.npy': npy(result.eprDensity, shape),
    ...fieldPictures('field', result.field.subarray(0, cells), grid, 'sequential', {
      title: `field u after ${result.burnIn + result.steps} steps, ${describeGrid(grid)}${result.replicas > 1 ? ', replica 0' : ''}`,
      quantity: 'u',
    }),
    ...fieldPictures('epr-density', result.eprDensity.subarray(0, cells), grid, 'diverging', {
      title: `local entropy production over ${result.steps} steps${result.replicas > 1 ? ', replica 0' : ''}`,
      quantity: density,
    }),
  };
  if (result.eprDensityTheory) {
    files['epr-density-theory.npy'] = npy(result.eprDensityTheory.map, grid.shape);
    Object.assign(files, fieldPictures('epr-density-theory', result.eprDensityTheory.map, grid, 'diverging', { title: 'local entropy production, theory', quantity: density }));
  }
  const spectrum = result.spectrum;
  if (spectrum) {
    files['epr-spectrum.npy'] = npy(spectrum.modes, grid.shape);
    Object.assign(files, spectrumPictures(spectrum, grid));
    files['epr-spectrum-shells.svg'] = spectrumShellsSvg(spectrum, grid);
  }
  const record = result.spaceTime;
  if (record) {
    const rows = record.steps.length;
    files['space-time.npy'] = npy(record.rows, [rows, cells]);
    // Cells across, time down; each axis stretched on its own (heatmap-png.ts: 'fill').
    files['space-time.png'] = (path) => writeFileSync(path, renderHeatmap(record.rows, { nx: cells, ny: rows, rows: 'down', cells: 'fill' }, 'sequential'));
  }
  return writeAllOrNothing(dir, files);
}

/** σ(k) per mode with k = 0 in the middle: a heat map on a 2-D grid, a line against p = kL/2π on a ring. */
function spectrumPictures(spectrum: NonNullable<RunResult['spectrum']>, grid: Grid): Record<string, FileContent> {
  const modes = centred(spectrum.modes, grid);
  if (grid.dimensions === 2) {
    return { 'epr-spectrum.png': (path) => writeFileSync(path, renderHeatmap(modes, { nx: grid.nx, ny: grid.ny }, 'diverging')) };
  }
  const h = Math.floor(grid.nx / 2);
  const p = Array.from({ length: grid.nx }, (_, j) => j - h);
  return linePictures('epr-spectrum', p, modes, 'diverging', {
    title: `σ(k) per mode, ${spectrum.samples} sampled steps`,
    quantity: 'nats per unit time',
    x: 'p = k L / 2π',
  });
}

function timeseriesCsv(result: RunResult): string {
  const rows = result.epr.blocks.map((b, i) => `${i},${b.time},${b.rate},${b.runningMean}`);
  return `block,time,estimate,running_mean\n${rows.join('\n')}\n`;
}

/** The shells' axis: |k| in units of the shell width 2π/L (2π/Lx or 2π/Ly on a rectangle: the longer side). */
function shellAxis(grid: Grid): string {
  if (grid.dimensions === 1 || grid.lx === grid.ly) return '|k| L / 2π';
  return grid.lx > grid.ly ? '|k| Lx / 2π' : '|k| Ly / 2π';
}

/** epr-spectrum-shells.svg: σ(k) by shell of |k| from the samples, ±1 standard error, and the theory dashed. */
export function spectrumShellsSvg(spectrum: NonNullable<RunResult['spectrum']>, grid?: Grid): string {
  const { shell, data, stderr, theory } = spectrum.shells;
  const series: Series[] = [
    { label: 'data (±1 s.e.)', x: shell, y: data, band: stderr.map((e) => e ?? 0), colour: '#c0392b' },
  ];
  if (theory.every((t) => t !== null)) series.push({ label: 'theory σ_dt(k)', x: shell, y: theory, colour: '#2c3e50', dashed: true });
  return linePlotSvg(`σ(k) by shell, ${spectrum.samples} sampled steps`, grid ? shellAxis(grid) : '|k| L / 2π', 'nats per unit time', series);
}
