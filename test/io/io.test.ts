import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { colourTable, LUT_SIZE } from '../../src/io/colormap.js';
import { blockMeans } from '../../src/io/downsample.js';
import { MAX_PICTURE_SIDE, renderHeatmap } from '../../src/io/heatmap-png.js';
import { writeNpyFile } from '../../src/io/npy-file.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('npy', () => {
  const data = Float64Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 0.5 - 3 + 1e-300 * i);

  it('round-trips shape and values, with the data 64-byte aligned', () => {
    const bytes = encodeNpy(data, [2, 3, 4]);
    expect((bytes.length - data.length * 8) % 64).toBe(0);
    const back = decodeNpy(bytes);
    expect(back.shape).toEqual([2, 3, 4]);
    expect(Array.from(back.data)).toEqual(Array.from(data));
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(data, [5, 5])).toThrow(/shape \[5, 5\] holds 25 values, data has 24/);
  });

  it.runIf(hasNumpy())('is read by NumPy itself with the same shape and values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-npy-'));
    const file = join(dir, 'a.npy');
    writeFileSync(file, encodeNpy(data, [2, 3, 4]));
    const out = execFileSync('python3', ['-c', `import numpy as np, json; a = np.load(${JSON.stringify(file)}); print(json.dumps([list(a.shape), a.dtype.str, a[1, 2, 3], float(a.sum())]))`]);
    const [shape, dtype, last, sum] = JSON.parse(out.toString());
    expect(shape).toEqual([2, 3, 4]);
    expect(dtype).toBe('<f8');
    expect(last).toBe(data[23]);
    expect(sum).toBeCloseTo(data.reduce((a, b) => a + b, 0), 10);
  });
});

describe('heatmap PNG', () => {
  it('draws the map y-up at a whole-pixel scale with a colour bar beside it', () => {
    const n = 16;
    const field = Float64Array.from({ length: n * n }, (_, i) => Math.floor(i / n)); // value = row y
    const png = PNG.sync.read(renderHeatmap(field, n, 'sequential'));
    const scale = Math.floor(512 / n);
    expect(png.height).toBe(n * scale + 16);
    expect(png.width).toBeGreaterThan(n * scale + 40);
    const pixel = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    // Top row of the image is y = n − 1: the maximum, viridis yellow; the bottom row the minimum, dark purple.
    const top = pixel(8 + 1, 8 + 1);
    const bottom = pixel(8 + 1, 8 + n * scale - 2);
    expect(top[0]).toBeGreaterThan(200);
    expect(top[2]).toBeLessThan(80);
    expect(bottom[0]).toBeLessThan(90);
    expect(bottom[2]).toBeGreaterThan(60);
    // The colour bar's top matches the map's maximum.
    const barX = 8 + n * scale + 16 + 4;
    expect(pixel(barX, 8)).toEqual(top);
  });

  it('centres a diverging map on zero: zero is white-ish, the sign picks red or blue', () => {
    const n = 8;
    const field = new Float64Array(n * n);
    field[0] = 2;
    field[1] = -1;
    const png = PNG.sync.read(renderHeatmap(field, n, 'diverging'));
    const s = Math.floor(512 / n);
    const pixel = (ix: number, iy: number) => {
      const x = 8 + ix * s + 1;
      const y = 8 + (n - 1 - iy) * s + 1;
      return Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    };
    const [r0, , b0] = pixel(0, 0);
    const [r1, , b1] = pixel(1, 0);
    const [rz, gz, bz] = pixel(4, 4);
    expect(r0).toBeGreaterThan(b0 + 50);
    expect(b1).toBeGreaterThan(r1 + 20);
    expect(Math.min(rz, gz, bz)).toBeGreaterThan(220);
  });
});

describe('large outputs', () => {
  it('writeNpyFile writes the bytes of encodeNpy, across its chunks', () => {
    const data = Float64Array.from({ length: (1 << 20) + 3 }, (_, i) => Math.sin(i) * 1e3 + 1e-310 * (i % 7));
    const path = join(mkdtempSync(join(tmpdir(), 'amari-npy-')), 'big.npy');
    writeNpyFile(path, data, [data.length]);
    expect(Buffer.compare(readFileSync(path), Buffer.from(encodeNpy(data, [data.length])))).toBe(0);
    expect(() => writeNpyFile(path, data, [3, 3])).toThrow(/shape \[3, 3\] holds 9 values/);
  });

  it('blockMeans averages f×f blocks, partial ones at the edges, leaving non-finite cells out', () => {
    const n = 5;
    const data = Float64Array.from({ length: n * n }, (_, i) => i);
    data[0] = NaN;
    const { values, nx, ny } = blockMeans(data, { nx: n, ny: n }, 2);
    expect([nx, ny]).toEqual([3, 3]);
    // Block (0,0): cells 1, 5, 6 (cell 0 is NaN); block (2,0): cells 4, 9; block (2,2): cell 24.
    expect(values[0]).toBeCloseTo((1 + 5 + 6) / 3, 14);
    expect(values[2]).toBeCloseTo((4 + 9) / 2, 14);
    expect(values[8]).toBe(24);
    expect(Number.isNaN(blockMeans(Float64Array.of(NaN), { nx: 1, ny: 1 }, 1).values[0])).toBe(true);
  });

  it('draws a grid past MAX_PICTURE_SIDE as block means, one pixel each', () => {
    const n = 2 * MAX_PICTURE_SIDE + 2;
    const side = Math.ceil(n / 3);
    // Blocks of 3×3: (1,1) holds one cell of 9 (mean 1, the top of the range, missed by sampling a corner);
    // (2,2) is 0.5 throughout (mean 0.5, the middle); everything else 0.
    const field = new Float64Array(n * n);
    field[4 * n + 4] = 9;
    for (let y = 6; y < 9; y++) for (let x = 6; x < 9; x++) field[y * n + x] = 0.5;
    const png = PNG.sync.read(renderHeatmap(field, n, 'sequential'));
    expect(png.height).toBe(side + 16);
    const pixel = (x: number, y: number) => Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3));
    const block = (bx: number, by: number) => pixel(8 + bx, 8 + side - 1 - by);
    const lut = colourTable('sequential');
    const colour = (t: number) => Array.from(lut.subarray(3 * Math.round(t * (LUT_SIZE - 1)), 3 * Math.round(t * (LUT_SIZE - 1)) + 3));
    expect(block(1, 1)).toEqual(colour(1));
    expect(block(0, 0)).toEqual(colour(0));
    expect(block(2, 2)).toEqual(colour(0.5));
  });
});
