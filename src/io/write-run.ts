import { describeGrid, gridOf, type Grid } from '../config/geometry.js';
import { figureFiles } from '../figures/figure-files.js';
import { linePlotSpec, type Series } from '../figures/line-plot.js';
import { shellsSpec, SIGMA_K, spectrumSpec } from '../figures/spectrum.js';
import type { Plane } from '../model/stencil.js';
import type { RunResult } from '../run/simulate.js';
import { densityUnit, runSummary } from '../run/summary.js';
import { writeAllOrNothing, type FileContent } from './atomic-write.js';
import { arrayShape, fieldPictures, spaceTimePictures } from './field-pictures.js';
import { writeNpyFile } from './npy-file.js';

/**
 * The files every run writes. Every figure is an SVG and a PNG with a title,
 * axes with units and a colour bar (src/figures/): on a 2-D grid field and
 * epr-density are heat maps, on a ring line plots.
 */
export const RUN_FILES = ['summary.json', 'timeseries.csv', 'field.npy', 'epr-density.npy', 'field.svg', 'field.png', 'epr-density.svg', 'epr-density.png'] as const;

/** What a ring's run writes besides: the space-time record (when kept) and its picture. */
export const RING_FILES = ['space-time.npy', 'space-time.svg', 'space-time.png'] as const;

/** The figures a run writes when it sampled σ(k): the modes (data beside theory on a 2-D grid) and the shells. */
export const SPECTRUM_FILES = ['epr-spectrum.svg', 'epr-spectrum.png', 'epr-spectrum-shells.svg', 'epr-spectrum-shells.png'] as const;

/** A per-mode map (index p + nx·q) with k = 0 moved to the centre (cell ⌊nx/2⌋, ⌊ny/2⌋), for viewing. */
export function centred(modes: Float64Array, plane: Plane): Float64Array {
  const { nx, ny } = plane;
  const out = new Float64Array(nx * ny);
  const [hx, hy] = [Math.floor(nx / 2), Math.floor(ny / 2)];
  for (let q = 0; q < ny; q++) for (let p = 0; p < nx; p++) out[((q + hy) % ny) * nx + ((p + hx) % nx)] = modes[q * nx + p];
  return out;
}

/**
 * Writes a run's files into `dir`, all or nothing. Asynchronous because the
 * figures' SVGs are rendered first (Vega); the files themselves are then
 * written in one writeAllOrNothing.
 */
export async function writeRun(result: RunResult, dir: string): Promise<string[]> {
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
    ...(await fieldPictures('field', result.field.subarray(0, cells), grid, 'sequential', {
      title: `field u after ${result.burnIn + result.steps} steps, ${describeGrid(grid)}${result.replicas > 1 ? ', replica 0' : ''}`,
      quantity: 'u',
    })),
    ...(await fieldPictures('epr-density', result.eprDensity.subarray(0, cells), grid, 'diverging', {
      title: `local entropy production over ${result.steps} steps${result.replicas > 1 ? ', replica 0' : ''}`,
      quantity: `σ(x) (${density})`,
    })),
  };
  if (result.eprDensityTheory) {
    files['epr-density-theory.npy'] = npy(result.eprDensityTheory.map, grid.shape);
    const text = { title: 'local entropy production, theory', quantity: `σ(x) (${density})` };
    Object.assign(files, await fieldPictures('epr-density-theory', result.eprDensityTheory.map, grid, 'diverging', text));
  }
  const spectrum = result.spectrum;
  if (spectrum) {
    files['epr-spectrum.npy'] = npy(spectrum.modes, grid.shape);
    Object.assign(files, await spectrumPictures(spectrum, grid, spectrum.theoryModes));
    Object.assign(files, await figureFiles('epr-spectrum-shells', shellsSpec({ ...spectrum.shells, samples: spectrum.samples, axis: shellAxis(grid) })));
  }
  const record = result.spaceTime;
  if (record) {
    files['space-time.npy'] = npy(record.rows, [record.steps.length, cells]);
    Object.assign(files, await spaceTimePictures(record, grid, result.config.dt));
  }
  return writeAllOrNothing(dir, files);
}

/**
 * σ(k) per mode with k = 0 in the middle: on a 2-D grid the measured map beside
 * the theory's (one colour scale), kx and ky in units of 2π/Lx and 2π/Ly; on a
 * ring a line against p = kL/2π.
 */
async function spectrumPictures(spectrum: NonNullable<RunResult['spectrum']>, grid: Grid, theory: Float64Array | null): Promise<Record<string, FileContent>> {
  const modes = centred(spectrum.modes, grid);
  if (grid.dimensions === 2) {
    const square = grid.lx === grid.ly;
    return figureFiles(
      'epr-spectrum',
      spectrumSpec({
        nx: grid.nx,
        ny: grid.ny,
        data: modes,
        theory: theory && centred(theory, grid),
        samples: spectrum.samples,
        kx: square ? 'kx L / 2π' : 'kx Lx / 2π',
        ky: square ? 'ky L / 2π' : 'ky Ly / 2π',
      }),
    );
  }
  const h = Math.floor(grid.nx / 2);
  const p = Array.from({ length: grid.nx }, (_, j) => j - h);
  const series: Series[] = [{ label: 'measured', x: p, y: Array.from(modes) }];
  if (theory) series.push({ label: 'theory σ_dt(k)', x: p, y: Array.from(centred(theory, grid)), dashed: true });
  return figureFiles('epr-spectrum', linePlotSpec(series, { title: `σ(k) per mode, ${spectrum.samples} sampled steps`, x: 'p = k L / 2π', y: SIGMA_K }));
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
