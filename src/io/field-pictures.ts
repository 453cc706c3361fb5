import { writeFileSync } from 'node:fs';
import type { Grid } from '../config/geometry.js';
import type { FileContent } from './atomic-write.js';
import { blockMeans } from './downsample.js';
import { renderHeatmap, type Palette } from './heatmap-png.js';
import { renderLinePlot } from './line-plot-png.js';
import { linePlotSvg } from './line-plot-svg.js';

/** What a picture of a map says about it: a title, and the name and units of its values (a line plot's y axis). */
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

/**
 * The pictures of one field-shaped map (`values`: one field, the first
 * replica's), named `name` plus an extension, each made when its turn comes
 * (atomic-write.ts). A 2-D grid gets a heat map (name.png) with the grid's
 * aspect. A ring is a curve, not a picture of one row of pixels: a line plot
 * against x in units of length, as SVG (with its title and axis names) and as
 * PNG beside the 2-D runs' heat maps (the 3×5 font has numbers only). A
 * diverging palette, for signed maps, draws the line y = 0 on the PNG.
 */
export function fieldPictures(name: string, values: Float64Array, grid: Grid, palette: Palette, text: PictureText): Record<string, FileContent> {
  if (grid.dimensions === 2) {
    return { [`${name}.png`]: (path) => writeFileSync(path, renderHeatmap(values, { nx: grid.nx, ny: grid.ny }, palette)) };
  }
  return linePictures(name, ringPositions(grid), values, palette, { ...text, x: 'x (units of length)' });
}

/**
 * Points a line plot draws at most: a plot is about 600 pixels wide, and an SVG
 * of a million points would weigh tens of megabytes. Longer curves are drawn as
 * the means of consecutive blocks of points (the .npy files keep every cell), as
 * heat maps past MAX_PICTURE_SIDE are.
 */
export const MAX_LINE_POINTS = 4096;

/** name.svg and name.png: y against x, line plots (the SVG with its labels). */
export function linePictures(
  name: string,
  x: number[],
  y: Float64Array,
  palette: Palette,
  text: PictureText & { x: string },
): Record<string, FileContent> {
  const f = Math.ceil(x.length / MAX_LINE_POINTS);
  const xs = f > 1 ? Array.from(blockMeans(x, { nx: x.length, ny: 1 }, f).values) : x;
  const ys = f > 1 ? blockMeans(y, { nx: y.length, ny: 1 }, f).values : y;
  const signed = palette === 'diverging';
  return {
    [`${name}.svg`]: linePlotSvg(text.title, text.x, text.quantity, [{ label: text.quantity, x: xs, y: Array.from(ys), colour: '#2952a3' }]),
    [`${name}.png`]: (path) => writeFileSync(path, renderLinePlot(xs, ys, { zeroLine: signed })),
  };
}
