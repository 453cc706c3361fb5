import { extent } from '../numeric/extent.js';
import type { Config } from '../config/schema.js';
import { theoryFor, type TheoryComparison, type TheoryUnavailable } from '../run/simulate.js';
import { pointConfig } from './config-path.js';
import type { SweepManifest } from './manifest.js';
import type { SweptParam } from './params.js';
import { evenlySpaced } from './params.js';

export const CURVES_FILE = 'theory-curves.json';

/** Parameters the theory does not depend on: held at no value along other axes, and flat along their own. */
const THEORY_FREE = new Set(['seed']);

/**
 * The theory along one parameter's axis, the other parameters held at one
 * combination of their values: `x` runs evenly from the smallest to the
 * largest swept value (curvePoints of them, so the curve is dense between
 * the points), each y computed as the runs' summaries compute it (theoryFor).
 * null where the theory has no value (no stationary state, or none applies:
 * `unavailable` says why, at the first such x).
 */
export interface TheoryCurve {
  axis: string;
  /** The other parameters' values on this curve (empty for a one-parameter sweep). */
  fixed: Record<string, number>;
  x: number[];
  discrete: (number | null)[];
  continuous: (number | null)[];
  equilibrium: (boolean | null)[];
  unavailable?: string;
}

/** Every combination of the parameters' values, in the sweep's order (the first slowest). */
function combinations(params: readonly SweptParam[]): Record<string, number>[] {
  return params.reduce<Record<string, number>[]>((acc, p) => acc.flatMap((c) => p.values.map((v) => ({ ...c, [p.path]: v }))), [{}]);
}

/**
 * One curve per parameter and per combination of the others' values: a
 * one-parameter sweep has one curve, a 5 × 3 sweep has 3 along the first
 * axis and 5 along the second. None when curvePoints is 0.
 */
export function theoryCurves(manifest: SweepManifest): TheoryCurve[] {
  const n = manifest.options.curvePoints;
  if (n === 0) return [];
  const base: Config = manifest.base;
  return manifest.params.flatMap((axis) => {
    const others = manifest.params.filter((p) => p !== axis && !THEORY_FREE.has(p.path));
    const [lo, hi] = extent(axis.values);
    // Along a parameter the theory ignores (a seed: integers only), its two ends suffice.
    const x = lo === hi ? [lo] : THEORY_FREE.has(axis.path) ? [lo, hi] : evenlySpaced(lo, hi, Math.max(n, 2));
    return combinations(others).map((fixed) => {
      const curve: TheoryCurve = { axis: axis.path, fixed, x, discrete: [], continuous: [], equilibrium: [] };
      for (const value of x) {
        let theory: TheoryComparison | TheoryUnavailable;
        try {
          theory = theoryFor(pointConfig(base, { ...fixed, [axis.path]: value }));
        } catch (e) {
          // Between two valid points a value can be refused (an integer path at a fraction): no theory there.
          theory = { unavailable: (e as Error).message };
        }
        if ('unavailable' in theory) {
          curve.discrete.push(null);
          curve.continuous.push(null);
          curve.equilibrium.push(null);
          curve.unavailable ??= theory.unavailable;
        } else {
          curve.discrete.push(theory.eprDiscrete);
          curve.continuous.push(theory.eprContinuous);
          curve.equilibrium.push(theory.equilibrium);
        }
      }
      return curve;
    });
  });
}

export function curvesText(curves: TheoryCurve[]): string {
  return `${JSON.stringify({ curves }, null, 2)}\n`;
}
