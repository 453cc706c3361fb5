import { interpolateRdBu, interpolateViridis } from 'd3-scale-chromatic';
import { PNG } from 'pngjs';

/** viridis over [min, max] for fields; red (positive) to blue (negative), centred on zero, for signed maps. */
export type Palette = 'sequential' | 'diverging';

const interpolator = (palette: Palette) => (palette === 'sequential' ? interpolateViridis : (t: number) => interpolateRdBu(1 - t));

/** Stops of the palette, low to high, for the colour bar's scale: the same interpolator as the cells'. */
export function paletteStops(palette: Palette, count = 33): string[] {
  return Array.from({ length: count }, (_, i) => interpolator(palette)(i / (count - 1)));
}

/** [lo, hi] of the colour scale: the finite values' range, or ±max|v| for a diverging palette (zero in the middle). */
export function colourDomain(values: ArrayLike<number>, palette: Palette): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  }
  if (!Number.isFinite(lo)) return palette === 'diverging' ? [-1, 1] : [0, 1];
  if (palette === 'diverging') {
    const m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return [-m, m];
  }
  return hi === lo ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

const rgb = (css: string): number[] => {
  if (css.startsWith('#')) return [1, 3, 5].map((i) => parseInt(css.slice(i, i + 2), 16));
  return (/rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(css) ?? [0, 0, 0, 0]).slice(1).map(Number);
};

/** Pixels the cells' image has at least on its longer side (each cell an integer block of them). */
const IMAGE_PIXELS = 800;

/**
 * An nx × ny map (row-major, row 0 first) as a PNG data URL for a heat map's
 * image mark, each cell a square block of pixels: viewers smooth an image
 * when they stretch it, and blocks keep a cell's edges sharp all the same. `top`: which row is the picture's top
 * ('last' for a field, y up; 'first' for a space-time record, time down).
 * Non-finite cells are transparent.
 */
export function cellsImage(values: ArrayLike<number>, nx: number, ny: number, palette: Palette, domain: [number, number], top: 'first' | 'last'): string {
  const s = Math.max(1, Math.floor(IMAGE_PIXELS / Math.max(nx, ny)));
  const width = nx * s;
  const png = new PNG({ width, height: ny * s });
  const colour = interpolator(palette);
  const [lo, hi] = domain;
  for (let row = 0; row < ny; row++) {
    const source = top === 'last' ? ny - 1 - row : row;
    for (let ix = 0; ix < nx; ix++) {
      const v = values[source * nx + ix];
      if (!Number.isFinite(v)) continue;
      const t = Math.min(1, Math.max(0, (v - lo) / (hi - lo)));
      const pixel = [...rgb(colour(t)), 255];
      for (let j = 0; j < s; j++) for (let i = 0; i < s; i++) png.data.set(pixel, ((row * s + j) * width + ix * s + i) * 4);
    }
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}
