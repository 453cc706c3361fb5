/**
 * LU factorisation with partial pivoting of a dense row-major N×N matrix, in
 * place, and the solve that uses it: for the Newton steps of small grids
 * (N = n² ≤ 1024), where typed arrays are several times faster than a generic
 * matrix class.
 */
export interface LuFactors {
  readonly N: number;
  /** L (unit lower, below the diagonal) and U (on and above it), row-major. */
  readonly lu: Float64Array;
  /** Row i of the factored matrix is row pivot[i] of the original. */
  readonly pivot: Int32Array;
  /** The smallest |U_ii|: 0 for a singular matrix. */
  readonly minPivot: number;
}

/** Factors `a` (overwritten) as P·a = L·U. */
export function luFactor(a: Float64Array, N: number): LuFactors {
  const pivot = new Int32Array(N);
  for (let i = 0; i < N; i++) pivot[i] = i;
  let minPivot = Infinity;
  for (let k = 0; k < N; k++) {
    let p = k;
    let best = Math.abs(a[k * N + k]);
    for (let i = k + 1; i < N; i++) {
      const v = Math.abs(a[i * N + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    minPivot = Math.min(minPivot, best);
    if (p !== k) {
      for (let j = 0; j < N; j++) {
        const t = a[k * N + j];
        a[k * N + j] = a[p * N + j];
        a[p * N + j] = t;
      }
      const t = pivot[k];
      pivot[k] = pivot[p];
      pivot[p] = t;
    }
    const d = a[k * N + k];
    if (d === 0) continue;
    for (let i = k + 1; i < N; i++) {
      const row = i * N;
      const m = (a[row + k] /= d);
      if (m === 0) continue;
      const top = k * N;
      for (let j = k + 1; j < N; j++) a[row + j] -= m * a[top + j];
    }
  }
  return { N, lu: a, pivot, minPivot };
}

/** x with A x = b from the factors of A. */
export function luSolve(f: LuFactors, b: ArrayLike<number>, x = new Float64Array(f.N)): Float64Array {
  const { N, lu, pivot } = f;
  for (let i = 0; i < N; i++) x[i] = b[pivot[i]];
  for (let i = 0; i < N; i++) {
    let s = x[i];
    for (let j = 0; j < i; j++) s -= lu[i * N + j] * x[j];
    x[i] = s;
  }
  for (let i = N - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < N; j++) s -= lu[i * N + j] * x[j];
    x[i] = s / lu[i * N + i];
  }
  return x;
}
