import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import type { Config } from '../../src/config/schema.js';
import {
  chooseConvolution, decodeChoice, encodeChoice, forgetConvolutionChoices, timingConfig, TIMING_N, type CachedConvolution, type ConvolutionCache, type ConvolutionPath,
} from '../../src/gpu/convolution-choice.js';
import { gridOf, kernelRadii } from '../../src/config/geometry.js';
import { DEFAULT_SEPARABLE_SHAPE, MAX_SEPARABLE_RADIUS, SEPARABLE_SHAPES, shapeLabel, type SeparableShape } from '../../src/gpu/layout/tiles.js';

/** The larger of the kernel stencil's radii, in cells. */
const radius = (c: Config) => Math.max(kernelRadii(c).x, kernelRadii(c).y);

/** The irreversible field at n² with a kernel of `sigma` (units of length; L = n, so cells of 1). */
const config = (n: number, sigma: number, over: object = {}, kernel: object = {}): Config =>
  parseConfig({ ...structuredClone(presets.irreversible), grid: { n, length: n }, kernel: { ...presets.irreversible.kernel, sigma, ...kernel }, ...over });

/** The irreversible field on another grid (a rectangle, a ring) with a kernel of `sigma`. */
const onGrid = (grid: object, sigma: number, kernel: object = {}): Config =>
  parseConfig({ ...structuredClone(presets.irreversible), grid, kernel: { ...presets.irreversible.kernel, sigma, ...kernel } });

/** A timer that records what it was asked and answers from a table of ms per step. */
function fakeTimer(ms: Record<ConvolutionPath, number>) {
  const asked: { path: ConvolutionPath; config: Config; limitMs?: number }[] = [];
  return { asked, time: async (path: ConvolutionPath, c: Config, limitMs?: number) => (asked.push({ path, config: c, limitMs }), ms[path]) };
}

function memoryCache(): ConvolutionCache & { entries: Map<string, CachedConvolution> } {
  const entries = new Map<string, CachedConvolution>();
  return { entries, load: (k) => entries.get(k), store: (k, p) => void entries.set(k, p) };
}

beforeEach(() => forgetConvolutionChoices());

