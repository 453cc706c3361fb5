import { describe, expect, it } from 'vitest';
import {
  fillNormalPairs, fillNormals, normalFromWords, philox4x32, philoxKey, STEP_LIMIT, stepWords, STREAM_INITIAL, STREAM_NOISE, streamWord,
} from '../../src/rng/philox.js';

const hex = (w: Uint32Array) => Array.from(w, (x) => x.toString(16).padStart(8, '0')).join(' ');

describe('Philox4x32-10', () => {
  // Known-answer vectors of Random123 (docs/model.md §3).
  it.each([
    [[0, 0, 0, 0], [0, 0], '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
    [[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], '408f276d 41c83b0e a20bc7c6 6d5451fd'],
    [[0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], 'd16cfe09 94fdcceb 5001e420 24126ea1'],
  ])('counter %j key %j gives the Random123 answer', (c, k, expected) => {
    const out = new Uint32Array(4);
    philox4x32(c[0], c[1], c[2], c[3], k[0], k[1], out);
    expect(hex(out)).toBe(expected);
  });

  it('splits a seed into (low, high) 32-bit key words', () => {
    expect(philoxKey(0)).toEqual([0, 0]);
    expect(philoxKey(2 ** 32 + 5)).toEqual([5, 1]);
    expect(philoxKey(Number.MAX_SAFE_INTEGER)).toEqual([0xffffffff, 0x1fffff]);
  });

  it('maps the extreme words strictly inside (0, 1) and onto a finite normal', () => {
    for (const [a, b] of [[0, 0], [0xffffffff, 0xffffffff], [0, 0xffffffff]]) {
      expect(Number.isFinite(normalFromWords(a, b))).toBe(true);
    }
    // u0 = 0.5·2⁻²⁴ at x0 = 0, u1 = ½ at x1 = 2³¹: ξ = √(−2 ln u0)·cos(0).
    expect(normalFromWords(0, 0x80000000)).toBeCloseTo(Math.sqrt(-2 * Math.log(0.5 / 2 ** 24)), 12);
  });

  it('draws standard normals: mean 0, variance 1, kurtosis 3 within 4 standard errors', () => {
    const N = 200_000;
    const x = new Float64Array(N);
    fillNormals(x, 7, 3, 0, philoxKey(12345));
    let m1 = 0, m2 = 0, m4 = 0;
    for (const v of x) {
      m1 += v;
      m2 += v * v;
      m4 += v ** 4;
    }
    m1 /= N; m2 /= N; m4 /= N;
    expect(Math.abs(m1)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(m2 - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(m4 - 3)).toBeLessThan(4 * Math.sqrt(96 / N));
  });
});

/**
 * The step counter beyond 2³² (docs/model.md §3): the contract's counter
 * (i, n, r, stream) for n < 2³², and ⌊n/2³²⌋ folded into c3 above the stream.
 * "Before" draws are computed straight from philox4x32 with the contract's
 * counter, independent of fillNormals' word split.
 */
describe('Philox step counter', () => {
  const key = philoxKey(2 ** 40 + 12345);
  const cells = 64;
  const contract = (step: number, replica: number, stream: number) => {
    const w = new Uint32Array(4);
    return Float64Array.from({ length: cells }, (_, i) => {
      philox4x32(i, step, replica, stream, key[0], key[1], w);
      return normalFromWords(w[0], w[1]);
    });
  };
  const draws = (step: number, replica: number, stream: number) => {
    const out = new Float64Array(cells);
    fillNormals(out, step, replica, stream, key);
    return out;
  };

  it.each([0, 1, 7, 123_456_789, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1])('draws at n = %i < 2³² are the contract\'s, bit for bit', (n) => {
    for (const [replica, stream] of [[0, STREAM_NOISE], [3, STREAM_NOISE], [0, STREAM_INITIAL], [5, STREAM_INITIAL]]) {
      expect(draws(n, replica, stream)).toEqual(contract(n, replica, stream));
    }
  });

  it('the pair draws at n < 2³² are the contract\'s words x0, x1 and x2, x3', () => {
    const [first, second] = [new Float64Array(cells), new Float64Array(cells)];
    fillNormalPairs(first, second, 2 ** 32 - 1, 2, STREAM_NOISE, key);
    const w = new Uint32Array(4);
    for (let i = 0; i < cells; i++) {
      philox4x32(i, 2 ** 32 - 1, 2, STREAM_NOISE, key[0], key[1], w);
      expect([first[i], second[i]]).toEqual([normalFromWords(w[0], w[1]), normalFromWords(w[2], w[3])]);
    }
  });

  it.each([0, 1, 2 ** 31, 2 ** 32 - 1])('n = 2³²·m + %i repeats none of the draws of n = k, nor those of another stream', (k) => {
    for (const m of [1, 2, 2 ** 20]) {
      const late = draws(2 ** 32 * m + k, 1, STREAM_NOISE);
      for (const early of [draws(k, 1, STREAM_NOISE), draws(k, 1, STREAM_INITIAL), draws(2 ** 32 * (m + 1) + k, 1, STREAM_NOISE)]) {
        // Every cell differs: a shared counter would repeat them all.
        for (let i = 0; i < cells; i++) expect(late[i]).not.toBe(early[i]);
      }
    }
  });

  it('n ≥ 2³² uses the counter (i, n mod 2³², r, stream + 2⁸·⌊n/2³²⌋)', () => {
    const n = 5 * 2 ** 32 + 17;
    expect(stepWords(n)).toEqual([17, 5]);
    expect(streamWord(STREAM_INITIAL, 5)).toBe(1 + 5 * 256);
    const w = new Uint32Array(4);
    philox4x32(3, 17, 2, 1 + 5 * 256, key[0], key[1], w);
    expect(draws(n, 2, STREAM_INITIAL)[3]).toBe(normalFromWords(w[0], w[1]));
    // The largest index: ⌊n/2³²⌋ = 2²¹ − 1 still fits above the stream's 8 bits.
    expect(stepWords(STEP_LIMIT - 1)).toEqual([2 ** 32 - 1, 2 ** 21 - 1]);
    expect(streamWord(STREAM_INITIAL, 2 ** 21 - 1)).toBe(((2 ** 21 - 1) * 256 + 1) >>> 0);
  });

  it.each([STEP_LIMIT, 2 ** 60, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses the step index %s by name and range', (n) => {
    expect(() => stepWords(n)).toThrow(`step index ${n} is outside the Philox counter's range: it must be an integer in [0, 2⁵³)`);
    expect(() => fillNormals(new Float64Array(1), n, 0, STREAM_NOISE, key)).toThrow(/integer in \[0, 2⁵³\)/);
  });
});
