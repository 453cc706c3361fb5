/**
 * An n×n map as the means of f×f blocks of cells (the last row and column of
 * blocks may be partial): ⌈n/f⌉² values. Non-finite cells are left out of
 * their block's mean; a block with none finite is NaN.
 */
export function blockMeans(data: ArrayLike<number>, n: number, f: number): { values: Float64Array; side: number } {
  if (!(Number.isInteger(f) && f >= 1)) throw new RangeError(`block size must be an integer ≥ 1 (got ${f})`);
  const side = Math.ceil(n / f);
  const sums = new Float64Array(side * side);
  const counts = new Uint32Array(side * side);
  for (let iy = 0; iy < n; iy++) {
    const row = Math.floor(iy / f) * side;
    for (let ix = 0; ix < n; ix++) {
      const v = data[iy * n + ix];
      if (!Number.isFinite(v)) continue;
      const b = row + Math.floor(ix / f);
      sums[b] += v;
      counts[b]++;
    }
  }
  const values = sums.map((s, b) => (counts[b] ? s / counts[b] : NaN));
  return { values, side };
}
