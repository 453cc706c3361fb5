import { describe, expect, it } from 'vitest';
import { relativeFieldDifference } from '../../src/numeric/compare.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { modeSpectrum, type ModeSpectrum } from '../../src/estimators/mode-spectrum/index.js';
import { MODE_FOLD_SAMPLES } from '../../src/estimators/mode-spectrum/device-sampler.js';
import { GpuEngine, type GpuEngineOptions } from '../../src/gpu/gpu-engine.js';
import { useGpuDevice } from './device-fixture.js';
import { GpuError } from '../../src/gpu/errors.js';
import { GpuModeSpectrum, modeSpectrumRefusal, shellListing } from '../../src/gpu/passes/mode-spectrum/mode-spectrum.js';
import { SPECTRUM_GPU_MIN_SPACING } from '../../src/run/run.js';
import { simulate } from '../../src/run/simulate.js';
import { statisticsBase } from '../helpers.js';
import { rectangleInput, ringInput } from '../run/geometries.js';

/**
 * σ(k) sampled on the GPU (src/gpu/passes/mode-spectrum/, driven by
 * src/estimators/mode-spectrum/device-sampler.ts) against the host's float64
 * path on the same steps of the same GPU engine: the per-mode map, the shells
 * and the sum over k, to 1e-4 relative. On llvmpipe, so the grids stay small.
 */
const gpu = useGpuDevice();

async function gpuEngine(input: ConfigInput, options: GpuEngineOptions = {}, replicas = 1): Promise<GpuEngine> {
  const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig(input), replicas, { convolution: 'stencil', ...options });
  gpu.keep(engine);
  return engine;
}

/** A shifted 64² field (σ_dt > 0), and the same with correlated noise under a white floor. */
const white64: ConfigInput = { ...statisticsBase, grid: { n: 64, length: 64 } };
const correlated64: ConfigInput = { ...white64, noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 } };

/** max |a − b| over max |b|: relative to the largest value, since single modes or shells may sit near 0. */
const relativeToLargest = relativeFieldDifference;

/** The device's results against the host's: per mode, per shell, and the sum (relative to itself). */
async function expectSame(device: ModeSpectrum, host: ModeSpectrum, samples: number): Promise<void> {
  expect(device.where).toBe('device');
  expect(host.where).toBe('host');
  await device.settle();
  expect(device.sampler.samples).toBe(samples);
  expect(host.sampler.samples).toBe(samples);
  const [d, h] = [device.sampler.result(null), host.sampler.result(null)];
  const errors = {
    modes: relativeToLargest(device.sampler.modes(), host.sampler.modes()),
    shells: relativeToLargest(d.data as number[], h.data as number[]),
    total: Math.abs(d.total.data! - h.total.data!) / Math.abs(h.total.data!),
    stderr: relativeToLargest(d.stderr as number[], h.stderr as number[]),
  };
  console.log(`σ(k) GPU against host over ${samples} samples: ${JSON.stringify(errors)}`);
  expect(errors.modes).toBeLessThan(1e-4);
  expect(errors.shells).toBeLessThan(1e-4);
  expect(errors.total).toBeLessThan(1e-4);
  expect(errors.stderr).toBeLessThan(1e-3);
  expect(d.shell).toEqual(h.shell);
}

/** Both samplers on one engine, the same steps: `samples` of them, one every `stride` steps after a burn-in (replica 0). */
async function sampleBoth(input: ConfigInput, samples: number, stride: number, options: GpuEngineOptions = {}, replicas = 1): Promise<void> {
  const engine = await gpuEngine(input, options, replicas);
  await engine.advance(200);
  const device = await engine.observe(modeSpectrum(samples, stride));
  const host = await engine.observe(modeSpectrum(samples, stride, { sampling: 'host', name: 'spectrumHost' }));
  await engine.advance(samples * stride);
  device.detach();
  host.detach();
  await expectSame(device, host, samples);
}

