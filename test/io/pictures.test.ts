import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { colourTable, LUT_SIZE } from '../../src/io/colormap.js';
import { blockMeans } from '../../src/io/downsample.js';
import { MAX_PICTURE_SIDE, renderHeatmap } from '../../src/io/heatmap-png.js';
import { renderLinePlot } from '../../src/io/line-plot-png.js';

const rgb = (picture: PNG, x: number, y: number) => Array.from(picture.data.subarray((y * picture.width + x) * 4, (y * picture.width + x) * 4 + 3));
const lutColour = (t: number) => {
  const lut = colourTable('sequential');
  const i = 3 * Math.round(t * (LUT_SIZE - 1));
  return Array.from(lut.subarray(i, i + 3));
};

describe('heat maps of rectangles and space-time records', () => {
  it('a rectangle is drawn with square cells, nx wide and ny tall, row 0 at the bottom', () => {
    const [nx, ny] = [12, 5];
    const field = Float64Array.from({ length: nx * ny }, (_, i) => Math.floor(i / nx)); // value = row
    const picture = PNG.sync.read(renderHeatmap(field, { nx, ny }, 'sequential'));
    const scale = Math.floor(512 / Math.max(nx, ny));
    expect(picture.height).toBe(ny * scale + 16);
    expect(rgb(picture, 8, 8)).toEqual(lutColour(1));
    expect(rgb(picture, 8, 8 + ny * scale - 1)).toEqual(lutColour(0));
    expect(rgb(picture, 8 + nx * scale - 1, 8)).toEqual(lutColour(1));
    expect(rgb(picture, 8 + nx * scale, 8)).toEqual([255, 255, 255]);
  });

  it("a space-time record runs down: row 0 (the earliest) at the top, each axis stretched on its own ('fill')", () => {
    const [nx, rows] = [16, 200];
    const record = Float64Array.from({ length: nx * rows }, (_, i) => Math.floor(i / nx)); // value = row
    const picture = PNG.sync.read(renderHeatmap(record, { nx, ny: rows, rows: 'down', cells: 'fill' }, 'sequential'));
    const [sx, sy] = [Math.floor(512 / nx), Math.floor(512 / rows)];
    expect(rgb(picture, 8, 8)).toEqual(lutColour(0));
    expect(rgb(picture, 8 + nx * sx - 1, 8 + rows * sy - 1)).toEqual(lutColour(1));
    expect(rgb(picture, 8 + nx * sx, 8)).toEqual([255, 255, 255]);
    expect(rgb(picture, 8, 8 + rows * sy)).toEqual([255, 255, 255]);
  });

  it('a flat map past MAX_PICTURE_SIDE is averaged over square blocks, keeping its aspect', () => {
    const [nx, ny] = [4 * MAX_PICTURE_SIDE, 8];
    const picture = PNG.sync.read(renderHeatmap(new Float64Array(nx * ny), { nx, ny }, 'sequential'));
    // Blocks of 4 × 4 cells: 1024 × 2 pixels; the colour bar keeps its labels apart.
    expect(picture.width).toBeGreaterThan(MAX_PICTURE_SIDE);
    expect(rgb(picture, 8, 8 + 1)).not.toEqual([255, 255, 255]);
    expect(rgb(picture, 8, 8 + 2)).toEqual([255, 255, 255]);
  });

  it('blockMeans takes rectangles and separate factors per axis', () => {
    const data = Float64Array.from({ length: 6 * 2 }, (_, i) => i);
    const { values, nx, ny } = blockMeans(data, { nx: 6, ny: 2 }, 3, 2);
    expect([nx, ny]).toEqual([2, 1]);
    expect(Array.from(values)).toEqual([(0 + 1 + 2 + 6 + 7 + 8) / 6, (3 + 4 + 5 + 9 + 10 + 11) / 6]);
  });
});

describe('line plot PNG', () => {
  it('draws y against x rising from the bottom left to the top right, in the given colour', () => {
    const x = Array.from({ length: 50 }, (_, i) => i);
    const colour = [200, 30, 30] as const;
    const picture = PNG.sync.read(renderLinePlot(x, Float64Array.from(x), { colour, width: 200, height: 100 }));
    const coloured: [number, number][] = [];
    for (let y = 0; y < picture.height; y++) for (let px = 0; px < picture.width; px++) if (rgb(picture, px, y).join() === colour.join()) coloured.push([px, y]);
    expect(coloured.length).toBeGreaterThan(200);
    const leftmost = coloured.reduce((a, b) => (b[0] < a[0] ? b : a));
    const rightmost = coloured.reduce((a, b) => (b[0] > a[0] ? b : a));
    expect(leftmost[1]).toBeGreaterThan(rightmost[1]); // image y grows downwards: the left end is lower
  });

  it('refuses x and y of different lengths', () => {
    expect(() => renderLinePlot([0, 1], Float64Array.of(1))).toThrow(/2 x values and 1 y values/);
  });
});
