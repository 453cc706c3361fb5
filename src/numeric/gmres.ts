/**
 * Restarted GMRES for A x = b with A given as a product (matrix-free): the
 * Newton–Krylov steps of grids too large for a dense Jacobian. Modified
 * Gram–Schmidt Arnoldi, Givens rotations for the small least-squares problem.
 */
export interface GmresResult {
  x: Float64Array;
  /** ‖b − A x‖₂ / ‖b‖₂ at the end. */
  relativeResidual: number;
  iterations: number;
}

export function gmres(
  apply: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  options: { tolerance?: number; restart?: number; maxIterations?: number; x0?: Float64Array } = {},
): GmresResult {
  const N = b.length;
  const tol = options.tolerance ?? 1e-12;
  const m = Math.min(options.restart ?? 200, N);
  const maxIt = options.maxIterations ?? 20 * m;
  const x = options.x0 ? options.x0.slice() : new Float64Array(N);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, y) => s + y * y, 0));
  const bNorm = norm(b) || 1;
  const V = Array.from({ length: m + 1 }, () => new Float64Array(N));
  const H = Array.from({ length: m + 1 }, () => new Float64Array(m));
  const cs = new Float64Array(m);
  const sn = new Float64Array(m);
  const g = new Float64Array(m + 1);
  const r = new Float64Array(N);
  let iterations = 0;
  let rel = Infinity;
  while (iterations < maxIt) {
    apply(x, r);
    for (let i = 0; i < N; i++) r[i] = b[i] - r[i];
    const beta = norm(r);
    rel = beta / bNorm;
    if (rel <= tol) break;
    for (let i = 0; i < N; i++) V[0][i] = r[i] / beta;
    g.fill(0);
    g[0] = beta;
    let j = 0;
    for (; j < m && iterations < maxIt; j++, iterations++) {
      const w = V[j + 1];
      apply(V[j], w);
      for (let i = 0; i <= j; i++) {
        let h = 0;
        for (let q = 0; q < N; q++) h += w[q] * V[i][q];
        H[i][j] = h;
        for (let q = 0; q < N; q++) w[q] -= h * V[i][q];
      }
      const hNext = norm(w);
      H[j + 1][j] = hNext;
      if (hNext > 0) for (let q = 0; q < N; q++) w[q] /= hNext;
      for (let i = 0; i < j; i++) {
        const t = cs[i] * H[i][j] + sn[i] * H[i + 1][j];
        H[i + 1][j] = -sn[i] * H[i][j] + cs[i] * H[i + 1][j];
        H[i][j] = t;
      }
      const d = Math.hypot(H[j][j], H[j + 1][j]);
      cs[j] = d === 0 ? 1 : H[j][j] / d;
      sn[j] = d === 0 ? 0 : H[j + 1][j] / d;
      H[j][j] = d;
      H[j + 1][j] = 0;
      g[j + 1] = -sn[j] * g[j];
      g[j] = cs[j] * g[j];
      rel = Math.abs(g[j + 1]) / bNorm;
      if (rel <= tol || hNext === 0) {
        j++;
        iterations++;
        break;
      }
    }
    // x += V y with H y = g (upper triangular, j×j).
    const y = new Float64Array(j);
    for (let i = j - 1; i >= 0; i--) {
      let s = g[i];
      for (let k = i + 1; k < j; k++) s -= H[i][k] * y[k];
      y[i] = s / H[i][i];
    }
    for (let i = 0; i < j; i++) for (let q = 0; q < N; q++) x[q] += y[i] * V[i][q];
    if (rel <= tol) break;
  }
  apply(x, r);
  let res = 0;
  for (let i = 0; i < N; i++) res += (b[i] - r[i]) ** 2;
  return { x, relativeResidual: Math.sqrt(res) / bNorm, iterations };
}
