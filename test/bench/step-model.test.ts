import { describe, expect, it } from 'vitest';
import { benchConfig } from '../../bench/core/plan.js';
import { convolutionCost, gpuStepCost } from '../../bench/core/step-model.js';
import { kernelRadii } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { DriftVariant } from '../../src/gpu/gpu-engine.js';

describe('step model', () => {
  const square = benchConfig(1024, 4);

  it('models a step by both radii, per drift kernel', () => {
    // The same cells and radii on a grid of another shape: the same tiles, the same staged loads per cell.
    for (const variant of ['separable', 'tiled'] as const) {
      expect(gpuStepCost(benchConfig({ nx: 4096, ny: 256 }, 4), variant, true)).toEqual(gpuStepCost(square, variant, true));
    }
    // Cells twice as tall: the y radius halves, fewer taps.
    const stretched = { ...square, grid: { ...square.grid, length: [1024, 2048] as [number, number] } };
    expect(kernelRadii(stretched)).toEqual({ x: 4, y: 2 });
    for (const variant of ['separable', 'tiled'] as const) expect(gpuStepCost(stretched, variant, true).flops).toBeLessThan(gpuStepCost(square, variant, true).flops);
  });

  it('models the FFT by the line plans of each axis', () => {
    const fft = (c: ReturnType<typeof benchConfig>) => gpuStepCost(c, 'spectral', true);
    // 5·log2 per axis, the same at 1024² as at 4096 × 256 (2·5·20 flops for both transforms); 1000 is mixed radix.
    expect(fft(benchConfig(1024, 4)).flops).toBeCloseTo(fft(benchConfig({ nx: 4096, ny: 256 }, 4)).flops, 9);
    expect(fft(benchConfig(1024, 4)).flops - fft(benchConfig(1000, 4)).flops).toBeCloseTo(2 * 5 * 2 * Math.log2(1024 / 1000), 9);
    // A prime side (1009) takes Bluestein: its chirps and padded transforms cost more than 1024's.
    expect(fft(benchConfig(1009, 4)).bytes).toBeGreaterThan(fft(benchConfig(1024, 4)).bytes);
  });

  it('the no-estimator step moves and computes less by exactly the observation: no density map, no entropy arithmetic', () => {
    for (const variant of ['separable', 'tiled', 'direct', 'spectral'] as DriftVariant[]) {
      const [withEstimator, without] = [gpuStepCost(square, variant, true), gpuStepCost(square, variant, false)];
      expect(withEstimator.bytes - without.bytes, variant).toBe(16);
      expect(withEstimator.flops - without.flops, variant).toBe(13);
    }
  });

  it('the separable stencil does 2(2r + 1) taps per term where the 2-D stencil does (2r + 1)²', () => {
    const r16 = benchConfig(1024, 16);
    const [separable, tiled] = [convolutionCost(r16, 'separable'), convolutionCost(r16, 'tiled')];
    // One term (a Gaussian), linear transfer: staged values cost one flop each beside the taps.
    expect(separable.flops - (1056 / 1024)).toBeCloseTo(2 * 33 + 2 * 33, 9);
    expect(tiled.flops - (64 * 48) / 512).toBeCloseTo(2 * 33 * 33, 9);
    // Bytes: the 1024-cell row segment and its halo, the row pass's output written and read back over the 32-cell column tile's halo.
    expect(separable.bytes).toBeCloseTo(4 * (1056 / 1024) + 4 + 4 * (64 / 32), 9);
    // A mexican hat carries two terms through both passes.
    const hat = parseConfig({ ...r16, kernel: { type: 'mexican-hat', excitation: { amplitude: 1, sigma: 2 }, inhibition: { amplitude: 0.5, sigma: 4 }, shift: [0, 0], radius: 16 } });
    expect(convolutionCost(hat, 'separable').bytes - convolutionCost(r16, 'separable').bytes).toBeCloseTo(4 + 4 * (64 / 32), 9);
  });

  it('on a ring the separable drift is the row pass alone', () => {
    const ring = parseConfig({ ...benchConfig(1024, 4), grid: { n: 4096, length: 4096, dimensions: 1 } });
    expect(convolutionCost(ring, 'separable')).toEqual({ bytes: 4 * (1032 / 1024), flops: 1032 / 1024 + 2 * 9 });
  });

  it('the update fused into the row pass: its pass gone, u_n and F_n staged over the segment and its halo instead of u′', () => {
    const r16 = benchConfig(1024, 16);
    const staged = 1056 / 1024;
    for (const estimator of [true, false]) {
      const [fused, separate] = [gpuStepCost(r16, 'separable', estimator, true), gpuStepCost(r16, 'separable', estimator, false)];
      // The update pass's 12 B go; the row pass reads 8 B per staged cell instead of 4 and writes u′.
      expect(fused.bytes - separate.bytes).toBeCloseTo(-12 + 4 * staged + 4, 9);
      // Its 16 flops run on every staged cell, the halo's again.
      expect(fused.flops - separate.flops).toBeCloseTo(16 * (staged - 1), 9);
    }
  });
});
