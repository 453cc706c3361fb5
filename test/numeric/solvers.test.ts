import { describe, expect, it } from 'vitest';
import { luFactor, luSolve } from '../../src/numeric/dense-lu.js';
import { gmres } from '../../src/numeric/gmres.js';

/** A fixed, well-conditioned nonsymmetric test matrix. */
function matrix(N: number): Float64Array {
  const a = new Float64Array(N * N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) a[i * N + j] = Math.sin(1 + 3 * i + 7 * j * j) / N + (i === j ? 2 : 0);
  return a;
}
const apply = (a: Float64Array, N: number) => (v: Float64Array, out: Float64Array) => {
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let j = 0; j < N; j++) s += a[i * N + j] * v[j];
    out[i] = s;
  }
};

describe('dense LU and GMRES', () => {
  const N = 60;
  const A = matrix(N);
  const b = Float64Array.from({ length: N }, (_, i) => Math.cos(i));

  it('LU with partial pivoting solves A x = b', () => {
    const x = luSolve(luFactor(A.slice(), N), b);
    const Ax = new Float64Array(N);
    apply(A, N)(x, Ax);
    for (let i = 0; i < N; i++) expect(Ax[i]).toBeCloseTo(b[i], 12);
    // A row swap is needed here: the first pivot is 0.
    const P = Float64Array.from([0, 1, 1, 1]);
    expect(Array.from(luSolve(luFactor(P, 2), [2, 3]))).toEqual([1, 2]);
  });

  it('GMRES agrees with LU, with and without restarts', () => {
    const x = luSolve(luFactor(A.slice(), N), b);
    for (const restart of [N, 7]) {
      const g = gmres(apply(A, N), b, { tolerance: 1e-13, restart });
      expect(g.relativeResidual).toBeLessThan(1e-12);
      for (let i = 0; i < N; i++) expect(g.x[i]).toBeCloseTo(x[i], 10);
    }
  });
});
