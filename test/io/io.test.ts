import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderHeatmap } from '../../src/io/heatmap-png.js';
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
