import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import { decodeNpy } from '../../src/config/npy.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { RING_FILES, RUN_FILES, writeRun } from '../../src/io/write-run.js';
import { simulate, type RunResult } from '../../src/run/simulate.js';
import { rectangleInput, ringInput } from '../run/geometries.js';
import { svgImages, svgTexts } from '../figures/svg-text.js';

/** A short CPU run of `input` written into a fresh folder: the result and the folder. */
async function written(input: typeof ringInput, replicas: number): Promise<{ result: RunResult; dir: string }> {
  const result = await simulate(new CpuEngine(parseConfig(input), replicas), { steps: 400, burnIn: 100, blocks: 10, spectrumSamples: 20 });
  const dir = join(mkdtempSync(join(tmpdir(), 'amari-geometry-')), 'out');
  await writeRun(result, dir);
  return { result, dir };
}

const npy = (dir: string, name: string) => decodeNpy(readFileSync(join(dir, name)));
const png = (dir: string, name: string) => PNG.sync.read(readFileSync(join(dir, name)));
const svg = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

/** The width and height an SVG draws its (first) heat map image at, in pixels. */
function imageExtent(text: string): { width: number; height: number } {
  const m = /<image [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(text)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

describe('a ring run writes line plots and a space-time picture (CPU)', () => {
  let ring: { result: RunResult; dir: string };
  beforeAll(async () => {
    ring = await written(ringInput, 1);
  });

  it('field.npy and epr-density.npy are arrays of shape [n]; epr-spectrum.npy one value per mode', () => {
    const n = gridOf(ring.result.config).nx;
    for (const name of ['field.npy', 'epr-density.npy', 'epr-spectrum.npy']) expect(npy(ring.dir, name).shape, name).toEqual([n]);
    expect(Array.from(npy(ring.dir, 'field.npy').data)).toEqual(Array.from(ring.result.field));
  });

  it('writes every run file and the ring files, the field as a line plot against x (SVG and PNG)', () => {
    for (const name of [...RUN_FILES, ...RING_FILES]) expect(() => readFileSync(join(ring.dir, name)), name).not.toThrow();
    const texts = svgTexts(svg(ring.dir, 'field.svg'));
    expect(texts.some((t) => t.includes('a ring of 64 cells'))).toBe(true);
    expect(texts).toContain('x (units of length)');
    // One line through every cell of the ring: a path of 64 points ("M" then 63 "L").
    const path = /aria-roledescription="line mark"[^>]*d="([^"]+)"/.exec(svg(ring.dir, 'field.svg'))![1];
    expect(path.match(/L/g)).toHaveLength(gridOf(ring.result.config).nx - 1);
    const line = png(ring.dir, 'field.png');
    expect(line.width).toBeGreaterThan(line.height);
    expect(svgTexts(svg(ring.dir, 'epr-density.svg'))).toContain('σ(x) (nats per unit time per unit length)');
  });

  it('space-time.npy is [rows, n] over the whole run, its rows named in summary.json, at most 512', () => {
    const summary = summaryOf(ring.dir);
    const record = npy(ring.dir, 'space-time.npy');
    const { rows, every, firstStep, lastStep } = summary.spaceTime;
    expect(record.shape).toEqual([rows, 64]);
    expect(rows).toBeLessThanOrEqual(512);
    expect(firstStep).toBe(0);
    expect(lastStep).toBe(firstStep + (rows - 1) * every);
    // The last row that falls on the run's last step is the final field.
    const total = summary.burnIn + summary.steps;
    expect(lastStep).toBeLessThanOrEqual(total);
    expect(total - lastStep).toBeLessThan(every);
    if (lastStep === total) expect(Array.from(record.data.subarray((rows - 1) * 64))).toEqual(Array.from(ring.result.field));
    expect(summary.grid).toMatchObject({ dimensions: 1, shape: [64], n: 64, length: 32 });
  });

  it('space-time has the ring across and time down, one block of pixels per cell and record', () => {
    const [image] = svgImages(svg(ring.dir, 'space-time.svg'));
    const rows = summaryOf(ring.dir).spaceTime.rows;
    expect(image.width % 64).toBe(0);
    expect(image.height % rows).toBe(0);
    expect(svgTexts(svg(ring.dir, 'space-time.svg'))).toEqual(expect.arrayContaining(['x (units of length)', 'time (units of time)', 'u']));
    expect(png(ring.dir, 'space-time.png').width).toBeGreaterThan(400);
  });
});

describe('a rectangle run writes [ny, nx] arrays and pictures nx wide and ny tall (CPU)', () => {
  it('24 × 10, one replica: arrays [10, 24]; the heat maps 24 : 10', async () => {
    const { dir } = await written(rectangleInput, 1);
    for (const name of ['field.npy', 'epr-density.npy', 'epr-spectrum.npy']) expect(npy(dir, name).shape, name).toEqual([10, 24]);
    // The domain is 12 × 5 (Δx = Δy): the maps are drawn 12 : 5, the σ(k) maps too (one cell per mode, 24 × 10).
    for (const name of ['field.svg', 'epr-density.svg', 'epr-spectrum.svg']) {
      const { width, height } = imageExtent(svg(dir, name));
      expect(width / height, name).toBeCloseTo(24 / 10, 1);
    }
    expect(summaryOf(dir).grid).toMatchObject({ dimensions: 2, shape: [10, 24], nx: 24, ny: 10, lx: 12, ly: 5 });
    expect(summaryOf(dir).spaceTime).toBeUndefined();
  });

  it('with replicas: [R, 10, 24]', async () => {
    const { dir } = await written(rectangleInput, 2);
    expect(npy(dir, 'field.npy').shape).toEqual([2, 10, 24]);
    expect(npy(dir, 'epr-density.npy').shape).toEqual([2, 10, 24]);
  });
});
