import { frobenius, gemm, transpose } from './dense-matrix.js';

/**
 * Dense complex N×N matrices as split real and imaginary parts (row-major
 * Float64Arrays, entry (i, j) at i·N + j), with `im` null for a real matrix:
 * every operation then takes the real path, which costs a third or a quarter
 * of the complex one. Products are built on the blocked real product of
 * src/numeric/dense-matrix.ts:
 *
 *   general   (Ar + iAi)(Br + iBi) by Gauss's three real products:
 *             T1 = Ar Br, T2 = Ai Bi, T3 = (Ar + Ai)(Br + Bi); re = T1 − T2, im = T3 − T1 − T2
 *   Hermitian T Pᴴ, known Hermitian, as two half products of depth 2N:
 *             re = [Tr | Ti]·[Prᵀ; Piᵀ] (symmetric), im = [Ti | −Tr]·[Prᵀ; Piᵀ] (antisymmetric)
 *
 * The Fourier-block theory of one-axis maps (src/theory/fourier-blocks.ts) solves
 * its Stein equations C = M C Mᴴ + Q with these by Smith's doubling.
 */
export interface CMatrix {
  re: Float64Array;
  /** null: a real matrix. */
  im: Float64Array | null;
}

/**
 * Scratch arrays for the temporaries of one product (never returned): reused
 * between calls, so that the doubling's hundreds of products at 256×256 do not
 * each allocate and collect megabytes.
 */
const scratch: Float64Array<ArrayBuffer>[] = [];
function temp(slot: number, length: number): Float64Array<ArrayBuffer> {
  if (!scratch[slot] || scratch[slot].length !== length) scratch[slot] = new Float64Array(length);
  return scratch[slot];
}

export function isReal(A: CMatrix): boolean {
  return A.im === null;
}

/** ‖A‖_F. */
export function cfrobenius(A: CMatrix): number {
  const r = frobenius(A.re);
  return A.im ? Math.hypot(r, frobenius(A.im)) : r;
}

/** A·B. */
export function cmul(A: CMatrix, B: CMatrix, N: number): CMatrix {
  const size = N * N;
  if (!A.im && !B.im) return { re: gemm(A.re, B.re, N, N, N, new Float64Array(size)), im: null };
  if (!B.im) return { re: gemm(A.re, B.re, N, N, N, new Float64Array(size)), im: gemm(A.im!, B.re, N, N, N, new Float64Array(size)) };
  if (!A.im) return { re: gemm(A.re, B.re, N, N, N, new Float64Array(size)), im: gemm(A.re, B.im, N, N, N, new Float64Array(size)) };
  const t1 = gemm(A.re, B.re, N, N, N, new Float64Array(size));
  const t2 = gemm(A.im, B.im, N, N, N, temp(0, size));
  const sa = temp(1, size);
  const sb = temp(2, size);
  for (let i = 0; i < size; i++) {
    sa[i] = A.re[i] + A.im[i];
    sb[i] = B.re[i] + B.im[i];
  }
  const im = gemm(sa, sb, N, N, N, new Float64Array(size));
  for (let i = 0; i < size; i++) {
    im[i] -= t1[i] + t2[i];
    t1[i] -= t2[i];
  }
  return { re: t1, im };
}

/**
 * T·Pᴴ for a product the caller knows to be Hermitian (symmetric when real):
 * only the upper triangles are computed.
 */
export function cmulHermitian(T: CMatrix, P: CMatrix, N: number): CMatrix {
  const size = N * N;
  if (!T.im && !P.im) return { re: gemm(T.re, transpose(P.re, N, temp(3, size)), N, N, N, new Float64Array(size), 'symmetric'), im: null };
  if (!P.im) {
    const Pt = transpose(P.re, N, temp(3, size));
    return { re: gemm(T.re, Pt, N, N, N, new Float64Array(size), 'symmetric'), im: gemm(T.im!, Pt, N, N, N, new Float64Array(size), 'antisymmetric') };
  }
  const Tr = T.re;
  const Ti = T.im;
  // [Prᵀ; Piᵀ]: 2N×N.
  const stackB = temp(4, 2 * size);
  transpose(P.re, N, stackB.subarray(0, size));
  transpose(P.im, N, stackB.subarray(size));
  // [Tr | Ti] and [Ti | −Tr]: N×2N.
  const left = temp(5, 2 * size);
  for (let r = 0; r < N; r++) {
    const o = 2 * N * r;
    for (let c = 0; c < N; c++) {
      left[o + c] = Tr[r * N + c];
      left[o + N + c] = Ti ? Ti[r * N + c] : 0;
    }
  }
  const re = gemm(left, stackB, N, 2 * N, N, new Float64Array(size), 'symmetric');
  for (let r = 0; r < N; r++) {
    const o = 2 * N * r;
    for (let c = 0; c < N; c++) {
      left[o + c] = Ti ? Ti[r * N + c] : 0;
      left[o + N + c] = -Tr[r * N + c];
    }
  }
  const im = gemm(left, stackB, N, 2 * N, N, new Float64Array(size), 'antisymmetric');
  return { re, im };
}

