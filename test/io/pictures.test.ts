import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import { blockMeans } from '../../src/io/downsample.js';
import { fieldPictures, MAX_PICTURE_SIDE } from '../../src/io/field-pictures.js';
import { pngSize, svgImages, svgTexts } from '../figures/svg-text.js';
import { rectangleInput } from '../run/geometries.js';

describe('field pictures', () => {
  const grid = gridOf(parseConfig(rectangleInput)); // 24 × 10 cells over 12 × 5

  it('a heat map of a rectangle: one image pixel block per cell, the domain in units of length, the quantity on the colour bar', async () => {
    const values = Float64Array.from({ length: grid.cells }, (_, i) => i % grid.nx);
    const files = await fieldPictures('field', values, grid, 'sequential', { title: 'field u', quantity: 'u' });
    expect(Object.keys(files).sort()).toEqual(['field.png', 'field.svg']);
    const svg = files['field.svg'] as string;
    const [image] = svgImages(svg);
    expect(image.width / grid.nx).toBe(image.height / grid.ny);
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['field u', 'x (units of length)', 'y (units of length)', 'u', '12', '5']));
  });

  it('a map past MAX_PICTURE_SIDE cells is drawn as block means keeping its aspect; the PNG is made when its turn comes', async () => {
    const wide = { ...grid, nx: 4 * MAX_PICTURE_SIDE, ny: 8, cells: 4 * MAX_PICTURE_SIDE * 8, lx: 4 * MAX_PICTURE_SIDE, ly: 8 };
    const files = await fieldPictures('field', new Float64Array(wide.cells), wide, 'sequential', { title: 'flat', quantity: 'u' });
    const [image] = svgImages(files['field.svg'] as string);
    expect([image.width, image.height]).toEqual([MAX_PICTURE_SIDE, 2]);
    const writer = files['field.png'];
    if (typeof writer !== 'function') throw new Error('field.png should be written when its turn comes');
    const path = join(mkdtempSync(join(tmpdir(), 'amari-pictures-')), 'field.png');
    writer(path);
    expect(pngSize(readFileSync(path)).width).toBeGreaterThan(800);
  });

  it('blockMeans takes rectangles and separate factors per axis', () => {
    const data = Float64Array.from({ length: 6 * 2 }, (_, i) => i);
    const { values, nx, ny } = blockMeans(data, { nx: 6, ny: 2 }, 3, 2);
    expect([nx, ny]).toEqual([2, 1]);
    expect(Array.from(values)).toEqual([(0 + 1 + 2 + 6 + 7 + 8) / 6, (3 + 4 + 5 + 9 + 10 + 11) / 6]);
  });
});
