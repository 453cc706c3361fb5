import type { Grid } from '../config/geometry.js';
import { figureFiles } from '../figures/figure-files.js';
import { heatmapSpec } from '../figures/heatmap.js';
import { linePlotSpec } from '../figures/line-plot.js';
import type { Palette } from '../figures/palette.js';
import { spaceTimeSpec } from '../figures/space-time.js';
import type { FileContent } from './atomic-write.js';
import { blockMeans } from './downsample.js';

/** What a picture of a map says about it: a title, and the name and units of its values (colour bar, or a line plot's y axis). */
export interface PictureText {
  title: string;
  quantity: string;
}

/** The array shape of R replicas of a field: the grid's shape ([ny, nx], or [n] on a ring), with a leading R when R > 1. */
export function arrayShape(grid: Grid, replicas: number): number[] {
  return replicas === 1 ? [...grid.shape] : [replicas, ...grid.shape];
}

/** The cells' positions along a ring, x = ix·Δx, in units of length. */
export function ringPositions(grid: Grid): number[] {
  return Array.from({ length: grid.nx }, (_, ix) => ix * grid.dx);
}

/** Cells per side a heat map draws one to one; larger maps are drawn as block means (the .npy files keep every cell). */
export const MAX_PICTURE_SIDE = 1024;

/**
 * Points a line plot draws at most: an SVG of a million points would weigh
 * tens of megabytes. Longer curves are drawn as the means of consecutive
 * blocks of points (the .npy files keep every cell).
 */
export const MAX_LINE_POINTS = 4096;

/**
 * The figures of one field-shaped map (`values`: one field, the first
 * replica's), `name`.svg and `name`.png. A 2-D grid gets a heat map over the
 * domain, x and y in units of length, the grid's aspect kept, large grids
 * drawn as means of square blocks. A ring gets a line plot against x.
 * `diverging` (signed maps) centres the colours on zero.
 */
export async function fieldPictures(name: string, values: Float64Array, grid: Grid, palette: Palette, text: PictureText): Promise<Record<string, FileContent>> {
  if (grid.dimensions === 1) return linePictures(name, ringPositions(grid), values, { ...text, x: 'x (units of length)' });
  const f = Math.ceil(Math.max(grid.nx, grid.ny) / MAX_PICTURE_SIDE);
  const map = f > 1 ? blockMeans(values, grid, f) : { values, nx: grid.nx, ny: grid.ny };
  const spec = heatmapSpec(
    { ...map, x: [0, grid.lx], y: [0, grid.ly] },
    { title: text.title, x: 'x (units of length)', y: 'y (units of length)', colour: text.quantity },
    { palette },
  );
  return figureFiles(name, spec);
}

/** name.svg and name.png: y (`text.quantity`) against x (`text.x`), one curve. */
export async function linePictures(name: string, x: number[], y: Float64Array, text: PictureText & { x: string }): Promise<Record<string, FileContent>> {
  const f = Math.ceil(x.length / MAX_LINE_POINTS);
  const xs = f > 1 ? blockMeans(x, { nx: x.length, ny: 1 }, f).values : x;
  const ys = f > 1 ? blockMeans(y, { nx: y.length, ny: 1 }, f).values : y;
  return figureFiles(name, linePlotSpec([{ label: text.quantity, x: xs, y: Array.from(ys) }], { title: text.title, x: text.x, y: text.quantity }));
}

/**
 * space-time.svg/png of a ring's record ([rows, n], row j at step steps[j]):
 * x across, time down, rows past MAX_PICTURE_SIDE (or cells) drawn as block means.
 */
export async function spaceTimePictures(record: { rows: Float64Array; steps: readonly number[] }, grid: Grid, dt: number): Promise<Record<string, FileContent>> {
  const rows = record.steps.length;
  const [fx, fy] = [Math.ceil(grid.nx / MAX_PICTURE_SIDE), Math.ceil(rows / MAX_PICTURE_SIDE)];
  const map = fx > 1 || fy > 1 ? blockMeans(record.rows, { nx: grid.nx, ny: rows }, fx, fy) : { values: record.rows, nx: grid.nx, ny: rows };
  const times: [number, number] = [record.steps[0] * dt, record.steps[rows - 1] * dt];
  return figureFiles('space-time', spaceTimeSpec({ rows: map.values, cells: map.nx, length: grid.lx, times, title: `field u along the ring against time, ${rows} records`, quantity: 'u' }));
}
