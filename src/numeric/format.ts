/** Six significant digits, no trailing zeros: numbers inside refusal messages. */
export function sig6(x: number): string {
  return Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x);
}
