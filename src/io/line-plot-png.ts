import { extent } from '../numeric/extent.js';
import { GLYPH_HEIGHT, Raster, textWidth, tickLabel } from './raster.js';

/** A line plot as a PNG: the picture of a ring's field where a 2-D field gets a heat map. */
export interface LinePlotOptions {
  /** The line's colour (default: dark blue). */
  colour?: readonly [number, number, number];
  /** Draws y = 0 when the range spans it: signed curves such as the local entropy production. */
  zeroLine?: boolean;
  /** The plot area in pixels (default 640 × 300). */
  width?: number;
  height?: number;
}

const TEXT_SCALE = 2;
const MARGIN = 12;
const FRAME = [90, 90, 90];
const GRID = [225, 225, 225];
const BLACK = [0, 0, 0];

/**
 * y against x, the points joined by straight lines, in a frame with light grid
 * lines at the bottom, middle and top of the y range and at both ends and the
 * middle of x, each labelled with its value in the 3×5 font (the font has no
 * letters: the axes' names are in the SVG twin, written beside it).
 */
export function renderLinePlot(x: ArrayLike<number>, y: ArrayLike<number>, options: LinePlotOptions = {}): Buffer {
  const { colour = [41, 82, 163], zeroLine = false, width: w = 640, height: h = 300 } = options;
  if (x.length !== y.length || x.length === 0) throw new RangeError(`line plot: ${x.length} x values and ${y.length} y values`);
  // extent passes NaN by (comparisons with it are false); a curve with no finite value gets [0, 1].
  let [y0, y1] = extent(y);
  if (!(Number.isFinite(y0) && Number.isFinite(y1))) [y0, y1] = [0, 1];
  if (zeroLine) [y0, y1] = [Math.min(y0, 0), Math.max(y1, 0)];
  if (y0 === y1) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const pad = 0.05 * (y1 - y0);
  [y0, y1] = [y0 - pad, y1 + pad];
  const [x0, x1] = extent(x);
  const yTicks = [y1, (y0 + y1) / 2, y0];
  const xTicks = [x0, (x0 + x1) / 2, x1];
  const glyphH = GLYPH_HEIGHT * TEXT_SCALE;
  const left = MARGIN + yTicks.reduce((m, t) => Math.max(m, textWidth(tickLabel(t), TEXT_SCALE)), 0) + 8;
  const right = MARGIN + Math.ceil(textWidth(tickLabel(x1), TEXT_SCALE) / 2);
  const top = MARGIN + Math.ceil(glyphH / 2);
  const picture = new Raster(left + w + right, top + h + 8 + glyphH + MARGIN);
  const px = (v: number) => left + ((v - x0) / (x1 - x0 || 1)) * (w - 1);
  const py = (v: number) => top + (1 - (v - y0) / (y1 - y0)) * (h - 1);
  for (const t of yTicks) {
    const yy = Math.round(py(t));
    picture.line(left, yy, left + w - 1, yy, GRID);
    const label = tickLabel(t);
    picture.text(label, left - 8 - textWidth(label, TEXT_SCALE), yy - Math.floor(glyphH / 2), TEXT_SCALE, BLACK);
  }
  for (const t of xTicks) {
    const xx = Math.round(px(t));
    picture.line(xx, top, xx, top + h - 1, GRID);
    const label = tickLabel(t);
    picture.text(label, xx - Math.floor(textWidth(label, TEXT_SCALE) / 2), top + h + 8, TEXT_SCALE, BLACK);
  }
  if (zeroLine && y0 < 0 && y1 > 0) picture.line(left, Math.round(py(0)), left + w - 1, Math.round(py(0)), FRAME);
  picture.line(left, top, left + w - 1, top, FRAME);
  picture.line(left, top + h - 1, left + w - 1, top + h - 1, FRAME);
  picture.line(left, top, left, top + h - 1, FRAME);
  picture.line(left + w - 1, top, left + w - 1, top + h - 1, FRAME);
  // Non-finite points break the line, as in the SVG.
  for (let i = 1; i < x.length; i++) {
    if (!Number.isFinite(y[i - 1]) || !Number.isFinite(y[i])) continue;
    picture.line(px(x[i - 1]), py(y[i - 1]), px(x[i]), py(y[i]), colour, 2);
  }
  if (x.length === 1 && Number.isFinite(y[0])) picture.rect(Math.round(px(x[0])) - 1, Math.round(py(y[0])) - 1, 3, 3, colour);
  return picture.encode();
}
