import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import { checkedPointConfigs } from '../../src/sweep/points.js';
import { evenlySpaced, parseParam, parseShard, shardPoints, sweepPoints, SweepError, type SweptParam } from '../../src/sweep/index.js';

/** --param and --shard parsing, the product of the lists, and the one-line refusals of paths the config cannot sweep. */
const base = parseConfig({ ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 } });
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SweepError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('not refused');
};

describe('--param', () => {
  it('a range gives count evenly spaced values with both ends exact; a list keeps its order', () => {
    expect(parseParam('kernel.shift.0=0:1:5')).toEqual({ path: 'kernel.shift.0', values: [0, 0.25, 0.5, 0.75, 1] });
    expect(parseParam('dt=0.1:0.3:3').values).toEqual([0.1, 0.2, 0.3]);
    expect(parseParam('noise.amplitude = 0.02,0.01,1e-3')).toEqual({ path: 'noise.amplitude', values: [0.02, 0.01, 0.001] });
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.integer({ min: 2, max: 50 }), (a, b, n) => {
        const v = evenlySpaced(a, b, n);
        expect(v).toHaveLength(n);
        expect([v[0], v[n - 1]]).toEqual([a, b]);
      }),
      // Fixed: the same inputs every run (a failure can be replayed).
      { seed: 15, numRuns: 200 },
    );
  });

  it('refuses malformed values in one line that says what is allowed', () => {
    expect(refusal(() => parseParam('kernel.shift.0'))).toMatch(/no "="; allowed: PATH=a:b:count/);
    expect(refusal(() => parseParam('dt=0:1'))).toMatch(/got the range "0:1" for dt; allowed/);
    expect(refusal(() => parseParam('dt=0:1:1'))).toMatch(/count "1" for dt; allowed: an integer ≥ 2/);
    expect(refusal(() => parseParam('dt=0:1:2.5'))).toMatch(/count "2.5"/);
    expect(refusal(() => parseParam('dt=1:1:3'))).toMatch(/from a value to itself/);
    expect(refusal(() => parseParam('dt=0.1,x'))).toMatch(/the value "x" is not a finite number/);
    expect(refusal(() => parseParam('dt=0x10'))).toMatch(/not a finite number/);
    expect(refusal(() => parseParam('dt=0.1,0.1'))).toMatch(/a value twice; allowed: distinct numbers/);
    expect(refusal(() => parseParam('kernel..shift=1'))).toMatch(/the path "kernel..shift"; allowed: a dotted config path/);
  });

  it('refuses paths the config cannot sweep, naming the path; takes a key the schema allows but the config leaves out', () => {
    const check = (...specs: string[]) => checkedPointConfigs(base, specs.map(parseParam), sweepPoints(specs.map(parseParam)));
    expect(refusal(() => check('kernel.foo=1,2'))).toBe(
      '--param kernel.foo: the config has no key kernel.foo; allowed: a dotted path to a number of the config, such as kernel.shift.0, noise.amplitude, transfer.slope, dt',
    );
    expect(refusal(() => check('colour.red=1'))).toMatch(/^--param colour.red: the config has no colour;/);
    expect(refusal(() => check('kernel.shift=1,2'))).toMatch(/holds a list \(sweep one entry: kernel.shift.0\)/);
    expect(refusal(() => check('noise=1,2'))).toMatch(/holds an object/);
    expect(refusal(() => check('transfer.type=1'))).toMatch(/holds "linear"/);
    expect(refusal(() => check('kernel.shift.2=1'))).toMatch(/kernel.shift has 2 entries; allowed: an index from 0 to 1/);
    expect(refusal(() => check('dt=0.1', 'dt=0.2'))).toMatch(/--param dt is given twice/);
    expect(refusal(() => checkedPointConfigs(base, [], sweepPoints([])))).toMatch(/at least one --param/);
    // Every point is checked before any runs: a shift whose stencil outgrows the 16² grid is refused with its value.
    expect(refusal(() => check('kernel.shift.0=0,9'))).toMatch(/^the sweep's point kernel.shift.0 = 9 is not a valid config: kernel: along x and y the stencil spans/);
    expect(refusal(() => check('grid.n=16,16.5'))).toMatch(/point grid.n = 16.5 is not a valid config: grid.n/);
    const configs = check('kernel.radius=5,6', 'kernel.shift.0=0.5');
    expect(configs.map((c) => [c.kernel.radius, c.kernel.shift])).toEqual([[5, [0.5, 0]], [6, [0.5, 0]]]);
    expect(base.kernel.radius).toBeUndefined();
  });
});

describe('points and shards', () => {
  const params: SweptParam[] = [parseParam('kernel.shift.0=0,0.5,1'), parseParam('dt=0.05,0.02')];

  it('the product of the lists, the first parameter slowest, with ids from the index and the values', () => {
    const points = sweepPoints(params);
    expect(points.map((p) => [p.values['kernel.shift.0'], p.values.dt])).toEqual([[0, 0.05], [0, 0.02], [0.5, 0.05], [0.5, 0.02], [1, 0.05], [1, 0.02]]);
    expect(points.map((p) => p.id.slice(0, 6))).toEqual(['p0000-', 'p0001-', 'p0002-', 'p0003-', 'p0004-', 'p0005-']);
    // Stable: the same values give the same ids; other values at the same index another.
    expect(sweepPoints(params).map((p) => p.id)).toEqual(points.map((p) => p.id));
    expect(sweepPoints([parseParam('kernel.shift.0=0,0.5,2'), params[1]])[4].id).not.toBe(points[4].id);
    expect(new Set(points.map((p) => p.id.slice(6))).size).toBe(6);
  });

  it('--shard i/N: shards partition the points (index mod N = i − 1), and bad values are refused', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), (count, n) => {
        const points = Array.from({ length: count }, (_, index) => ({ index }));
        const shares = Array.from({ length: n }, (_, i) => shardPoints(points, { index: i + 1, count: n }).map((p) => p.index));
        expect(shares.flat().sort((a, b) => a - b)).toEqual(points.map((p) => p.index));
        for (const [i, share] of shares.entries()) for (const index of share) expect(index % n).toBe(i);
      }),
      // Fixed: the same inputs every run (a failure can be replayed).
      { seed: 15, numRuns: 200 },
    );
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', '-1/2']) {
      expect(refusal(() => parseShard(bad))).toBe(`--shard: got "${bad}"; allowed: i/N with integers 1 ≤ i ≤ N (the i-th of N shares of the points)`);
    }
  });
});
