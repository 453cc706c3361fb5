/** Numbers for people: six significant digits, no trailing zeros. */
export function num(x: number | null | undefined, digits = 6): string {
  if (x === null || x === undefined) return 'n/a';
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e7)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

/** A duration for people: `0.42 s`, `12.3 s`, `2 min 41 s`. */
export function seconds(s: number): string {
  if (s >= 120) return `${Math.floor(Math.round(s) / 60)} min ${Math.round(s) % 60} s`;
  return `${Number(s.toPrecision(s < 10 ? 2 : 3))} s`;
}

/** JSON that keeps typed arrays out and non-finite numbers readable. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) => (ArrayBuffer.isView(v) ? undefined : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    2,
  );
}
