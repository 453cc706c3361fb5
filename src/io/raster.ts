import { PNG } from 'pngjs';
import { drawText, GLYPH_HEIGHT, textWidth } from './glyphs.js';

export { GLYPH_HEIGHT, textWidth };

type Rgb = ArrayLike<number>;

/**
 * A white RGBA picture to draw pixels, lines and the 3×5 font's numbers on,
 * then encode as PNG: what the heat maps and the line plots share (Node has
 * no canvas). Pixels outside the picture are ignored, so callers need not clip.
 */
export class Raster {
  private readonly png: PNG;

  constructor(readonly width: number, readonly height: number) {
    this.png = new PNG({ width, height });
    this.png.data.fill(255);
  }

  put(x: number, y: number, rgb: Rgb): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const o = (y * this.width + x) * 4;
    const data = this.png.data;
    data[o] = rgb[0];
    data[o + 1] = rgb[1];
    data[o + 2] = rgb[2];
    data[o + 3] = 255;
  }

  rect(x: number, y: number, w: number, h: number, rgb: Rgb): void {
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) this.put(x + i, y + j, rgb);
  }

  /** A straight line of `thickness` pixels (Bresenham, each point a thickness² square). */
  line(x0: number, y0: number, x1: number, y1: number, rgb: Rgb, thickness = 1): void {
    [x0, y0, x1, y1] = [x0, y0, x1, y1].map(Math.round);
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    const half = Math.floor((thickness - 1) / 2);
    let err = dx + dy;
    for (;;) {
      this.rect(x0 - half, y0 - half, thickness, thickness, rgb);
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  text(text: string, x: number, y: number, scale: number, rgb: Rgb): void {
    drawText(text, x, y, scale, (px, py) => this.put(px, py, rgb));
  }

  encode(): Buffer {
    return PNG.sync.write(this.png);
  }
}

/** A tick label in the font's characters: three significant digits, or an exponent for very large or small values. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? Number(v.toPrecision(3)).toString() : v.toExponential(2).replace('e+', 'e');
}
