import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { GpuError } from '../../src/gpu/errors.js';
import { adapterMemory, gpuMemoryBudget, largestFitting, parseMemorySize } from '../../src/gpu/memory-budget.js';
import { checkHostMemory, cpuFootprint } from '../../src/run/host-memory.js';
import { statisticsBase } from '../helpers.js';

const GiB = 2 ** 30;

describe('the GPU memory budget', () => {
  it('reads sizes in bytes or binary units, and nothing else', () => {
    expect(parseMemorySize('25769803776')).toBe(24 * GiB);
    expect(parseMemorySize('24GiB')).toBe(24 * GiB);
    expect(parseMemorySize(' 24 g ')).toBe(24 * GiB);
    expect(parseMemorySize('8192MiB')).toBe(8 * GiB);
    expect(parseMemorySize('1.5 TB')).toBe(1.5 * 2 ** 40);
    for (const bad of ['', 'lots', '24 GiBs', '-1G', '0', '24 PiB']) expect(parseMemorySize(bad)).toBeUndefined();
  });

  it('sums the device-local memory heaps where the adapter reports them (Dawn\'s HeapProperty 1: device-local)', () => {
    expect(adapterMemory({ memoryHeaps: [{ size: 80 * GiB, properties: 1 }, { size: 64 * GiB, properties: 2 }] })).toBe(80 * GiB);
    expect(adapterMemory({ memoryHeaps: [{ size: BigInt(8 * GiB), properties: 4 }] })).toBe(8 * GiB);
    expect(adapterMemory({})).toBeUndefined();
    expect(adapterMemory({ memoryHeaps: [] })).toBeUndefined();
  });

  it('takes AMARI_EP_GPU_MEMORY over the heaps, the heaps over the host\'s memory, and names its source', () => {
    const heaps = { memoryHeaps: [{ size: 80 * GiB, properties: 1 }] };
    expect(gpuMemoryBudget(heaps, { AMARI_EP_GPU_MEMORY: '12GiB' }, 64 * GiB)).toEqual({ bytes: 12 * GiB, source: 'AMARI_EP_GPU_MEMORY' });
    expect(gpuMemoryBudget(heaps, {}, 64 * GiB)).toEqual({ bytes: 80 * GiB, source: "the adapter's memory heaps" });
    expect(gpuMemoryBudget({}, { AMARI_EP_GPU_MEMORY: '' }, 64 * GiB)).toEqual({
      bytes: 64 * GiB, source: "the host's memory: the adapter reports none; set AMARI_EP_GPU_MEMORY to the GPU's",
    });
    expect(() => gpuMemoryBudget({}, { AMARI_EP_GPU_MEMORY: 'lots' }, GiB)).toThrow(GpuError);
    expect(() => gpuMemoryBudget({}, { AMARI_EP_GPU_MEMORY: 'lots' }, GiB)).toThrow(
      'AMARI_EP_GPU_MEMORY="lots" is not a memory size; allowed: bytes, or a number with KiB, MiB, GiB or TiB (e.g. 24GiB)',
    );
  });

  it('bisects for the largest integer that fits', () => {
    expect(largestFitting(100, (n) => n * n <= 2000)).toBe(44);
    expect(largestFitting(100, () => true)).toBe(100);
    expect(largestFitting(100, () => false)).toBe(0);
  });
});

describe('the CPU engine against this machine\'s memory', () => {
  const square = (n: number, noise: object = {}) => parseConfig({ ...statisticsBase, grid: { n, length: n }, noise: { ...statisticsBase.noise, ...noise } });

  it('counts float64 fields per replica and per-cell arrays once, more with correlated noise', () => {
    // 9 fields per replica and 32 per-cell arrays of 8 bytes.
    expect(cpuFootprint(square(1024), 4)).toBe(8 * 1024 ** 2 * (4 * 9 + 32));
    expect(cpuFootprint(square(1024, { correlationLength: 1.5, whiteFraction: 0.1 }), 4)).toBe(8 * 1024 ** 2 * (4 * 11 + 32));
  });

  it('passes what fits, and refuses in one line naming the need, the memory and the largest grid and replicas that fit', () => {
    const host = 16 * GiB;
    expect(() => checkHostMemory(square(4096), 4, host)).not.toThrow();
    let message = '';
    try {
      checkHostMemory(square(16384), 8, host);
    } catch (e) {
      expect(e).toBeInstanceOf(RangeError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^16384² cells × 8 replica\(s\) on the CPU need about 208\.00 GiB of float64 arrays, more than this machine's memory \(16\.00 GiB\); at most \d+² cells with 8 replica\(s\) fit, and not one replica of 16384² cells$/);
    const side = Number(/at most (\d+)²/.exec(message)![1]);
    expect(cpuFootprint(square(side), 8)).toBeLessThanOrEqual(host);
    expect(cpuFootprint(square(side + 1), 8)).toBeGreaterThan(host);
    // 8 bytes × 8192² × (9 R + 32) ≤ 48 GiB holds up to R = 7.
    expect(() => checkHostMemory(square(8192), 8, 48 * GiB)).toThrow(/, or 7 replica\(s\) of 8192² cells$/);
  });

  it('names both sides of a rectangle', () => {
    const rectangle = parseConfig({ ...statisticsBase, grid: { n: [8192, 2048], length: [8192, 2048] } });
    expect(() => checkHostMemory(rectangle, 16, 8 * GiB)).toThrow(/at most 8192 × \d+ or \d+ × 2048 cells with 16 replica\(s\) fit, or \d+ replica\(s\) of 8192 × 2048 cells$/);
  });
});
