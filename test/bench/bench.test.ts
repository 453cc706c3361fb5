import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchConfig, benchPlan, gpuRequests } from '../../bench/core/plan.js';
import { isGpuRow, isPeerRow, type GpuRow } from '../../bench/core/rows.js';
import { benchInNode } from '../../bench/run.js';

const spreadShape = { median: expect.any(Number), min: expect.any(Number), max: expect.any(Number) };

describe('benchmark (smoke mode)', () => {
  it('measures the roofline, every GPU convolution with and without the estimator, the CPU engine and the NumPy peer, and writes JSON and Markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-bench-'));
    const { report, markdown, files } = await benchInNode('smoke', dir);
    expect(report).toMatchObject({ version: 2, mode: 'smoke', adapter: expect.any(String) });
    expect(report.roofline).toMatchObject({ bandwidth: spreadShape, flops: spreadShape, timing: expect.stringMatching(/^(gpu-timestamps|wall)$/) });
    expect(report.roofline!.bandwidth.median).toBeGreaterThan(0);

    const gpu = report.rows.filter(isGpuRow);
    // Each convolution twice, the drift kernel that ran it named: the separable stencil by default, the 2-D one asked for, the FFT.
    // Then `auto`, a user's run: at radius 2 not measured, the separable stencil.
    const kernels: [GpuRow['request'], GpuRow['driftVariant']][] = [['stencil', 'separable'], ['stencil-2d', 'tiled'], ['fft', 'spectral'], ['auto', 'separable']];
    // After the 2-D stencil's pair, its temporal-blocking row (no estimator: blocking runs only where nothing observes).
    const expected = kernels.flatMap(([request, variant]) => [[request, variant, true], [request, variant, false]]);
    expected.splice(4, 0, ['stencil-2d', 'tiled', false]);
    expect(gpu.map((r) => [r.request, r.driftVariant, r.estimator])).toEqual(expected);
    expect(gpu.map((r) => r.blockedSteps ?? 1)).toEqual(expected.map((_, i) => (i === 4 ? 2 : 1)));
    for (const row of gpu) {
      expect(row).toMatchObject({
        nx: 32,
        ny: 32,
        radius: 2,
        cellStepsPerSecond: spreadShape,
        secondsPerStep: spreadShape,
        cost: { bytes: expect.any(Number), flops: expect.any(Number) },
        bandwidthFraction: expect.any(Number),
        flopsFraction: expect.any(Number),
      });
      // The no-estimator twin ended on the with-estimator field: the check says so.
      if (!row.estimator) expect(row.check).toMatch((row.blockedSteps ?? 1) > 1 ? /= one-step field \(bitwise\)/ : /= field with estimator/);
    }
    expect(report.rows.find((r) => r.engine === 'cpu')).toMatchObject({ nx: 32, ny: 32, radius: 2, estimator: true, cellStepsPerSecond: spreadShape });

    const peers = report.rows.filter((r) => String(r.engine).startsWith('numpy'));
    expect(peers.length).toBeGreaterThan(0);
    for (const p of peers) {
      if ('skipped' in p) expect(p.skipped).toMatch(/python|numpy/i);
      else expect(p).toMatchObject({ cellStepsPerSecond: spreadShape, fastest: expect.any(Boolean), estimator: expect.any(Boolean) });
    }
    const numpy = report.rows.filter(isPeerRow);
    if (numpy.length) expect(numpy.map((r) => [r.engine, r.estimator])).toEqual([['numpy-fft', true], ['numpy-fft', false], ['numpy-direct', true]]);

    // `auto`'s choice at the plan's grid and radius, and how it was made (radius 2: never timed).
    expect(report.choices).toEqual([{ nx: 32, ny: 32, radius: 2, convolution: 'stencil', driftVariant: 'separable', how: expect.stringMatching(/not measured/) }]);

    expect(markdown).toMatch(/\| engine \| convolution \| estimator \| grid \| radius \| cell-steps\/s \(wall\) \|/);
    expect(markdown).toMatch(/\| amari-ep GPU \| stencil \(separable 32×4\/8\) \| yes \| 32² \| 2 \| /);
    expect(markdown).toMatch(/\| amari-ep GPU \| stencil \(separable 32×4\/8\) \| no \| 32² \| 2 \| /);
    expect(markdown).toMatch(/\| amari-ep GPU \| auto \(separable 32×4\/8\) \| yes \| 32² \| 2 \| /);
    expect(markdown).toMatch(/\| amari-ep GPU \| stencil-2d \(tiled\) \| no \| 32² \| 2 \| /);
    expect(markdown).toMatch(/## The convolution `auto` takes/);
    expect(markdown).toMatch(/\| 32² \| 2 \| stencil \(separable\) \| stencil radius 2,2: not measured; column workgroup 32×4\/8 \|/);
    expect(JSON.parse(readFileSync(files[0], 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(readFileSync(files[1], 'utf8')).toBe(markdown);
  });
});

describe('benchmark plan', () => {
  const quick = benchPlan('quick', 4096 ** 2);
  const at = (nx: number, ny: number) => quick.cases.find((c) => c.nx === nx && c.ny === ny);

  it('measures 1000² beside 1024² with the same config but the side, and a 4096 × 256 strip, in quick mode', () => {
    for (const [nx, ny] of [[1000, 1000], [4096, 256]]) expect(at(nx, ny), `${nx} × ${ny}`).toMatchObject({ radii: [4], peerRadii: [4] });
    const [a, b] = [benchConfig(1000, 4), benchConfig(1024, 4)];
    expect({ ...a, grid: b.grid }).toEqual(b);
    // Δx = Δy = 1 on the strip too: the same stencil, in cells, as on the squares.
    const strip = benchConfig({ nx: 4096, ny: 256 }, 4);
    expect(strip.grid).toEqual({ n: [4096, 256], length: [4096, 256], dimensions: 2 });
    // An adapter that holds less drops what does not fit, by cells.
    expect(benchPlan('quick', 1000 ** 2).cases.map((c) => [c.nx, c.ny])).toEqual([[256, 256], [1000, 1000]]);
  });

  it('keeps 256² at radii 2–16, with the peers and a user\'s run (auto) at radius 4', () => {
    expect(at(256, 256)).toMatchObject({ radii: [2, 4, 8, 16], stencil2dRadii: [], peerRadii: [4] });
    expect(gpuRequests(at(256, 256)!, 16)).toEqual(['stencil', 'fft']);
    expect(gpuRequests(at(256, 256)!, 4)).toEqual(['stencil', 'fft', 'auto']);
  });

  it('measures 1024² at radii 4 and 16 by the separable stencil, the 2-D stencil and the FFT, and the peers there', () => {
    const c = at(1024, 1024)!;
    expect(c).toMatchObject({ radii: [4, 16], stencil2dRadii: [4, 16], peerRadii: [4, 16] });
    for (const r of [4, 16]) expect(gpuRequests(c, r)).toEqual(['stencil', 'stencil-2d', 'fft', 'auto']);
  });

  it('the smoke plan runs every path once: the three convolutions and the peers at its one radius', () => {
    const [c] = benchPlan('smoke', 4096 ** 2).cases;
    expect(c).toMatchObject({ nx: 32, ny: 32, radii: [2], peerRadii: [2] });
    expect(gpuRequests(c, 2)).toEqual(['stencil', 'stencil-2d', 'fft', 'auto']);
  });

  it('the full plan times the 2-D stencil at radii 4 and 16 on every grid, the peers up to 2048²', () => {
    const full = benchPlan('full', 4096 ** 2);
    for (const c of full.cases) expect(c.stencil2dRadii).toEqual([4, 16]);
    expect(full.cases.find((c) => c.nx === 1024 && c.ny === 1024)?.peerRadii).toEqual([4, 16]);
    expect(full.cases.find((c) => c.nx === 2048)?.peerRadii).toEqual([4]);
    expect(full.cases.find((c) => c.nx === 4096 && c.ny === 4096)?.peerRadii).toEqual([]);
  });
});