/** A⁻¹ by Gauss–Jordan elimination in place with partial pivoting; throws for a singular matrix. */
export function cinvert(A: CMatrix, N: number): CMatrix {
  const re = A.re.slice();
  const im = A.im ? A.im.slice() : null;
  const swaps = new Int32Array(N);
  for (let col = 0; col < N; col++) {
    let pivot = col;
    let best = -1;
    for (let r = col; r < N; r++) {
      const m = im ? Math.hypot(re[r * N + col], im[r * N + col]) : Math.abs(re[r * N + col]);
      if (m > best) {
        best = m;
        pivot = r;
      }
    }
    if (!(best > 0) || !Number.isFinite(best)) throw new Error('cinvert: the matrix is singular');
    swaps[col] = pivot;
    if (pivot !== col) {
      for (let j = 0; j < N; j++) {
        const a = col * N + j;
        const b = pivot * N + j;
        let t = re[a]; re[a] = re[b]; re[b] = t;
        if (im) { t = im[a]; im[a] = im[b]; im[b] = t; }
      }
    }
    const rowK = col * N;
    // Row k ← row k / pivot, with its pivot entry replaced by 1 (the inverse's column builds in place).
    if (im) {
      const pr = re[rowK + col];
      const pi = im[rowK + col];
      const d = pr * pr + pi * pi;
      const ir = pr / d;
      const ii = -pi / d;
      re[rowK + col] = 1;
      im[rowK + col] = 0;
      for (let j = 0; j < N; j++) {
        const xr = re[rowK + j];
        const xi = im[rowK + j];
        re[rowK + j] = xr * ir - xi * ii;
        im[rowK + j] = xr * ii + xi * ir;
      }
      for (let r = 0; r < N; r++) {
        if (r === col) continue;
        const row = r * N;
        const fr = re[row + col];
        const fi = im[row + col];
        if (fr === 0 && fi === 0) continue;
        re[row + col] = 0;
        im[row + col] = 0;
        for (let j = 0; j < N; j++) {
          const kr = re[rowK + j];
          const ki = im[rowK + j];
          re[row + j] -= fr * kr - fi * ki;
          im[row + j] -= fr * ki + fi * kr;
        }
      }
    } else {
      const inv = 1 / re[rowK + col];
      re[rowK + col] = 1;
      for (let j = 0; j < N; j++) re[rowK + j] *= inv;
      for (let r = 0; r < N; r++) {
        if (r === col) continue;
        const row = r * N;
        const f = re[row + col];
        if (f === 0) continue;
        re[row + col] = 0;
        for (let j = 0; j < N; j++) re[row + j] -= f * re[rowK + j];
      }
    }
  }
  // Undo the row interchanges as column interchanges, last first.
  for (let col = N - 1; col >= 0; col--) {
    const p = swaps[col];
    if (p === col) continue;
    for (let r = 0; r < N; r++) {
      const a = r * N + col;
      const b = r * N + p;
      let t = re[a]; re[a] = re[b]; re[b] = t;
      if (im) { t = im[a]; im[a] = im[b]; im[b] = t; }
    }
  }
  return { re, im };
}

/**
 * Solves C = M C Mᴴ + Q (Q Hermitian, here real symmetric) by Smith's doubling,
 * C ← C + P C Pᴴ, P ← P², as src/theory/dense.ts's steinSolve does for real
 * matrices: it stops once ‖P‖_F⁴ < 1e-16, returns null when the powers of M do not
 * vanish (spectral radius ≥ 1), and estimates the spectral radius from two
 * consecutive powers, ‖M^(2^(k+1))‖/‖M^(2^k)‖ ≈ ρ^(2^k). `doublings` counts the
 * squarings of P. With `hermitian` the caller promises that M is Hermitian
 * (symmetric when real): so are its powers, and P² = P Pᴴ takes the half product.
 */
