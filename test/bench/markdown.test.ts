import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../../bench/core/markdown.js';
import type { BenchReport, GpuRow } from '../../bench/core/rows.js';

const spread = (median: number) => ({ median, min: median, max: median });

function gpuRow(request: GpuRow['request'], driftVariant: GpuRow['driftVariant'], estimator: boolean, rate: number): GpuRow {
  return {
    engine: 'gpu', estimator, request, driftVariant, nx: 1024, ny: 1024, radius: 16, steps: 5,
    cellStepsPerSecond: spread(rate), secondsPerStep: spread((1024 * 1024) / rate), timing: 'wall',
    check: estimator ? 'field finite, moving; entropy sums finite' : 'field finite, moving; = field with estimator (bitwise)',
    cost: { bytes: 40, flops: 200 }, bandwidthFraction: 0.1, flopsFraction: 0.01,
  };
}

const report = (choice: 'stencil' | 'fft'): BenchReport => ({
  version: 2, mode: 'quick', date: '2026-11-24T00:00:00.000Z', environment: { node: 'v20' }, adapter: 'test adapter', roofline: null,
  rows: [
    gpuRow('stencil', 'separable', true, 13e6),
    gpuRow('stencil', 'separable', false, 17e6),
    gpuRow('stencil-2d', 'tiled', true, 1.4e6),
    gpuRow('fft', 'spectral', true, 2.7e6),
    // A user's run, the shape tuned: faster than every path row, but the choice itself, not a path auto chose between.
    { ...gpuRow('auto', 'separable', true, 20e6), separableShape: '32×4/16' },
    { engine: 'gpu (fft)', nx: 4096, ny: 4096, radius: 16, skipped: 'one step takes 30 s' },
    { engine: 'numpy-fft', method: 'scipy.fft, float64, 1 thread', versions: 'NumPy 2', estimator: false, nx: 1024, ny: 1024, radius: 16, cellStepsPerSecond: spread(4e6), fastest: false, check: '= CPU reference' },
  ],
  choices: [{ nx: 1024, ny: 1024, radius: 16, convolution: choice, driftVariant: choice === 'fft' ? 'spectral' : 'separable', how: 'measured on 512², extrapolated to 1024²: separable stencil 14.1 ms, FFT 116 ms per step' }],
  notes: [],
});

describe('the Markdown report', () => {
  it('names the convolution and drift kernel of each row and whether the estimator was attached', () => {
    const md = toMarkdown(report('stencil'));
    expect(md).toContain('| amari-ep GPU | stencil (separable) | yes | 1024² | 16 | 13.0 M [13.0 M–13.0 M] |');
    expect(md).toContain('| amari-ep GPU | stencil (separable) | no | 1024² | 16 | 17.0 M');
    expect(md).toContain('| amari-ep GPU | stencil-2d (tiled) | yes | 1024² | 16 |');
    expect(md).toContain('| amari-ep GPU | auto (separable 32×4/16) | yes | 1024² | 16 | 20.0 M');
    expect(md).toContain('| numpy-fft | scipy.fft, float64, 1 thread | no | 1024² | 16 | 4.00 M');
    expect(md).toContain('| gpu (fft) | | | 4096² | 16 | skipped: one step takes 30 s |');
    expect(md).toContain('- peers: NumPy 2');
    // Every table row has the header's 13 cells.
    const cells = (line: string) => line.split('|').length - 2;
    const table = md.split('## The convolution')[0].split('\n').filter((l) => l.startsWith('| '));
    for (const line of table) expect(cells(line), line).toBe(13);
  });

  it("prints auto's choice and how it was made, beside the fastest path measured, and whether they agree", () => {
    expect(toMarkdown(report('stencil'))).toContain(
      '| 1024² | 16 | stencil (separable) | measured on 512², extrapolated to 1024²: separable stencil 14.1 ms, FFT 116 ms per step | stencil 13.0 Mcell-steps/s (stencil-2d 1.40 M, fft 2.70 M); auto agrees |',
    );
    expect(toMarkdown(report('fft'))).toMatch(/\| 1024² \| 16 \| fft \(spectral\) \| .* \| stencil 13\.0 Mcell-steps\/s .*; auto differs \(stencil was faster\) \|/);
  });
});
