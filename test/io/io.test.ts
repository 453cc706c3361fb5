import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockMeans } from '../../src/io/downsample.js';
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
});