export function csteinSolve(M: CMatrix, Q: CMatrix, N: number, hermitian = false): { C: CMatrix | null; spectralRadius: number; doublings: number } {
  let C = Q;
  let P = M;
  let norm = cfrobenius(P);
  let radius = NaN;
  for (let k = 0; k < 60; k++) {
    if (!(norm < 1e150)) return { C: null, spectralRadius: Number.isFinite(radius) ? Math.max(radius, 1) : Infinity, doublings: k };
    const update = cmulHermitian(cmul(P, C, N), P, N);
    C = cadd(C, update);
    if (norm ** 4 < 1e-16) return { C, spectralRadius: Number.isFinite(radius) ? radius : norm ** (1 / 2 ** k), doublings: k };
    P = hermitian ? cmulHermitian(P, P, N) : cmul(P, P, N);
    const squared = cfrobenius(P);
    if (norm > 0 && squared > 0 && Number.isFinite(norm) && Number.isFinite(squared)) radius = Math.pow(squared / norm, 1 / 2 ** k);
    norm = squared;
  }
  return { C: null, spectralRadius: Number.isFinite(radius) ? radius : 1, doublings: 60 };
}

/**
 * Squares P until a power has Frobenius norm below 1, which proves its spectral
 * radius below 1, or until the powers blow up (src/theory/dense.ts's test for real
 * matrices). `hermitian` as for csteinSolve.
 */
export function cpowersVanish(P: CMatrix, N: number, hermitian = false): { stable: boolean; spectralRadius: number } {
  let norm = cfrobenius(P);
  let radius = NaN;
  for (let k = 0; k < 60; k++) {
    if (norm < 1) return { stable: true, spectralRadius: Number.isFinite(radius) ? Math.min(radius, 1) : norm ** (1 / 2 ** k) };
    if (!(norm < 1e150)) return { stable: false, spectralRadius: Number.isFinite(radius) ? Math.max(radius, 1) : Infinity };
    P = hermitian ? cmulHermitian(P, P, N) : cmul(P, P, N);
    const squared = cfrobenius(P);
    if (norm > 0 && squared > 0 && Number.isFinite(squared)) radius = Math.pow(squared / norm, 1 / 2 ** k);
    norm = squared;
  }
  return { stable: false, spectralRadius: Number.isFinite(radius) ? radius : 1 };
}

/**
 * The spectral radius of M to about 3 digits, as src/theory/dense.ts's steinSolve
 * estimates it: squares P = M^(2^k) until ‖P‖_F < 1e-4 or > 1e150, and takes
 * (‖P_{k+1}‖/‖P_k‖)^(1/2^k) ≈ ρ from the last two powers.
 */
export function spectralRadius(M: CMatrix, N: number, hermitian = false): number {
  let P = M;
  let norm = cfrobenius(P);
  let radius = NaN;
  for (let k = 0; k < 60; k++) {
    if (!(norm < 1e150)) return Number.isFinite(radius) ? Math.max(radius, 1) : Infinity;
    if (norm < 1e-4) return Number.isFinite(radius) ? radius : norm ** (1 / 2 ** k);
    P = hermitian ? cmulHermitian(P, P, N) : cmul(P, P, N);
    const squared = cfrobenius(P);
    if (norm > 0 && squared > 0 && Number.isFinite(norm) && Number.isFinite(squared)) radius = Math.pow(squared / norm, 1 / 2 ** k);
    norm = squared;
  }
  return Number.isFinite(radius) ? radius : 1;
}

/** A + B (a new matrix). */
export function cadd(A: CMatrix, B: CMatrix): CMatrix {
  const re = A.re.slice();
  for (let i = 0; i < re.length; i++) re[i] += B.re[i];
  let im: Float64Array | null = null;
  if (A.im || B.im) {
    im = A.im ? A.im.slice() : new Float64Array(re.length);
    if (B.im) for (let i = 0; i < im.length; i++) im[i] += B.im[i];
  }
  return { re, im };
}
