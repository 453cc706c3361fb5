import { describe, expect, it } from 'vitest';
import { gridSizesFor } from '../../demos/src/grid-sizes.js';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import { GpuError } from '../../src/gpu/errors.js';
import { checkFootprint } from '../../src/gpu/footprint.js';

const at = (n: number) => parseConfig({ ...presets.irreversible, grid: { n, length: n } });
const plan = { convolution: 'auto', noiseShaping: 'stencil' } as const;

describe('the grid sizes the page offers', () => {
  it.each([
    ['SwiftShader-like: 128 MiB bindings, 256 MiB buffers', { maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 }, 4096],
    ['the WebGPU defaults: 128 MiB bindings, 256 MiB buffers', { maxStorageBufferBindingSize: 134217728, maxBufferSize: 268435456 }, 4096],
    ['a large GPU: 2 GiB bindings, 1 GiB buffers', { maxStorageBufferBindingSize: 2 ** 31, maxBufferSize: 2 ** 30 }, 16384],
    ['a small adapter: 32 MiB bindings', { maxStorageBufferBindingSize: 2 ** 25, maxBufferSize: 2 ** 28 }, 2048],
  ])('are those the engine\'s footprint check accepts (%s), up to %i²', (_, limits, largest) => {
    const sizes = gridSizesFor(limits);
    expect(sizes[sizes.length - 1]).toBe(largest);
    // Powers of two and the round sizes beside them: 1000² next to 1024².
    expect(sizes).toEqual(expect.arrayContaining([64, 100, 128, 200, 256, 500, 512, 1000, 1024, 2048]));
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    for (const n of sizes) expect(() => checkFootprint(limits, at(n), 1, plan)).not.toThrow();
    // The next size up is refused before allocation, naming the limit.
    if (largest < 16384) {
      expect(() => checkFootprint(limits, at(2 * largest), 1, plan)).toThrow(GpuError);
      expect(() => checkFootprint(limits, at(2 * largest), 1, plan)).toThrow(/maxStorageBufferBindingSize/);
    }
  });
});
