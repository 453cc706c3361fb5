/**
 * Dense square matrices as row-major Float64Arrays (entry (i, j) at i·N + j),
 * with the few operations the dense theory needs at N = n² up to 1024: a
 * blocked product, inversion, traces of products and norms. The product packs
 * a panel of B and runs a 3×4 register-blocked kernel; in V8 that is several
 * times ml-matrix's speed (about 0.4 s for N = 1024 on one core).
 */

/** Columns and depth of the packed panel of B. */
const JB = 128;
const KB = 128;

/** Which part of a square product to compute: all of it, or the upper triangle and mirror it (symmetric or antisymmetric). */
export type ProductSymmetry = 'none' | 'symmetric' | 'antisymmetric';

/**
 * out = A·B for N×N matrices (out must be distinct from A and B). With
 * `symmetric`, the caller promises that A·B is symmetric: only the blocks on
 * and above the diagonal are computed and the rest is mirrored.
 */
export function matmul(A: Float64Array, B: Float64Array, N: number, out: Float64Array, symmetric = false): Float64Array {
  return gemm(A, B, N, N, N, out, symmetric ? 'symmetric' : 'none');
}

/**
 * out = A·B for A of m×k and B of k×n, row-major (out, m×n, distinct from A and
 * B). With `symmetry` other than 'none' (m = n), the caller promises that A·B is
 * symmetric or antisymmetric: only the 3×4 tiles that reach the diagonal or
 * above are computed and the rest is mirrored (with a sign, and a zero
 * diagonal, for 'antisymmetric'), about half the work. The complex products of
 * src/numeric/complex-dense.ts stack real and imaginary parts into A (m×2m)
 * and B (2m×m) to get the real and imaginary parts of a Hermitian product this way.
 */
export function gemm(
  A: Float64Array,
  B: Float64Array,
  m: number,
  k: number,
  n: number,
  out: Float64Array,
  symmetry: ProductSymmetry = 'none',
): Float64Array {
  if (out === A || out === B) throw new Error('gemm: out must be distinct from the factors');
  const half = symmetry !== 'none';
  if (half && m !== n) throw new Error('gemm: a symmetric or antisymmetric product must be square');
  out.fill(0);
  const panel = new Float64Array(KB * JB);
  for (let kk = 0; kk < k; kk += KB) {
    const kLen = Math.min(KB, k - kk);
    for (let jj = 0; jj < n; jj += JB) {
      const jLen = Math.min(JB, n - jj);
      const j4 = jLen & ~3;
      // Pack B[kk.., jj..] as strips of 4 columns: panel[(j/4)·kLen·4 + k·4 + t].
      for (let j = 0; j < j4; j += 4) {
        const base = (j >> 2) * kLen * 4;
        for (let q = 0; q < kLen; q++) {
          const src = (kk + q) * n + jj + j;
          const dst = base + q * 4;
          panel[dst] = B[src];
          panel[dst + 1] = B[src + 1];
          panel[dst + 2] = B[src + 2];
          panel[dst + 3] = B[src + 3];
        }
      }
      // Rows below the panel's last column lie under the diagonal: skipped when half.
      const rows = half ? Math.min(m, jj + jLen) : m;
      let i = 0;
      for (; i + 3 <= rows; i += 3) {
        const a0 = i * k + kk;
        const a1 = a0 + k;
        const a2 = a1 + k;
        // A strip of columns that ends left of row i is under the diagonal for all three rows.
        const jStart = half ? Math.max(0, i - jj) & ~3 : 0;
        for (let j = jStart; j < j4; j += 4) {
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
          let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
          let p = (j >> 2) * kLen * 4;
          for (let q = 0; q < kLen; q++, p += 4) {
            const b0 = panel[p], b1 = panel[p + 1], b2 = panel[p + 2], b3 = panel[p + 3];
            const x0 = A[a0 + q];
            c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
            const x1 = A[a1 + q];
            c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
            const x2 = A[a2 + q];
            c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
          }
          const o = i * n + jj + j;
          out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03;
          out[o + n] += c10; out[o + n + 1] += c11; out[o + n + 2] += c12; out[o + n + 3] += c13;
          out[o + 2 * n] += c20; out[o + 2 * n + 1] += c21; out[o + 2 * n + 2] += c22; out[o + 2 * n + 3] += c23;
        }
      }
      // Leftover rows and columns, plainly (on and above the diagonal when half).
      for (let r = 0; r < rows; r++) {
        let jFrom = r < i ? j4 : 0;
        if (half) jFrom = Math.max(jFrom, r - jj);
        for (let j = jFrom; j < jLen; j++) {
          let s = 0;
          for (let q = 0; q < kLen; q++) s += A[r * k + kk + q] * B[(kk + q) * n + jj + j];
          out[r * n + jj + j] += s;
        }
      }
    }
  }
  if (symmetry === 'symmetric') for (let r = 1; r < n; r++) for (let c = 0; c < r; c++) out[r * n + c] = out[c * n + r];
  if (symmetry === 'antisymmetric') {
    for (let r = 0; r < n; r++) {
      out[r * n + r] = 0;
      for (let c = 0; c < r; c++) out[r * n + c] = -out[c * n + r];
    }
  }
  return out;
}

