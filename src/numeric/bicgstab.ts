/**
 * BiCGSTAB (van der Vorst 1992) for A x = b with A given by its action: a
 * short-recurrence Krylov solver for non-symmetric systems. Used for the fixed
 * point of a field with maps, where A = I − K·diag(slope) is a convolution and
 * a diagonal, never formed.
 */
export function bicgstab(
  apply: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  x: Float64Array,
  { tolerance = 1e-13, maxIterations = 2000 } = {},
): { iterations: number; residual: number } {
  const N = b.length;
  const r = new Float64Array(N);
  const rHat = new Float64Array(N);
  const p = new Float64Array(N);
  const v = new Float64Array(N);
  const s = new Float64Array(N);
  const t = new Float64Array(N);
  const dot = (a: Float64Array, c: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < N; i++) sum += a[i] * c[i];
    return sum;
  };
  apply(x, r);
  for (let i = 0; i < N; i++) r[i] = b[i] - r[i];
  rHat.set(r);
  const bNorm = Math.sqrt(dot(b, b)) || 1;
  let residual = Math.sqrt(dot(r, r)) / bNorm;
  let rho = 1;
  let alpha = 1;
  let omega = 1;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (residual <= tolerance) return { iterations: iteration, residual };
    const rhoNext = dot(rHat, r);
    if (rhoNext === 0) break;
    const beta = (rhoNext / rho) * (alpha / omega);
    for (let i = 0; i < N; i++) p[i] = r[i] + beta * (p[i] - omega * v[i]);
    apply(p, v);
    alpha = rhoNext / dot(rHat, v);
    for (let i = 0; i < N; i++) s[i] = r[i] - alpha * v[i];
    if (Math.sqrt(dot(s, s)) / bNorm <= tolerance) {
      for (let i = 0; i < N; i++) x[i] += alpha * p[i];
      return { iterations: iteration + 1, residual: Math.sqrt(dot(s, s)) / bNorm };
    }
    apply(s, t);
    const tt = dot(t, t);
    omega = tt > 0 ? dot(t, s) / tt : 0;
    for (let i = 0; i < N; i++) {
      x[i] += alpha * p[i] + omega * s[i];
      r[i] = s[i] - omega * t[i];
    }
    residual = Math.sqrt(dot(r, r)) / bNorm;
    rho = rhoNext;
    if (omega === 0) break;
  }
  return { iterations: maxIterations, residual };
}
