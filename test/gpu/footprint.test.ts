import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import { GpuError } from '../../src/gpu/errors.js';
import { engineFootprint } from '../../src/gpu/engine-footprint.js';
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

describe('checkFootprint against a memory budget (all buffers together)', () => {
  const GiB = 2 ** 30;
  const big = { maxStorageBufferBindingSize: 4 * GiB, maxBufferSize: 4 * GiB };
  const budget = { bytes: GiB, source: 'a test budget' };
  const stencil = { path: 'stencil' as const, noiseShaping: 'stencil' as const, windowSteps: 128, observers: 'run' as const };
  const total = (c: ReturnType<typeof config>, replicas: number, path: 'stencil' | 'fft' = 'stencil') =>
    engineFootprint(c, replicas, { ...stencil, path }, big).bytes;
  const plan = (convolution: 'auto' | 'stencil' | 'fft') => ({ convolution, noiseShaping: 'stencil' as const, budget });

  it('passes what fits, and lets `auto` fall back to the stencil where only the FFT exceeds it', () => {
    expect(checkFootprint(big, config(2048), 4, plan('auto'))).toEqual({ fftFits: true });
    // 2048² × 8: the stencil path fits a GiB, the FFT's two complex buffers more do not.
    expect(total(config(2048), 8)).toBeLessThanOrEqual(GiB);
    expect(total(config(2048), 8, 'fft')).toBeGreaterThan(GiB);
    expect(checkFootprint(big, config(2048), 8, plan('auto'))).toEqual({ fftFits: false });
    expect(() => checkFootprint(big, config(2048), 8, plan('fft'))).toThrow(/with the FFT convolution need .* more than the budget of 1\.00 GiB \(a test budget\)/);
  });

  it('refuses in one line naming the footprint, the budget, and the largest square and replica count that fit', () => {
    let message = '';
    try {
      checkFootprint(big, config(4096), 4, plan('stencil'));
    } catch (e) {
      expect(e).toBeInstanceOf(GpuError);
      message = (e as Error).message;
    }
    const need = total(config(4096), 4);
    expect(message).toMatch(new RegExp(`^4096² cells × 4 replica\\(s\\) with the stencil convolution need ${(need / GiB).toFixed(2)} GiB of GPU buffers \\(fields u_n, u_\\{n\\+1\\} 512\\.0 MiB, `));
    expect(message).not.toContain('\n');
    const [, side, replicas] = /at most (\d+)² cells with 4 replica\(s\) fit, or (\d+) replica\(s\) of 4096² cells$/.exec(message)!.map(Number);
    // Named sizes are the boundary: they fit, one more does not (an independent check with the footprint).
    expect(total(config(side), 4)).toBeLessThanOrEqual(GiB);
    expect(total(config(side + 1), 4)).toBeGreaterThan(GiB);
    expect(total(config(4096), replicas)).toBeLessThanOrEqual(GiB);
    expect(total(config(4096), replicas + 1)).toBeGreaterThan(GiB);
  });

  it('names both sides of a rectangle that fit, a ring\'s length, and says when not one replica fits', () => {
    const rectangle = parseConfig({ ...structuredClone(presets.irreversible), grid: { n: [8192, 4096], length: [8192, 4096] } });
    expect(() => checkFootprint(big, rectangle, 1, plan('stencil'))).toThrow(
      /at most 8192 × \d+ or \d+ × 4096 cells with 1 replica\(s\) fit, and not one replica of 8192 × 4096 cells$/,
    );
    const ring = parseConfig({ ...structuredClone(presets.irreversible), grid: { n: 262144, length: 262144, dimensions: 1 }, kernel: { ...presets.irreversible.kernel, shift: 0.5 } });
    expect(() => checkFootprint(big, ring, 64, { ...plan('stencil'), budget: { bytes: 256 * MiB, source: 'x' } })).toThrow(
      /at most a ring of \d+ cells with 64 replica\(s\) fit, or \d+ replica\(s\) of a ring of 262144 cells$/,
    );
  });

  it('counts nothing beyond the per-buffer limits without a budget', () => {
    expect(checkFootprint(big, config(4096), 4, { convolution: 'stencil', noiseShaping: 'stencil' })).toEqual({ fftFits: true });
  });
});
