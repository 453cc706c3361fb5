import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import { GpuError } from '../../src/gpu/errors.js';
import { checkFootprint, largestGrid } from '../../src/gpu/footprint.js';

const MiB = 2 ** 20;
/** An adapter whose storage bindings hold 64 MiB: a 4096² field in f32, not its complex form. */
const limits = { maxStorageBufferBindingSize: 64 * MiB, maxBufferSize: 256 * MiB };
const config = (n: number, noise: object = {}) =>
  parseConfig({ ...structuredClone(presets.irreversible), grid: { n, length: n }, noise: { ...presets.irreversible.noise, ...noise } });

describe('checkFootprint', () => {
  it('passes a field that fits, and says whether the FFT\'s complex buffers fit too', () => {
    expect(checkFootprint(limits, config(2048), 1, { convolution: 'auto', noiseShaping: 'stencil' })).toEqual({ fftFits: true });
    expect(checkFootprint(limits, config(4096), 1, { convolution: 'auto', noiseShaping: 'stencil' })).toEqual({ fftFits: false });
    expect(checkFootprint(limits, config(4096), 1, { convolution: 'stencil', noiseShaping: 'stencil' })).toEqual({ fftFits: false });
  });

  it('refuses a field too large for a binding, naming the limit, the size and what fits', () => {
    expect(() => checkFootprint(limits, config(4096), 2, { convolution: 'stencil', noiseShaping: 'stencil' })).toThrow(GpuError);
    expect(() => checkFootprint(limits, config(4096), 2, { convolution: 'stencil', noiseShaping: 'stencil' })).toThrow(
      /^4096² cells × 2 replica\(s\) need storage buffers of 128\.0 MiB; this adapter's maxStorageBufferBindingSize is 64\.0 MiB \(at most 2896² cells with 2 replica\(s\) here; fewer replicas or cells\)$/,
    );
    expect(() => checkFootprint({ maxStorageBufferBindingSize: 256 * MiB, maxBufferSize: 32 * MiB }, config(4096), 1, { convolution: 'stencil', noiseShaping: 'stencil' }))
      .toThrow(/this adapter's maxBufferSize is 32\.0 MiB/);
  });

  it('refuses the FFT convolution asked for, and correlated noise, when the complex form does not fit', () => {
    expect(() => checkFootprint(limits, config(4096), 1, { convolution: 'fft', noiseShaping: 'stencil' })).toThrow(
      /^the FFT convolution: 4096² cells × 1 replica\(s\) in complex form need storage buffers of 128\.0 MiB; .*maxStorageBufferBindingSize is 64\.0 MiB \(--convolution stencil needs half\) \(at most 2896² cells/,
    );
    expect(() => checkFootprint(limits, config(4096, { correlationLength: 2, whiteFraction: 0.1 }), 1, { convolution: 'stencil', noiseShaping: 'stencil' }))
      .toThrow(/^correlated noise: .* in complex form need storage buffers of 128\.0 MiB/);
  });
});

describe('checkFootprint on rectangles, rings and lengths that take Bluestein\'s FFT', () => {
  const ring = (n: number) =>
    parseConfig({ ...structuredClone(presets.irreversible), grid: { n, length: n, dimensions: 1 }, kernel: { ...presets.irreversible.kernel, shift: 0.5 } });
  const rectangle = (n: [number, number]) => parseConfig({ ...structuredClone(presets.irreversible), grid: { n, length: n } });

  it('counts nx·ny cells, and names a rectangle and what fits in cells', () => {
    expect(checkFootprint(limits, rectangle([4096, 2048]), 1, { convolution: 'auto', noiseShaping: 'stencil' })).toEqual({ fftFits: true });
    expect(checkFootprint(limits, rectangle([4096, 2048]), 2, { convolution: 'auto', noiseShaping: 'stencil' })).toEqual({ fftFits: false });
    expect(() => checkFootprint(limits, rectangle([4096, 2048]), 3, { convolution: 'stencil', noiseShaping: 'stencil' })).toThrow(
      /^4096 × 2048 cells × 3 replica\(s\) need storage buffers of 96\.0 MiB; this adapter's maxStorageBufferBindingSize is 64\.0 MiB \(at most 5592405 cells with 3 replica\(s\) here; fewer replicas or cells\)$/,
    );
  });

  it('names a ring', () => {
    const small = { maxStorageBufferBindingSize: MiB, maxBufferSize: 256 * MiB };
    expect(checkFootprint(small, ring(262144), 1, { convolution: 'stencil', noiseShaping: 'stencil' })).toEqual({ fftFits: false });
    expect(() => checkFootprint(small, ring(262144), 2, { convolution: 'stencil', noiseShaping: 'stencil' })).toThrow(
      /^a ring of 262144 cells × 2 replica\(s\) need storage buffers of 2\.0 MiB; .* \(at most a ring of 131072 cells with 2 replica\(s\) here; fewer replicas or cells\)$/,
    );
  });

  it('counts Bluestein\'s work buffer of padded lines: 1031 (a prime) pads to 4096', () => {
    const small = { maxStorageBufferBindingSize: 16 * MiB, maxBufferSize: 256 * MiB };
    // The field (4.1 MiB) and its complex form (8.1 MiB) fit; 1031 rows of 4096 complex values (32.2 MiB) do not.
    expect(checkFootprint(small, config(1031), 1, { convolution: 'auto', noiseShaping: 'stencil' })).toEqual({ fftFits: false });
    expect(() => checkFootprint(small, config(1031, { correlationLength: 2, whiteFraction: 0.1 }), 1, { convolution: 'stencil', noiseShaping: 'stencil' })).toThrow(
      /^correlated noise: 1031² cells × 1 replica\(s\) in complex form, with Bluestein's padded lines, need storage buffers of 32\.2 MiB; /,
    );
    expect(checkFootprint(small, config(1024), 1, { convolution: 'auto', noiseShaping: 'stencil' })).toEqual({ fftFits: true });
  });
});

describe('largestGrid', () => {
  it('is the largest side whose field of R replicas fits the smaller of the two limits', () => {
    expect(largestGrid(limits)).toBe(4096);
    expect(largestGrid(limits, 2)).toBe(2896);
    expect(largestGrid({ maxStorageBufferBindingSize: 256 * MiB, maxBufferSize: 16 * MiB })).toBe(2048);
  });
});
