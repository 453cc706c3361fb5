import { colourTable, LUT_SIZE, type Palette } from './colormap.js';
import { blockMeans } from './downsample.js';
import { GLYPH_HEIGHT, Raster, textWidth, tickLabel } from './raster.js';

/** Cells per side drawn one to one; larger maps are drawn as block means (the .npy files keep every cell). */
export const MAX_PICTURE_SIDE = 1024;

/** About how many pixels the longer side of a map takes: small grids are drawn with cells of several pixels. */
const PICTURE_PIXELS = 512;

/** Pixels of the colour bar at least, so that its three labels never overlap above a flat map. */
const MIN_BAR_HEIGHT = 4 * GLYPH_HEIGHT * 2;

export type { Palette };

/** How an nx × ny array (row-major) is laid out as a picture. */
export interface HeatmapLayout {
  /** Columns (x) and rows of the array. */
  readonly nx: number;
  readonly ny: number;
  /**
   * 'up' (a field, the default): row 0 at the bottom, y up. 'down' (a space-time
   * picture): row 0, the earliest, at the top, time running down.
   */
  readonly rows?: 'up' | 'down';
  /**
   * 'square' (the default): every cell a square of pixels, so a field keeps the
   * grid's aspect nx : ny (the domain's when Δx = Δy), and a large one is
   * averaged over square blocks. 'fill': each axis scaled on its own to about
   * 512 pixels, for a space-time picture, whose axes (space, time) have no common unit.
   */
  readonly cells?: 'square' | 'fill';
}

/**
 * A map as a PNG: the cells (each a block of pixels, or past MAX_PICTURE_SIDE
 * cells on a side each pixel the mean of a block of cells), and beside them a
 * colour bar labelled with its top, middle and bottom values. `sequential`
 * uses viridis over [min, max]; `diverging` uses red–blue centred on zero
 * over ±max|v|, for signed maps such as the local entropy production.
 * `layout` is an n×n square's side, or the array's shape and orientation.
 */
export function renderHeatmap(cells: Float64Array, layout: number | HeatmapLayout, palette: Palette): Buffer {
  const { nx: cx, ny: cy, rows = 'up', cells: shape = 'square' } = typeof layout === 'number' ? { nx: layout, ny: layout } : layout;
  if (cells.length < cx * cy) throw new RangeError(`heat map of ${cx} × ${cy} cells given ${cells.length} values`);
  const factor = (n: number) => Math.ceil(n / MAX_PICTURE_SIDE);
  const [fx, fy] = shape === 'square' ? [factor(Math.max(cx, cy)), factor(Math.max(cx, cy))] : [factor(cx), factor(cy)];
  const { values: data, nx, ny } = fx > 1 || fy > 1 ? blockMeans(cells, { nx: cx, ny: cy }, fx, fy) : { values: cells, nx: cx, ny: cy };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < nx * ny; i++) {
    const v = data[i];
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (palette === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    [lo, hi] = [-m, m];
  } else if (hi === lo) {
    [lo, hi] = [lo - 0.5, hi + 0.5];
  }
  const lut = colourTable(palette);
  const fit = (n: number) => Math.max(1, Math.floor(PICTURE_PIXELS / n));
  const [sx, sy] = shape === 'square' ? [fit(Math.max(nx, ny)), fit(Math.max(nx, ny))] : [fit(nx), fit(ny)];
  const mapWidth = nx * sx;
  const mapHeight = ny * sy;
  const barHeight = Math.max(mapHeight, MIN_BAR_HEIGHT);
  const margin = 8;
  const barWidth = 16;
  const textScale = 2;
  const labels = [hi, (hi + lo) / 2, lo].map(tickLabel);
  const labelWidth = labels.reduce((w, l) => Math.max(w, textWidth(l, textScale)), 0);
  const width = margin + mapWidth + 2 * margin + barWidth + margin + labelWidth + margin;
  const height = barHeight + 2 * margin;
  const picture = new Raster(width, height);
  const colourOf = (v: number) => {
    const idx = Number.isFinite(v) ? Math.round(((v - lo) / (hi - lo)) * (LUT_SIZE - 1)) : 0;
    const i = Math.min(LUT_SIZE - 1, Math.max(0, idx)) * 3;
    return lut.subarray(i, i + 3);
  };
  for (let iy = 0; iy < ny; iy++) {
    const top = margin + (rows === 'up' ? ny - 1 - iy : iy) * sy;
    for (let ix = 0; ix < nx; ix++) picture.rect(margin + ix * sx, top, sx, sy, colourOf(data[iy * nx + ix]));
  }
  const barX = margin + mapWidth + 2 * margin;
  for (let y = 0; y < barHeight; y++) picture.rect(barX, margin + y, barWidth, 1, colourOf(hi - ((hi - lo) * y) / Math.max(1, barHeight - 1)));
  const textX = barX + barWidth + margin;
  const glyphH = GLYPH_HEIGHT * textScale;
  const labelRows = [margin, margin + Math.round((barHeight - glyphH) / 2), margin + barHeight - glyphH];
  labels.forEach((text, i) => picture.text(text, textX, labelRows[i], textScale, [0, 0, 0]));
  return picture.encode();
}