describe('chooseConvolution', () => {
  it('takes the stencil for radius ≤ 2 without timing anything', async () => {
    const timer = fakeTimer({ stencil: 1, fft: 0.1 });
    const c = config(4096, 0.5, {}, { radius: 2 });
    expect(radius(c)).toBeLessThanOrEqual(2);
    expect((await chooseConvolution('adapter', c, timer.time)).path).toBe('stencil');
    expect(timer.asked).toEqual([]);
  });

  it('times both paths on a 512² grid with the same cells, and extrapolates the FFT by log n / log m', async () => {
    const c = config(4096, 4, { noise: { amplitude: { pattern: 'stripe', axis: 'x', center: 2048, width: 100, inside: 0.03, outside: 0.01 }, correlationLength: 0 } });
    // FFT 11 ms at 512² becomes 11·log 4096/log 512 = 14.7 ms at 4096²: slower than the stencil's 12 ms.
    const timer = fakeTimer({ stencil: 12, fft: 11 });
    const choice = await chooseConvolution('adapter', c, timer.time);
    expect(choice.path).toBe('stencil');
    // A Gaussian: the stencil path runs (and is timed as) the separable stencil.
    expect(choice.how).toMatch(/measured on 512², extrapolated to 4096²: separable stencil 12\.0 ms, FFT 14\.7 ms per step/);
    // The separable stencil on a 2-D grid: each column shape, then the FFT.
    expect(timer.asked.map((a) => a.path)).toEqual([...SEPARABLE_SHAPES.map(() => 'stencil'), 'fft']);
    // The FFT may stop timing once a step at 512² costs more than the stencil's 12 ms scaled back: 12·log 512/log 4096 = 9 ms.
    expect(timer.asked[0].limitMs).toBeUndefined();
    expect(timer.asked[SEPARABLE_SHAPES.length].limitMs).toBeCloseTo(9, 12);
    const small = timer.asked[0].config;
    expect(small.grid.n).toBe(TIMING_N);
    expect([gridOf(small).dx, gridOf(small).dy]).toEqual([gridOf(c).dx, gridOf(c).dy]);
    expect(kernelRadii(small)).toEqual(kernelRadii(c));
    expect(small.noise.amplitude).toBe(0.01);
    // A faster FFT wins after the same extrapolation.
    forgetConvolutionChoices();
    expect((await chooseConvolution('adapter', c, fakeTimer({ stencil: 12, fft: 8 }).time)).path).toBe('fft');
  });

  it('remembers a choice in the process and in the cache, and a later process reads the cache without timing', async () => {
    const c = config(1024, 4);
    const cache = memoryCache();
    const timer = fakeTimer({ stencil: 5, fft: 1 });
    expect((await chooseConvolution('adapter A', c, timer.time, cache)).path).toBe('fft');
    expect((await chooseConvolution('adapter A', c, timer.time, cache)).path).toBe('fft');
    expect(timer.asked).toHaveLength(SEPARABLE_SHAPES.length + 1);
    // Keyed by the stencil's form: a choice measured against the 2-D stencil is not reused for the separable one,
    // nor one from before the column shape was tuned (the key's `|shape`).
    expect([...cache.entries]).toEqual([[`adapter A|1024×1024|r=${radius(c)},${radius(c)}|separable|shape|cells`, 'fft']]);
    forgetConvolutionChoices();
    const later = fakeTimer({ stencil: 1, fft: 5 });
    const cached = await chooseConvolution('adapter A', c, later.time, cache);
    expect(cached).toEqual({ path: 'fft', how: 'cached for this adapter' });
    expect(later.asked).toEqual([]);
    // Another adapter is measured afresh.
    expect((await chooseConvolution('adapter B', c, later.time, cache)).path).toBe('stencil');
  });

  it('takes the FFT unmeasured for a stencil reaching half the timing grid', async () => {
    const timer = fakeTimer({ stencil: 1, fft: 5 });
    const c = config(1024, 70);
    expect(2 * radius(c) + 1).toBeGreaterThan(TIMING_N);
    expect((await chooseConvolution('adapter', c, timer.time)).path).toBe('fft');
    expect(timer.asked).toEqual([]);
  });

  it('a rectangle: timed on at most 512 cells per side with both cell sizes, extrapolated by its cells; keyed by nx × ny and both radii', async () => {
    // Δx = 1, Δy = 2.
    const c = onGrid({ n: [4096, 1024], length: [4096, 2048] }, 4);
    const cache = memoryCache();
    const timer = fakeTimer({ stencil: 12, fft: 10 });
    const choice = await chooseConvolution('adapter', c, timer.time, cache);
    const small = timer.asked[0].config;
    expect(gridOf(small)).toMatchObject({ nx: 512, ny: 512, dx: 1, dy: 2 });
    expect(kernelRadii(small)).toEqual(kernelRadii(c));
    expect(kernelRadii(c).x).not.toBe(kernelRadii(c).y);
    // The FFT's 10 ms at 512·512 cells, scaled by log(4096·1024)/log(512·512) = 22/18: 12.2 ms, slower than the stencil's 12.
    // Every shape timed alike: the default (first) is kept.
    expect(choice).toEqual({
      path: 'stencil',
      shape: DEFAULT_SEPARABLE_SHAPE,
      how: 'measured on 512², extrapolated to 4096 × 1024: separable stencil 12.0 ms, FFT 12.2 ms per step; column workgroup 32×4/8 (32×4/8 12.0, 16×8/8 >12.0, 32×4/4 >12.0, 8×16/4 >12.0, 32×4/16 >12.0, 32×4/32 >12.0 ms)',
    });
    expect([...cache.entries]).toEqual([[`adapter|4096×1024|r=${kernelRadii(c).x},${kernelRadii(c).y}|separable|shape|cells`, 'stencil']]);
  });

  it('a ring is timed on itself (up to 512² cells) and keyed as a ring', async () => {
    const c = onGrid({ n: 4096, length: 4096, dimensions: 1 }, 4, { shift: 0.5 });
    const cache = memoryCache();
    const timer = fakeTimer({ stencil: 2, fft: 1 });
    const choice = await chooseConvolution('adapter', c, timer.time, cache);
    expect(timer.asked[0].config).toBe(c);
    expect(choice.how).toBe('measured on a ring of 4096 cells: separable stencil 2.00 ms, FFT 1.00 ms per step');
    expect([...cache.entries]).toEqual([[`adapter|ring 4096|r=${kernelRadii(c).x}|separable`, 'fft']]);
  });

  it('a stencil past MAX_SEPARABLE_RADIUS is timed, named and keyed as the 2-D stencil it runs as', async () => {
    const c = onGrid({ n: 8192, length: 8192, dimensions: 1 }, 130, { shift: 0.5 });
    expect(kernelRadii(c).x).toBeGreaterThan(MAX_SEPARABLE_RADIUS);
    const cache = memoryCache();
    const choice = await chooseConvolution('adapter', c, fakeTimer({ stencil: 2, fft: 1 }).time, cache);
    expect(choice.how).toBe('measured on a ring of 8192 cells: stencil 2.00 ms, FFT 1.00 ms per step');
    expect([...cache.entries.keys()]).toEqual([`adapter|ring 8192|r=${kernelRadii(c).x}`]);
  });

  it('measures again after a failed measurement', async () => {
    const c = config(256, 4);
    await expect(chooseConvolution('adapter', c, async () => Promise.reject(new Error('lost')))).rejects.toThrow('lost');
    expect((await chooseConvolution('adapter', c, fakeTimer({ stencil: 1, fft: 2 }).time)).path).toBe('stencil');
  });
});

