/** A number for a report's table: six significant digits, or '—' when there is none. */
export function num(v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return '—';
  return Number(v.toPrecision(6)).toString();
}

/** estimate ± stderr, with six significant digits each. */
export function plusMinus(estimate: unknown, stderr: unknown): string {
  return `${num(estimate)} ± ${num(stderr)}`;
}
