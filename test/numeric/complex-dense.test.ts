import { describe, expect, it } from 'vitest';
import { cinvert, cmul, cmulHermitian, csteinSolve, spectralRadius, type CMatrix } from '../../src/numeric/complex-dense.js';

/** Deterministic pseudo-random entries in [−1, 1). */
function filled(length: number, seed: number): Float64Array {
  let x = seed;
  return Float64Array.from({ length }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 31 - 1;
  });
}

const complex = (N: number, seed: number, scale = 1): CMatrix => ({ re: filled(N * N, seed).map((v) => scale * v), im: filled(N * N, seed + 100).map((v) => scale * v) });

/** A·B entry by entry, with A or B real when its im is null. */
function naive(A: CMatrix, B: CMatrix, N: number): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(N * N);
  const im = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      for (let k = 0; k < N; k++) {
        const ar = A.re[i * N + k];
        const ai = A.im ? A.im[i * N + k] : 0;
        const br = B.re[k * N + j];
        const bi = B.im ? B.im[k * N + j] : 0;
        re[i * N + j] += ar * br - ai * bi;
        im[i * N + j] += ar * bi + ai * br;
      }
    }
  }
  return { re, im };
}

const adjoint = (A: CMatrix, N: number): CMatrix => ({
  re: Float64Array.from({ length: N * N }, (_, i) => A.re[(i % N) * N + Math.floor(i / N)]),
  im: Float64Array.from({ length: N * N }, (_, i) => (A.im ? -A.im[(i % N) * N + Math.floor(i / N)] : 0)),
});

function expectClose(got: CMatrix, want: { re: Float64Array; im: Float64Array }, digits = 11): void {
  for (let i = 0; i < want.re.length; i++) {
    expect(got.re[i]).toBeCloseTo(want.re[i], digits);
    expect(got.im ? got.im[i] : 0).toBeCloseTo(want.im[i], digits);
  }
}

describe('complex dense matrices (split parts, the real path when im is null)', () => {
  it.each([5, 37, 130])('the product by Gauss’s three real products, with real and complex factors (N = %i)', (N) => {
    const A = complex(N, 1);
    const B = complex(N, 2);
    expectClose(cmul(A, B, N), naive(A, B, N));
    const R = { re: filled(N * N, 3), im: null };
    expectClose(cmul(A, R, N), naive(A, R, N));
    expectClose(cmul(R, B, N), naive(R, B, N));
    expect(cmul(R, R, N).im).toBeNull();
  });

  it.each([6, 37, 130])('a Hermitian product T·Pᴴ from its upper triangles (N = %i)', (N) => {
    // T = P·H with H Hermitian makes T·Pᴴ = P H Pᴴ Hermitian.
    const P = complex(N, 4);
    const G = complex(N, 5);
    const H = cmul(G, adjoint(G, N), N);
    const T = cmul(P, H, N);
    const got = cmulHermitian(T, P, N);
    expectClose(got, naive(T, adjoint(P, N), N), 9);
    for (let i = 0; i < N; i++) expect(got.im![i * N + i]).toBe(0);
    // A complex T against a real P, and both real.
    const R = { re: filled(N * N, 6), im: null };
    const S = { re: filled(N * N, 7), im: null };
    const sym = cmul(S, { re: Float64Array.from({ length: N * N }, (_, i) => S.re[(i % N) * N + Math.floor(i / N)]), im: null }, N);
    const TR = cmul(R, sym, N);
    expectClose(cmulHermitian(TR, R, N), naive(TR, adjoint(R, N), N), 9);
    expect(cmulHermitian(TR, R, N).im).toBeNull();
  });

  it('inverts complex and real matrices with pivoting, and refuses a singular one', () => {
    const N = 40;
    for (const A of [complex(N, 8), { re: filled(N * N, 9), im: null }]) {
      const I = naive(A, cinvert(A, N), N);
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          expect(I.re[i * N + j]).toBeCloseTo(i === j ? 1 : 0, 10);
          expect(I.im[i * N + j]).toBeCloseTo(0, 10);
        }
      }
    }
    // A zero first column needs a row interchange; an all-zero matrix is singular.
    const swap = { re: Float64Array.from([0, 1, 1, 0]), im: Float64Array.from([0, 2, 0, 0]) };
    const inv = cinvert(swap, 2);
    expectClose(naive(swap, inv, 2) as CMatrix, { re: Float64Array.from([1, 0, 0, 1]), im: new Float64Array(4) });
    expect(() => cinvert({ re: new Float64Array(4), im: new Float64Array(4) }, 2)).toThrow(/singular/);
  });

  it('Smith’s doubling solves C = M C Mᴴ + Q for a complex M, and its spectral radius', () => {
    const N = 12;
    // An upper triangular M: its eigenvalues are its diagonal, the largest of modulus 0.9 (then 1.1).
    const triangular = (top: number): CMatrix => {
      const T = complex(N, 10, 0.1);
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < i; j++) T.re[i * N + j] = T.im![i * N + j] = 0;
        const mu = i === 3 ? top : 0.5 * top * (i / N);
        T.re[i * N + i] = mu * Math.cos(i);
        T.im![i * N + i] = mu * Math.sin(i);
      }
      return T;
    };
    const M = triangular(0.9);
    const Q = { re: new Float64Array(N * N), im: null };
    for (let i = 0; i < N; i++) Q.re[i * N + i] = 1 + i / N;
    const { C, spectralRadius: rho } = csteinSolve(M, Q, N);
    expect(C).not.toBeNull();
    // C − M C Mᴴ − Q = 0.
    const MCMh = naive(naive(M, C!, N) as CMatrix, adjoint(M, N), N);
    for (let i = 0; i < N * N; i++) {
      expect(C!.re[i] - MCMh.re[i] - Q.re[i]).toBeCloseTo(0, 12);
      expect(C!.im![i] - MCMh.im[i]).toBeCloseTo(0, 12);
    }
    expect(rho).toBeCloseTo(0.9, 2);
    expect(spectralRadius(M, N)).toBeCloseTo(0.9, 3);
    // Past the unit circle: no stationary solution.
    const unstable = triangular(1.1);
    expect(csteinSolve(unstable, Q, N).C).toBeNull();
    expect(spectralRadius(unstable, N)).toBeCloseTo(1.1, 3);
  });
});
