import { describe, expect, it } from 'vitest';
import { StorageConvolutionCache } from '../../demos/src/convolution-cache.js';
import { chooseConvolution, forgetConvolutionChoices, type ConvolutionPath } from '../../src/gpu/convolution-choice.js';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import { SEPARABLE_SHAPES } from '../../src/gpu/layout/tiles.js';

/** A Storage in memory (what localStorage offers), optionally failing every call as a full or forbidden one does. */
function memoryStorage(fail = false): Storage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  const guard = () => {
    if (fail) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  return {
    items,
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    key: (i: number) => [...items.keys()][i] ?? null,
    getItem: (k: string) => (guard(), items.get(k) ?? null),
    setItem: (k: string, v: string) => (guard(), void items.set(k, v)),
    removeItem: (k: string) => void items.delete(k),
  };
}

/** The irreversible preset at 1024²: a stencil of radius > 2 cells, so the choice is measured (or cached). */
const config = parseConfig({ ...presets.irreversible, grid: { n: 1024, length: 1024 } });

describe('the demo\'s convolution cache in localStorage', () => {
  it('remembers a measured choice, so a later page (a new process) does not measure again', async () => {
    const storage = memoryStorage();
    const cache = new StorageConvolutionCache(() => storage);
    const timed: string[] = [];
    const time = async (path: ConvolutionPath) => (timed.push(path), path === 'fft' ? 1 : 5);
    forgetConvolutionChoices();
    const first = await chooseConvolution('adapter A', config, time, cache);
    expect(first.path).toBe('fft');
    // The separable stencil's column shapes (every one of SEPARABLE_SHAPES), then the FFT.
    const measured = [...SEPARABLE_SHAPES.map(() => 'stencil'), 'fft'];
    expect(timed).toEqual(measured);
    expect([...storage.items.values()]).toEqual(['fft']);
    expect([...storage.items.keys()][0]).toMatch(/adapter A\|1024×1024\|r=\d+,\d+/);

    forgetConvolutionChoices();
    const again = await chooseConvolution('adapter A', config, time, cache);
    expect(again).toEqual({ path: 'fft', how: 'cached for this adapter' });
    expect(timed).toHaveLength(measured.length);
    // Another adapter is measured for itself.
    forgetConvolutionChoices();
    await chooseConvolution('adapter B', config, time, cache);
    expect(timed).toHaveLength(2 * measured.length);
  });

  it('ignores a value that is not a path, and a storage that throws or is missing', async () => {
    const storage = memoryStorage();
    const cache = new StorageConvolutionCache(() => storage);
    cache.store('k', 'stencil');
    expect(cache.load('k')).toBe('stencil');
    storage.items.set([...storage.items.keys()][0], 'fourier');
    expect(cache.load('k')).toBeUndefined();

    const broken = new StorageConvolutionCache(() => memoryStorage(true));
    expect(() => broken.store('k', 'fft')).not.toThrow();
    expect(broken.load('k')).toBeUndefined();
    const none = new StorageConvolutionCache(() => undefined);
    expect(none.load('k')).toBeUndefined();
    forgetConvolutionChoices();
    const chosen = await chooseConvolution('adapter C', config, async (p) => (p === 'fft' ? 9 : 1), broken);
    expect(chosen.path).toBe('stencil');
  });
});
