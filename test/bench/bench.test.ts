import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchConfig, benchPlan } from '../../bench/core/runner.js';
import { gpuStepCost } from '../../bench/core/step-model.js';
import { benchInNode } from '../../bench/run.js';
import { kernelRadii } from '../../src/config/geometry.js';

const spreadShape = { median: expect.any(Number), min: expect.any(Number), max: expect.any(Number) };

describe('benchmark (smoke mode)', () => {
  it('measures the roofline, the GPU and CPU engines and the NumPy peer, and writes JSON and Markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-bench-'));
    const { report, markdown, files } = await benchInNode('smoke', dir);
    expect(report).toMatchObject({ version: 1, mode: 'smoke', adapter: expect.any(String) });
    expect(report.roofline).toMatchObject({ bandwidth: spreadShape, flops: spreadShape, timing: expect.stringMatching(/^(gpu-timestamps|wall)$/) });
    expect(report.roofline!.bandwidth.median).toBeGreaterThan(0);
    const gpu = report.rows.find((r) => r.engine === 'gpu');
    expect(gpu).toMatchObject({
      nx: 32,
      ny: 32,
      radius: 2,
      cellStepsPerSecond: spreadShape,
      secondsPerStep: spreadShape,
      cost: { bytes: expect.any(Number), flops: expect.any(Number) },
      bandwidthFraction: expect.any(Number),
      flopsFraction: expect.any(Number),
    });
    expect(report.rows.find((r) => r.engine === 'cpu')).toMatchObject({ nx: 32, ny: 32, radius: 2, cellStepsPerSecond: spreadShape });
    const peers = report.rows.filter((r) => String(r.engine).startsWith('numpy'));
    expect(peers.length).toBeGreaterThan(0);
    for (const p of peers) {
      if ('skipped' in p) expect(p.skipped).toMatch(/python|numpy/i);
      else expect(p).toMatchObject({ cellStepsPerSecond: spreadShape, fastest: expect.any(Boolean) });
    }
    expect(markdown).toMatch(/\| engine \| grid \| radius \| cell-steps\/s \(wall\) \|/);
    expect(markdown).toMatch(/\| amari-ep GPU \| 32² \| 2 \| /);
    expect(JSON.parse(readFileSync(files[0], 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(readFileSync(files[1], 'utf8')).toBe(markdown);
  });
});

describe('benchmark plan', () => {
  it('measures 1000² beside 1024² with the same config but the side, and a 4096 × 256 strip, in quick mode', () => {
    const cases = benchPlan('quick', 4096 ** 2).cases;
    const at = (nx: number, ny: number) => cases.find((c) => c.nx === nx && c.ny === ny);
    for (const [nx, ny] of [[1000, 1000], [1024, 1024], [4096, 256]]) expect(at(nx, ny), `${nx} × ${ny}`).toMatchObject({ radii: [4], peer: true });
    const [a, b] = [benchConfig(1000, 4), benchConfig(1024, 4)];
    expect({ ...a, grid: b.grid }).toEqual(b);
    // Δx = Δy = 1 on the strip too: the same stencil, in cells, as on the squares.
    const strip = benchConfig({ nx: 4096, ny: 256 }, 4);
    expect(strip.grid).toEqual({ n: [4096, 256], length: [4096, 256], dimensions: 2 });
    expect(kernelRadii(strip)).toEqual(kernelRadii(b));
    // An adapter that holds less drops what does not fit, by cells.
    expect(benchPlan('quick', 1000 ** 2).cases.map((c) => [c.nx, c.ny])).toEqual([[256, 256], [1000, 1000]]);
  });

  it('models a step by both radii and the line plans of each axis', () => {
    const square = gpuStepCost(benchConfig(1024, 4));
    // The same cells and radii on a grid of another shape: the same tiles, the same staged loads per cell.
    expect(gpuStepCost(benchConfig({ nx: 4096, ny: 256 }, 4))).toEqual(square);
    // Cells twice as tall: the y radius halves, fewer taps.
    const tall = benchConfig(1024, 4);
    const stretched = { ...tall, grid: { ...tall.grid, length: [1024, 2048] as [number, number] } };
    expect(kernelRadii(stretched)).toEqual({ x: 4, y: 2 });
    expect(gpuStepCost(stretched).flops).toBeLessThan(square.flops);
    // The FFT: 5·log2 per axis, the same at 1024² as at 4096 × 256 (2·5·20 flops for both transforms); 1000 is mixed radix.
    const fft = (c: ReturnType<typeof benchConfig>) => gpuStepCost(c, 'fft');
    expect(fft(benchConfig(1024, 4)).flops).toBeCloseTo(fft(benchConfig({ nx: 4096, ny: 256 }, 4)).flops, 9);
    expect(fft(benchConfig(1024, 4)).flops - fft(benchConfig(1000, 4)).flops).toBeCloseTo(2 * 5 * 2 * Math.log2(1024 / 1000), 9);
    // A prime side (1009) takes Bluestein: its chirps and padded transforms cost more than 1024's.
    expect(fft(benchConfig(1009, 4)).bytes).toBeGreaterThan(fft(benchConfig(1024, 4)).bytes);
  });
});
