/**
 * The smallest and largest value, by a loop: spreading the values into
 * Math.min passes every value as an argument and overflows the call stack on a field of a few
 * hundred thousand cells (test/no-spreads.test.ts keeps such spreads out).
 */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
