import { describe, expect, it } from 'vitest';
import { bicgstab } from '../../src/numeric/bicgstab.js';
import { antisymmetricNorm, frobenius, gemm, identity, invert, matmul, transpose } from '../../src/numeric/dense-matrix.js';

/** Deterministic pseudo-random entries in [−1, 1). */
function filled(N: number, seed: number): Float64Array {
  let x = seed;
  return Float64Array.from({ length: N * N }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 2 ** 31 - 1;
  });
}

function naive(A: Float64Array, B: Float64Array, N: number): Float64Array {
  const C = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) for (let k = 0; k < N; k++) C[i * N + j] += A[i * N + k] * B[k * N + j];
  return C;
}

describe('dense matrices', () => {
  it.each([1, 5, 7, 64, 130, 259])('the blocked product equals the naive one (N = %i), and its symmetric form', (N) => {
    const A = filled(N, 1);
    const B = filled(N, 2);
    const C = matmul(A, B, N, new Float64Array(N * N));
    const expected = naive(A, B, N);
    for (let i = 0; i < N * N; i++) expect(C[i]).toBeCloseTo(expected[i], 11);
    // A·Aᵀ is symmetric: only the upper blocks are computed, the rest mirrored.
    const S = matmul(A, transpose(A, N), N, new Float64Array(N * N), true);
    const full = naive(A, transpose(A, N), N);
    for (let i = 0; i < N * N; i++) expect(S[i]).toBeCloseTo(full[i], 11);
    expect(antisymmetricNorm(S, N)).toBe(0);
  });

  it.each([
    [5, 3, 7],
    [130, 260, 130],
    [7, 11, 7],
  ])('the rectangular product (%i×%i times %i columns), and the antisymmetric form', (m, k, n) => {
    let x = 7;
    const fill = (len: number) => Float64Array.from({ length: len }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x / 2 ** 31 - 1));
    const A = fill(m * k);
    const B = fill(k * n);
    const C = gemm(A, B, m, k, n, new Float64Array(m * n));
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += A[i * k + q] * B[q * n + j];
        expect(C[i * n + j]).toBeCloseTo(s, 11);
      }
    }
    if (m !== n) return;
    // [X | Y]·[Yᵀ; −Xᵀ] = X Yᵀ − Y Xᵀ is antisymmetric; [X | Y]·[Xᵀ; Yᵀ] symmetric.
    const half = k / 2;
    if (!Number.isInteger(half)) return;
    const X = A.filter((_, i) => i % k < half);
    const Y = A.filter((_, i) => i % k >= half);
    // Xᵀ and Yᵀ (half×m), by hand: transpose() takes square matrices.
    const t = (Z: Float64Array) => Float64Array.from({ length: half * m }, (_, i) => Z[(i % m) * half + Math.floor(i / m)]);
    const anti = gemm(A, Float64Array.from([...t(Y), ...t(X).map((v) => -v)]), m, k, m, new Float64Array(m * m), 'antisymmetric');
    const sym = gemm(A, Float64Array.from([...t(X), ...t(Y)]), m, k, m, new Float64Array(m * m), 'symmetric');
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        let a = 0;
        let s = 0;
        for (let q = 0; q < half; q++) {
          a += X[i * half + q] * Y[j * half + q] - Y[i * half + q] * X[j * half + q];
          s += X[i * half + q] * X[j * half + q] + Y[i * half + q] * Y[j * half + q];
        }
        expect(anti[i * m + j]).toBeCloseTo(a, 11);
        expect(sym[i * m + j]).toBeCloseTo(s, 11);
      }
    }
  });

  it('inverts with pivoting, and refuses a singular matrix', () => {
    const N = 50;
    const A = filled(N, 3);
    const inv = invert(A, N);
    const I = matmul(A, inv, N, new Float64Array(N * N));
    const E = identity(N);
    for (let i = 0; i < N * N; i++) E[i] -= I[i];
    expect(frobenius(E)).toBeLessThan(1e-10);
    expect(() => invert(new Float64Array(9), 3)).toThrow(/singular/);
  });

  it('BiCGSTAB solves a non-symmetric system given by its action', () => {
    const N = 40;
    const A = filled(N, 4).map((v) => 0.1 * v);
    for (let i = 0; i < N; i++) A[i * N + i] += 1;
    const x = Float64Array.from({ length: N }, (_, i) => Math.sin(i));
    const b = new Float64Array(N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) b[i] += A[i * N + j] * x[j];
    const solved = new Float64Array(N);
    const apply = (v: Float64Array, out: Float64Array) => {
      out.fill(0);
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) out[i] += A[i * N + j] * v[j];
    };
    const { residual } = bicgstab(apply, b, solved);
    expect(residual).toBeLessThan(1e-12);
    for (let i = 0; i < N; i++) expect(solved[i]).toBeCloseTo(x[i], 10);
  });
});
