import { PNG } from 'pngjs';
import { colourTable, LUT_SIZE, type Palette } from './colormap.js';
import { blockMeans } from './downsample.js';
import { drawText, GLYPH_HEIGHT, textWidth } from './glyphs.js';

/** Cells per side drawn one to one; larger maps are drawn as block means (the .npy files keep every cell). */
export const MAX_PICTURE_SIDE = 1024;

/**
 * An n×n field as a PNG: the map (y up, each cell drawn as a square of pixels,
 * or past MAX_PICTURE_SIDE each pixel the mean of a block of cells),
 * and beside it a colour bar labelled with its top, middle and bottom values.
 * `sequential` uses viridis over [min, max]; `diverging` uses red–blue centred on
 * zero over ±max|v|, for signed maps such as the local entropy production.
 */
export type { Palette };

function label(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? Number(v.toPrecision(3)).toString() : v.toExponential(2).replace('e+', 'e');
}

export function renderHeatmap(cells: Float64Array, cellsPerSide: number, palette: Palette): Buffer {
  const { values: data, side: n } =
    cellsPerSide > MAX_PICTURE_SIDE
      ? blockMeans(cells, cellsPerSide, Math.ceil(cellsPerSide / MAX_PICTURE_SIDE))
      : { values: cells, side: cellsPerSide };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n * n; i++) {
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
  const scale = Math.max(1, Math.floor(512 / n));
  const side = n * scale;
  const margin = 8;
  const barWidth = 16;
  const textScale = 2;
  const labels = [hi, (hi + lo) / 2, lo].map(label);
  const labelWidth = labels.reduce((w, l) => Math.max(w, textWidth(l, textScale)), 0);
  const width = margin + side + 2 * margin + barWidth + margin + labelWidth + margin;
  const height = side + 2 * margin;
  const png = new PNG({ width, height });
  png.data.fill(255);
  const put = (x: number, y: number, rgb: ArrayLike<number>) => {
    const o = (y * width + x) * 4;
    png.data[o] = rgb[0];
    png.data[o + 1] = rgb[1];
    png.data[o + 2] = rgb[2];
    png.data[o + 3] = 255;
  };
  const colourOf = (v: number) => {
    const idx = Number.isFinite(v) ? Math.round(((v - lo) / (hi - lo)) * (LUT_SIZE - 1)) : 0;
    const i = Math.min(LUT_SIZE - 1, Math.max(0, idx)) * 3;
    return lut.subarray(i, i + 3);
  };
  for (let iy = 0; iy < n; iy++) {
    for (let ix = 0; ix < n; ix++) {
      const rgb = colourOf(data[iy * n + ix]);
      const top = margin + (n - 1 - iy) * scale;
      for (let sy = 0; sy < scale; sy++) for (let sx = 0; sx < scale; sx++) put(margin + ix * scale + sx, top + sy, rgb);
    }
  }
  const barX = margin + side + 2 * margin;
  for (let y = 0; y < side; y++) {
    const rgb = colourOf(hi - ((hi - lo) * y) / Math.max(1, side - 1));
    for (let x = 0; x < barWidth; x++) put(barX + x, margin + y, rgb);
  }
  const black = [0, 0, 0];
  const textX = barX + barWidth + margin;
  const glyphH = GLYPH_HEIGHT * textScale;
  const rows = [margin, margin + Math.round((side - glyphH) / 2), margin + side - glyphH];
  labels.forEach((text, i) => drawText(text, textX, rows[i], textScale, (x, y) => put(x, y, black)));
  return PNG.sync.write(png);
}
