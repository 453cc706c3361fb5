import type { RunResult } from '../run/simulate.js';
import { runSummary } from '../run/summary.js';
import { writeFileSync } from 'node:fs';
import { writeAllOrNothing, type FileContent } from './atomic-write.js';
import { renderHeatmap, type Palette } from './heatmap-png.js';
import { linePlotSvg, type Series } from './line-plot-svg.js';
import { writeNpyFile } from './npy-file.js';

export const RUN_FILES = ['summary.json', 'timeseries.csv', 'field.npy', 'epr-density.npy', 'field.png', 'epr-density.png'] as const;

/** A per-mode map (index p + n·q) with k = 0 moved to the centre, for viewing. */
export function centred(modes: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  const h = n / 2;
  for (let q = 0; q < n; q++) for (let p = 0; p < n; p++) out[((q + h) % n) * n + ((p + h) % n)] = modes[q * n + p];
  return out;
}

/** Writes a run's files into `dir`, all or nothing. */
export function writeRun(result: RunResult, dir: string): string[] {
  const n = result.config.grid.n;
  const shape = result.replicas === 1 ? [n, n] : [result.replicas, n, n];
  // Large arrays are written as their turn comes (.npy every cell; pictures downsampled by renderHeatmap).
  const npy = (data: Float64Array, s: readonly number[]) => (path: string) => writeNpyFile(path, data, s);
  const png = (data: Float64Array, palette: Palette) => (path: string) => writeFileSync(path, renderHeatmap(data, n, palette));
  const files: Record<string, FileContent> = {
    'summary.json': `${JSON.stringify(runSummary(result), null, 2)}\n`,
    'timeseries.csv': timeseriesCsv(result),
    'field.npy': npy(result.field, shape),
    'epr-density.npy': npy(result.eprDensity, shape),
    'field.png': png(result.field.subarray(0, n * n), 'sequential'),
    'epr-density.png': png(result.eprDensity.subarray(0, n * n), 'diverging'),
  };
  if (result.eprDensityTheory) {
    files['epr-density-theory.npy'] = npy(result.eprDensityTheory.map, [n, n]);
    files['epr-density-theory.png'] = png(result.eprDensityTheory.map, 'diverging');
  }
  const spectrum = result.spectrum;
  if (spectrum) {
    files['epr-spectrum.npy'] = npy(spectrum.modes, [n, n]);
    files['epr-spectrum.png'] = (path) => writeFileSync(path, renderHeatmap(centred(spectrum.modes, n), n, 'diverging'));
    files['epr-spectrum-shells.svg'] = spectrumShellsSvg(spectrum);
  }
  return writeAllOrNothing(dir, files);
}

function timeseriesCsv(result: RunResult): string {
  const rows = result.epr.blocks.map((b, i) => `${i},${b.time},${b.rate},${b.runningMean}`);
  return `block,time,estimate,running_mean\n${rows.join('\n')}\n`;
}

/** epr-spectrum-shells.svg: σ(k) by shell of |k| from the samples, ±1 standard error, and the theory dashed. */
export function spectrumShellsSvg(spectrum: NonNullable<RunResult['spectrum']>): string {
  const { shell, data, stderr, theory } = spectrum.shells;
  const series: Series[] = [
    { label: 'data (±1 s.e.)', x: shell, y: data, band: stderr.map((e) => e ?? 0), colour: '#c0392b' },
  ];
  if (theory.every((t) => t !== null)) series.push({ label: 'theory σ_dt(k)', x: shell, y: theory, colour: '#2c3e50', dashed: true });
  return linePlotSvg(`σ(k) by shell, ${spectrum.samples} sampled steps`, '|k| L / 2π', 'nats per unit time', series);
}
