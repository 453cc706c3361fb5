import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { cellVariance } from '../../src/estimators/cell-variance/index.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { modeSpectrum } from '../../src/estimators/mode-spectrum/index.js';
import { reportedObservers } from '../../src/estimators/reported.js';
import { engineFootprint, type FootprintPath } from '../../src/gpu/engine-footprint.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { requestNodeDevice, type AcquiredDevice } from '../../src/gpu/node-device.js';
import { statisticsBase } from '../helpers.js';

/**
 * engineFootprint against the buffers a created engine really makes: every
 * device.createBuffer is recorded, and the most bytes alive at once (buffers
 * made less those destroyed: the read-backs, a rebuilt observation) taken. The footprint's
 * exact parts (everything that grows with the grid) must not exceed the
 * allocations, and with its bound for the small rest must cover them. The
 * grids hold a field of 1 MiB or more, larger than that bound, so a field-sized
 * buffer missing from the footprint (or counted twice) fails.
 */
let gpu: AcquiredDevice;
/** Bytes of the recorded buffers not yet destroyed, and the most there were at once. */
let live = 0;
let peak = 0;
let recording = false;
beforeAll(async () => {
  gpu = await requestNodeDevice();
  const create = gpu.device.createBuffer.bind(gpu.device);
  gpu.device.createBuffer = (descriptor: GPUBufferDescriptor) => {
    const buffer = create(descriptor);
    if (!recording) return buffer;
    live += descriptor.size;
    peak = Math.max(peak, live);
    const destroy = buffer.destroy.bind(buffer);
    let destroyed = false;
    buffer.destroy = () => {
      if (!destroyed) live -= descriptor.size;
      destroyed = true;
      destroy();
    };
    return buffer;
  };
});
afterAll(() => gpu?.device.destroy());

const SMALL = 'uniforms, taps and tables (bound)';
const WINDOW = 16;

/** What `make` made, and the most bytes of buffers it held at once. */
async function allocated<T>(make: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  [live, peak, recording] = [0, 0, true];
  try {
    const value = await make();
    return { value, bytes: peak };
  } finally {
    recording = false;
  }
}

const mexicanHat: ConfigInput['kernel'] = { type: 'mexican-hat', excitation: { amplitude: 1.5, sigma: 1 }, inhibition: { amplitude: 1, sigma: 2 }, shift: [0.5, 0] };
const correlated: ConfigInput['noise'] = { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 };

describe('engineFootprint against the buffers an engine allocates', () => {
  it.each<[string, Partial<ConfigInput>, number, FootprintPath, 'stencil' | 'fft']>([
    ['white noise, separable stencil (one term)', { grid: { n: 256, length: 256 } }, 4, 'stencil', 'stencil'],
    ['mexican hat, separable stencil (two terms), an input map', {
      grid: { n: 256, length: 256 }, kernel: mexicanHat, input: { pattern: 'stripe', axis: 'x', center: 128, width: 16, inside: 0.2, outside: 0.1 },
    }, 4, 'stencil', 'stencil'],
    ['the 2-D stencil', { grid: { n: 256, length: 256 } }, 4, 'stencil-2d', 'stencil'],
    ['correlated noise, separable noise filter, FFT convolution', { grid: { n: 256, length: 256 }, noise: correlated }, 4, 'fft', 'stencil'],
    ['correlated noise shaped by FFT, a rectangle with Bluestein rows (264 = 8·3·11)', { grid: { n: [264, 128], length: [264, 128] }, noise: correlated }, 8, 'fft', 'fft'],
    ['a ring', { grid: { n: 65536, length: 65536, dimensions: 1 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: 0.5 } }, 4, 'stencil', 'stencil'],
  ])('%s', async (_name, over, replicas, path, noiseShaping) => {
    const config = parseConfig({ ...statisticsBase, ...over });
    const { value: engine, bytes } = await allocated(() => GpuEngine.create(gpu.device, gpu.description, config, replicas, { convolution: path, noiseShaping, windowSteps: WINDOW }));
    try {
      const field = 4 * replicas * gridOf(config).cells;
      expect(field).toBeGreaterThanOrEqual(2 ** 20);
      const estimate = engineFootprint(config, replicas, { path, noiseShaping, windowSteps: WINDOW, observers: 'none' }, gpu.device.limits);
      const small = estimate.parts.find(([what]) => what === SMALL)![1];
      expect(small).toBeLessThan(field);
      expect(estimate.bytes - small).toBeLessThanOrEqual(bytes);
      expect(bytes).toBeLessThanOrEqual(estimate.bytes);
    } finally {
      engine.dispose();
    }
  });

  it('with the observers `amari-ep run` attaches, and a read-back, the run footprint covers them', async () => {
    const config = parseConfig({ ...statisticsBase, grid: { n: 256, length: 256 }, noise: correlated });
    const replicas = 4;
    const options = { path: 'stencil' as const, noiseShaping: 'stencil' as const, windowSteps: WINDOW };
    const { value: engine, bytes } = await allocated(async () => {
      const e = await GpuEngine.create(gpu.device, gpu.description, config, replicas, { convolution: 'stencil', windowSteps: WINDOW });
      await e.observe(entropyProduction(2));
      await e.observe(cellVariance(2));
      await e.observe(modeSpectrum(2, 1));
      for (const r of reportedObservers) await e.observe(r.observer(2));
      await e.advance(2);
      await e.readField();
      return e;
    });
    try {
      const run = engineFootprint(config, replicas, { ...options, observers: 'run' }, gpu.device.limits);
      const bare = engineFootprint(config, replicas, { ...options, observers: 'none' }, gpu.device.limits);
      expect(bytes).toBeLessThanOrEqual(run.bytes);
      // An upper bound, but not a loose one: no field-sized buffer more than the run holds.
      expect(run.bytes - bytes).toBeLessThan(4 * replicas * gridOf(config).cells);
      expect(bytes).toBeGreaterThan(bare.bytes);
    } finally {
      engine.dispose();
    }
  });
});