export function transpose(A: Float64Array, N: number, out = new Float64Array(N * N)): Float64Array {
  if (out === A) throw new Error('transpose: out must be distinct from A');
  const T = 32;
  for (let ii = 0; ii < N; ii += T) {
    for (let jj = 0; jj < N; jj += T) {
      const iEnd = Math.min(ii + T, N);
      const jEnd = Math.min(jj + T, N);
      for (let i = ii; i < iEnd; i++) for (let j = jj; j < jEnd; j++) out[j * N + i] = A[i * N + j];
    }
  }
  return out;
}

export function identity(N: number): Float64Array {
  const I = new Float64Array(N * N);
  for (let i = 0; i < N; i++) I[i * N + i] = 1;
  return I;
}

export function trace(A: Float64Array, N: number): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += A[i * N + i];
  return s;
}

export function frobenius(A: Float64Array): number {
  let s = 0;
  for (let i = 0; i < A.length; i++) s += A[i] * A[i];
  return Math.sqrt(s);
}

/** ‖X − Xᵀ‖_F. */
export function antisymmetricNorm(X: Float64Array, N: number): number {
  let s = 0;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) s += 2 * (X[i * N + j] - X[j * N + i]) ** 2;
  return Math.sqrt(s);
}

/** A⁻¹ by Gauss–Jordan elimination with partial pivoting; throws for a singular matrix. */
export function invert(A: Float64Array, N: number): Float64Array {
  const a = A.slice();
  const inv = identity(N);
  for (let col = 0; col < N; col++) {
    let pivot = col;
    for (let r = col + 1; r < N; r++) if (Math.abs(a[r * N + col]) > Math.abs(a[pivot * N + col])) pivot = r;
    const p = a[pivot * N + col];
    if (p === 0 || !Number.isFinite(p)) throw new Error('invert: the matrix is singular');
    if (pivot !== col) {
      for (let j = 0; j < N; j++) {
        [a[col * N + j], a[pivot * N + j]] = [a[pivot * N + j], a[col * N + j]];
        [inv[col * N + j], inv[pivot * N + j]] = [inv[pivot * N + j], inv[col * N + j]];
      }
    }
    const scale = 1 / p;
    const rowA = col * N;
    for (let j = 0; j < N; j++) {
      a[rowA + j] *= scale;
      inv[rowA + j] *= scale;
    }
    for (let r = 0; r < N; r++) {
      if (r === col) continue;
      const f = a[r * N + col];
      if (f === 0) continue;
      const row = r * N;
      // Columns left of col are already zero in this row of a.
      for (let j = col; j < N; j++) a[row + j] -= f * a[rowA + j];
      for (let j = 0; j < N; j++) inv[row + j] -= f * inv[rowA + j];
    }
  }
  return inv;
}
