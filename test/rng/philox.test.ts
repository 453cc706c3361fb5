import { describe, expect, it } from 'vitest';
import { fillNormals, normalFromWords, philox4x32, philoxKey } from '../../src/rng/philox.js';

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
