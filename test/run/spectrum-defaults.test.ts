import { describe, expect, it } from 'vitest';
import {
  defaultSpectrumSamples,
  spectrumDefaultMaxCells,
  SPECTRUM_DEFAULT_MAX_CELLS,
  SPECTRUM_DEFAULT_MAX_CELLS_GPU,
  SPECTRUM_GPU_MIN_SPACING,
} from '../../src/run/run.js';

describe('σ(k) samples by default on the GPU engine (transformed on the device)', () => {
  it('up to 400, at least SPECTRUM_GPU_MIN_SPACING steps apart, whatever the grid up to 4096²; none past it', () => {
    for (const cells of [64 * 64, 1024 * 1024, SPECTRUM_DEFAULT_MAX_CELLS_GPU]) {
      expect(defaultSpectrumSamples(cells, 'gpu', 10000)).toBe(400);
      expect(defaultSpectrumSamples(cells, 'gpu', 2000)).toBe(2000 / SPECTRUM_GPU_MIN_SPACING);
      expect(defaultSpectrumSamples(cells, 'gpu', SPECTRUM_GPU_MIN_SPACING - 1)).toBe(0);
    }
    expect(defaultSpectrumSamples(SPECTRUM_DEFAULT_MAX_CELLS_GPU + 1, 'gpu', 10000)).toBe(0);
    expect(spectrumDefaultMaxCells('gpu')).toBe(4096 * 4096);
  });

  it('leaves the CPU engine as it was: fewer on larger grids, none past 1024²', () => {
    expect(defaultSpectrumSamples(128 * 128, 'cpu', 10000)).toBe(400);
    expect(defaultSpectrumSamples(1024 * 1024, 'cpu', 10000)).toBe(20);
    expect(defaultSpectrumSamples(SPECTRUM_DEFAULT_MAX_CELLS + 1, 'cpu', 10000)).toBe(0);
    expect(spectrumDefaultMaxCells('cpu')).toBe(SPECTRUM_DEFAULT_MAX_CELLS);
  });
});