describe('tuning the separable column shape', () => {
  /** A timer answering the stencil's time per column shape ("16×8/8" → ms; a shape not named: `others`), the FFT's from `fft`. */
  function shapeTimer(ms: Record<string, number>, fft: number, others = 50) {
    const asked: { path: ConvolutionPath; limitMs?: number; shape?: SeparableShape }[] = [];
    const time = async (path: ConvolutionPath, _c: Config, limitMs?: number, shape?: SeparableShape) => {
      asked.push({ path, limitMs, shape });
      return path === 'fft' ? fft : (ms[shapeLabel(shape!)] ?? others);
    };
    return { asked, time };
  }

  it('times every candidate shape on the timing grid, keeps the fastest, and runs the FFT against it', async () => {
    const c = config(1024, 4);
    const cache = memoryCache();
    const timer = shapeTimer({ '32×4/8': 10, '16×8/8': 6, '32×4/4': 8, '32×4/16': 5.9, '32×4/32': 4 }, 100);
    const choice = await chooseConvolution('adapter', c, timer.time, cache);
    expect(choice.path).toBe('stencil');
    expect(choice.shape).toEqual([32, 4, 32]);
    expect(choice.how).toMatch(
      /separable stencil 4\.00 ms, .*; column workgroup 32×4\/32 \(32×4\/8 10\.0, 16×8\/8 6\.00, 32×4\/4 >8\.00, 8×16\/4 >50\.0, 32×4\/16 >5\.90, 32×4\/32 4\.00 ms\)$/,
    );
    expect(timer.asked.map((a) => a.shape && shapeLabel(a.shape))).toEqual([...SEPARABLE_SHAPES.map(shapeLabel), undefined]);
    // Each candidate may stop once it cannot win, slower than 95% of the best so far: the default is timed in full.
    // 5.9 ms is not 5% faster than 6: the 16 cells' shape does not displace the 16 × 8 one.
    const limits = timer.asked.map((a) => a.limitMs);
    expect(limits[0]).toBeUndefined();
    expect(limits[1]).toBeCloseTo(9.5, 12);
    expect(limits[2]).toBeCloseTo(5.7, 12);
    expect(limits[5]).toBeCloseTo(5.7, 12);
    expect([...cache.entries.values()]).toEqual(['stencil 32×4/32']);
  });

  it('keeps the default unless another shape is at least 5% faster: timing noise does not flip the shape', async () => {
    const close = await chooseConvolution('adapter', config(1024, 4), shapeTimer({ '32×4/8': 10, '16×8/8': 9.6, '32×4/4': 9.7 }, 100, 9.8).time);
    expect(close.shape).toEqual(DEFAULT_SEPARABLE_SHAPE);
    expect(close.how).toMatch(/column workgroup 32×4\/8 \(32×4\/8 10\.0, 16×8\/8 >9\.60, 32×4\/4 >9\.70, 8×16\/4 >9\.80, 32×4\/16 >9\.80, 32×4\/32 >9\.80 ms\)$/);
  });

  it('round-trips the shape through the cache: a later process runs it without timing', async () => {
    const c = config(1024, 4);
    const cache = memoryCache();
    await chooseConvolution('adapter', c, shapeTimer({ '32×4/8': 10, '16×8/8': 12, '8×16/4': 7 }, 100).time, cache);
    forgetConvolutionChoices();
    const later = shapeTimer({}, 1, 1);
    expect(await chooseConvolution('adapter', c, later.time, cache)).toEqual({
      path: 'stencil', shape: [8, 16, 4], how: 'cached for this adapter',
    });
    expect(later.asked).toEqual([]);
  });

  it('a shape does not ride along when the FFT wins, nor on a ring (no column pass)', async () => {
    const fft = await chooseConvolution('adapter', config(1024, 4), shapeTimer({ '32×4/8': 10, '16×8/8': 6 }, 1).time);
    expect(fft.path).toBe('fft');
    expect(fft.shape).toBeUndefined();
    const ring = onGrid({ n: 4096, length: 4096, dimensions: 1 }, 4);
    const timer = fakeTimer({ stencil: 2, fft: 5 });
    const onRing = await chooseConvolution('adapter', ring, timer.time);
    expect([onRing.path, onRing.shape]).toEqual(['stencil', undefined]);
    expect(timer.asked.map((a) => a.path)).toEqual(['stencil', 'fft']);
  });

  it('encodes the default shape as a plain path, and reads back only known paths and candidate shapes', () => {
    expect(encodeChoice({ path: 'stencil', shape: DEFAULT_SEPARABLE_SHAPE })).toBe('stencil');
    expect(encodeChoice({ path: 'stencil', shape: [8, 16, 4] })).toBe('stencil 8×16/4');
    expect(encodeChoice({ path: 'stencil', shape: [32, 4, 16] })).toBe('stencil 32×4/16');
    // Written before cells per thread were tuned: four.
    expect(decodeChoice('stencil 8×16')).toEqual({ path: 'stencil', shape: [8, 16, 4] });
    expect(encodeChoice({ path: 'fft' })).toBe('fft');
    for (const shape of SEPARABLE_SHAPES) expect(decodeChoice(encodeChoice({ path: 'stencil', shape }))?.shape ?? DEFAULT_SEPARABLE_SHAPE).toEqual(shape);
    expect(decodeChoice('fft')).toEqual({ path: 'fft' });
    expect([decodeChoice('stencil 64×2'), decodeChoice('stencil 32×4/3'), decodeChoice('teleport'), decodeChoice(3), decodeChoice(undefined)]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('timingConfig', () => {
  it('keeps a small grid as it is, and the cell size and maps-as-uniform values on a smaller one', () => {
    const c = config(256, 4);
    expect(timingConfig(c)).toBe(c);
    const slopeMap = config(2048, 4, { transfer: { type: 'linear', slope: { pattern: 'tilt', axis: 'x', base: 0.2, rate: 0.0001 } } });
    const small = timingConfig(slopeMap);
    expect(small.grid).toEqual({ ...slopeMap.grid, n: 512, length: 512 });
    expect(small.transfer).toEqual({ type: 'linear', slope: 0.5 });
    expect(() => parseConfig(small)).not.toThrow();
  });

  it('clips each axis of a rectangle on its own, keeping its cell size exactly', () => {
    const c = onGrid({ n: [2048, 100], length: [2048 * 0.3, 100 * 0.7] }, 4);
    const small = timingConfig(c);
    expect(small.grid).toEqual({ ...c.grid, n: [512, 100], length: [512 * gridOf(c).dx, 100 * 0.7] });
    expect([gridOf(small).dx, gridOf(small).dy]).toEqual([gridOf(c).dx, gridOf(c).dy]);
    expect(() => parseConfig(small)).not.toThrow();
  });
});