describe('σ(k) on the GPU equals the host computation on the same steps', () => {
  it('64², white noise', async () => {
    await sampleBoth(white64, 40, 3);
  });

  it('64², correlated noise (1/P_k per mode), two replicas', async () => {
    await sampleBoth(correlated64, 40, 3, {}, 2);
  });

  it('64², the FFT convolution and spectral noise shaping', async () => {
    await sampleBoth(correlated64, 20, 2, { convolution: 'fft', noiseShaping: 'fft' });
  });

  it('a sigmoid field, 32² (the host recomputes F in float64, the GPU reads its own)', async () => {
    await sampleBoth({ ...white64, grid: { n: 32, length: 32 }, transfer: { type: 'sigmoid', gain: 2, threshold: 0.3 } }, 40, 3);
  });

  it('a 24 × 10 rectangle (mixed radix)', async () => {
    await sampleBoth(rectangleInput, 40, 3);
  });

  it('a ring of 64 cells, and one of 61 (Bluestein)', async () => {
    await sampleBoth(ringInput, 40, 3);
    await sampleBoth({ ...ringInput, grid: { n: 61, length: 30.5, dimensions: 1 } }, 40, 3);
  });

  it('many samples to a window, and past a fold of the per-mode sums (two engines, the same steps)', async () => {
    const input: ConfigInput = { ...statisticsBase, grid: { n: 16, length: 16 } };
    const samples = MODE_FOLD_SAMPLES + 44;
    const [a, b] = [await gpuEngine(input, { windowSteps: 64 }), await gpuEngine(input, { windowSteps: 64 })];
    await Promise.all([a.advance(100), b.advance(100)]);
    const device = await a.observe(modeSpectrum(samples, 1));
    const host = await b.observe(modeSpectrum(samples, 1, { sampling: 'host' }));
    await a.advance(samples + 10);
    await b.advance(samples + 10);
    // The GPU is deterministic: window boundaries do not change the fields.
    expect(Array.from(await a.readField())).toEqual(Array.from(await b.readField()));
    await expectSame(device, host, samples);
  });
});

describe('σ(k) on the GPU in a run', () => {
  it('simulate samples on the device and settles the map; the CPU engine samples on the host', async () => {
    const config = parseConfig({ ...statisticsBase, grid: { n: 16, length: 16 } });
    const g = await simulate(await gpuEngine(config), { steps: 400, burnIn: 50, blocks: 10, spectrumSamples: 50 });
    const c = await simulate(new CpuEngine(config, 1), { steps: 400, burnIn: 50, blocks: 10, spectrumSamples: 50 });
    for (const r of [g, c]) {
      expect(r.spectrum!.samples).toBe(50);
      const modes = Array.from(r.spectrum!.modes);
      expect(modes.every(Number.isFinite)).toBe(true);
      const total = r.spectrum!.shells.total.data!;
      // The map and the shells are summed apart (on the GPU in float32).
      expect(Math.abs(modes.reduce((p, q) => p + q, 0) - total)).toBeLessThan(1e-5 * Math.abs(total));
    }
    expect(g.performance.spectrumSampling).toBe('device');
    expect(c.performance.spectrumSampling).toBe('host');
  });

  it('samples by default every SPECTRUM_GPU_MIN_SPACING steps at most on the GPU engine', async () => {
    const config = parseConfig({ ...statisticsBase, grid: { n: 16, length: 16 } });
    const g = await simulate(await gpuEngine(config), { steps: 500, burnIn: 0, blocks: 10 });
    expect(g.spectrum!.samples).toBe(500 / SPECTRUM_GPU_MIN_SPACING);
    expect(g.performance.spectrumSampling).toBe('device');
  });
});

describe('the σ(k) pass refuses rather than fails', () => {
  it('names the buffer that exceeds the device (the observer then samples on the host)', () => {
    const limits = { maxStorageBufferBindingSize: 2 ** 20, maxBufferSize: 2 ** 30 } as GPUSupportedLimits;
    const size = { nx: 512, ny: 512, shells: 363, capacity: 128, correlated: false };
    expect(modeSpectrumRefusal(limits, size)).toMatch(/σ\(k\) on the GPU of 512×512: the packed complex field needs 2 MiB, more than this device binds \(1 MiB\)/);
    expect(modeSpectrumRefusal(limits, { ...size, nx: 256, ny: 256 })).toBeUndefined();
  });

  it('throws when a window holds more samples than its rows', async () => {
    const engine = await gpuEngine({ ...statisticsBase, grid: { n: 16, length: 16 } }, { windowSteps: 4 });
    const pass = await GpuModeSpectrum.create(
      gpu.device,
      { nx: 16, ny: 16, shellOf: new Int32Array(256), shells: 1, inversePower: undefined, dt: 0.05, capacity: 1 },
      { fields: [engine.fieldBuffer, engine.fieldBuffer], drifts: [engine.fieldBuffer, engine.fieldBuffer] },
    );
    const encoder = gpu.device.createCommandEncoder();
    const compute = encoder.beginComputePass();
    pass.encode(compute, 0);
    expect(() => pass.encode(compute, 0)).toThrow(GpuError);
    compute.end();
    pass.destroy();
  });
});

describe('the shell listing', () => {
  it('lists every mode once, shell after shell', () => {
    const shellOf = Int32Array.from([2, 0, 1, 2, 1, 1, 0]);
    const { order, offsets } = shellListing(shellOf, 4);
    expect(Array.from(offsets)).toEqual([0, 2, 5, 7, 7]);
    expect(Array.from(order)).toEqual([1, 6, 2, 4, 5, 0, 3]);
  });
});
