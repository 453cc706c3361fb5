import type { TopLevelSpec } from 'vega-lite';
import { cellsImage, colourDomain, paletteStops, type Palette } from './palette.js';

/** An nx × ny map of cells (row-major, row = y) covering [x0, x1] × [y0, y1] in the axes' units. */
export interface CellMap {
  values: ArrayLike<number>;
  nx: number;
  ny: number;
  x: [number, number];
  y: [number, number];
}

/** What a heat map says: its title, the axes' quantities with units, and the colour bar's quantity with units. */
export interface HeatmapText {
  title: string;
  x: string;
  y: string;
  colour: string;
}

export interface HeatmapOptions {
  palette: Palette;
  /** 'keep' (a field): one unit of x as long as one of y. 'fill' (space-time): each axis its own length. */
  aspect?: 'keep' | 'fill';
  /** 'up' (a field): y grows upwards. 'down' (space-time): the first row, the earliest, at the top. */
  rows?: 'up' | 'down';
  /** The colour scale's [lo, hi]; by default from the values (colourDomain). Maps compared side by side share one. */
  domain?: [number, number];
  /** Ticks at integers only (wave numbers). */
  integerTicks?: boolean;
}

/** Pixels of a heat map's longer side. */
const SIDE = 420;

/** The plot's size in pixels: the longer side SIDE, the other in proportion ('keep'), at least 60. */
function plotSize(map: CellMap, aspect: 'keep' | 'fill'): { width: number; height: number } {
  if (aspect === 'fill') return { width: SIDE, height: SIDE };
  const [w, h] = [map.x[1] - map.x[0], map.y[1] - map.y[0]];
  const scale = SIDE / Math.max(w, h);
  return { width: Math.max(60, Math.round(w * scale)), height: Math.max(60, Math.round(h * scale)) };
}

/**
 * One heat map as a Vega-Lite layer: the cells as a pixelated image filling the
 * plot, axes over the map's extent, and a colour bar (the legend of an invisible
 * layer holding the domain's ends) titled with the quantity. The image's colours
 * and the bar's come from the same interpolator (palette.ts).
 */
export function heatmapLayer(map: CellMap, text: HeatmapText, options: HeatmapOptions) {
  const { palette, aspect = 'keep', rows = 'up' } = options;
  const domain = options.domain ?? colourDomain(map.values, palette);
  const { width, height } = plotSize(map, aspect);
  const url = cellsImage(map.values, map.nx, map.ny, palette, domain, rows === 'up' ? 'last' : 'first');
  const axis = options.integerTicks ? { tickMinStep: 1, format: 'd' } : {};
  const x = { field: 'x', type: 'quantitative', title: text.x, axis, scale: { domain: map.x, nice: false, zero: false } } as const;
  const y = { field: 'y', type: 'quantitative', title: text.y, axis, scale: { domain: map.y, nice: false, zero: false, reverse: rows === 'down' } } as const;
  return {
    title: text.title,
    width,
    height,
    layer: [
      {
        // The image's top-left corner at (x0, top row's edge), stretched over the whole plot.
        data: { values: [{ x: map.x[0], y: rows === 'up' ? map.y[1] : map.y[0], url }] },
        mark: { type: 'image', width, height, aspect: false, align: 'left', baseline: 'top' },
        encoding: { x, y, url: { field: 'url', type: 'nominal' } },
      },
      {
        data: { values: domain.map((v) => ({ v })) },
        mark: { type: 'point', opacity: 0 },
        encoding: {
          color: {
            field: 'v',
            type: 'quantitative',
            title: text.colour,
            scale: { domain, range: paletteStops(palette), interpolate: 'rgb', nice: false, zero: false },
            legend: { gradientLength: Math.max(60, height - 20), titleLimit: 1000, format: '.3~g' },
          },
        },
      },
    ],
  } as const;
}

/** A heat map of one map as a whole figure. */
export function heatmapSpec(map: CellMap, text: HeatmapText, options: HeatmapOptions): TopLevelSpec {
  return heatmapLayer(map, text, options) as unknown as TopLevelSpec;
}
