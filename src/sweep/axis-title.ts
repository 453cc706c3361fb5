/**
 * The units of the config numbers a sweep commonly varies (docs/model.md §1,
 * §9.11): lengths and times in the model's units, u in units of the field.
 * A path not named here is titled by itself.
 */
const UNITS: [RegExp, string][] = [
  [/^kernel\.(shift\.[01]|sigma|(excitation|inhibition)\.sigma|reach)$/, 'units of length'],
  [/^(noise\.correlationLength|grid\.(length|lx|ly))$/, 'units of length'],
  [/^(dt|tau)$/, 'units of time'],
  [/^(input|initial\.(std|amplitude|base))$/, 'units of u'],
  [/^transfer\.(slope|gain)$/, 'dimensionless'],
  [/^noise\.amplitude$/, 'D, units of u²·length²/time on a plane'],
];

/** A swept parameter's axis title: its dotted path with its units where known, e.g. "kernel.shift.0 (units of length)". */
export function axisTitle(path: string): string {
  const unit = UNITS.find(([pattern]) => pattern.test(path))?.[1];
  return unit ? `${path} (${unit})` : path;
}
