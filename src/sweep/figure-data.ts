import { existsSync, readFileSync } from 'node:fs';
import type { SweepFigureData as FigureSpecData } from '../figures/sweep.js';
import { join } from 'node:path';
import { axisTitle } from './axis-title.js';
import { SweepError } from './errors.js';
import { readManifest } from './manifest.js';
import { pointDir, POINT_SUMMARY, readPointSummary } from './point-store.js';
import { CURVES_FILE, type TheoryCurve } from './theory-curves.js';

/** One finished point as a figure draws it: its parameters, the estimate with its error bar, the theory there. */
export interface FigurePoint {
  values: Record<string, number>;
  estimate: number;
  stderr: number;
  /** σ_dt at the point (null where there is none). */
  theory: number | null;
}

/**
 * What a sweep's figure needs: for each parameter (an axis), the estimate with
 * error bars against it and the theory curves along it (theory-curves.ts).
 * Units: nats per unit time (k_B = 1), one field; each parameter in the config's units.
 */
export interface SweepFigureData {
  sweep: string;
  params: string[];
  points: FigurePoint[];
  curves: TheoryCurve[];
}

/** Reads a sweep's folder (a finished, partial or merged sweep: the points finished so far). */
export function sweepFigureData(dir: string): SweepFigureData {
  const manifest = readManifest(dir);
  if (!manifest) throw new SweepError(`${dir} holds no sweep.json; allowed: a folder amari-ep sweep wrote`);
  const points = manifest.points
    .filter((p) => existsSync(join(pointDir(dir, p.id), POINT_SUMMARY)))
    .map((p) => {
      const s = readPointSummary(dir, p.id);
      return { values: p.values, estimate: s.epr.estimate, stderr: s.epr.stderr, theory: 'unavailable' in s.theory ? null : s.theory.eprDiscrete };
    });
  const curvesPath = join(dir, CURVES_FILE);
  const curves = existsSync(curvesPath) ? (JSON.parse(readFileSync(curvesPath, 'utf8')) as { curves: TheoryCurve[] }).curves : [];
  return { sweep: manifest.sweep, params: manifest.params.map((p) => p.path), points, curves };
}

/** "kernel.shift.0 = 0.5, dt = 0.1": a curve's other parameters, for its legend. */
function fixedLabel(fixed: Record<string, number>): string {
  const parts = Object.entries(fixed).map(([path, v]) => `${path} = ${v}`);
  return parts.length ? ` at ${parts.join(', ')}` : '';
}

/**
 * The figure's panels (src/figures/sweep.ts), one per swept parameter: every
 * finished point's estimate ±1 standard error against that parameter, and
 * along it the dense theory curves, σ_dt (the discrete chain the estimator
 * measures) and σ (continuous time), one pair per combination of the other
 * parameters' values.
 */
export function sweepFigurePanels(data: SweepFigureData): FigureSpecData {
  return {
    title: `Entropy production against ${data.params.join(' and ')} (sweep ${data.sweep})`,
    quantity: 'entropy production (nats per unit time)',
    panels: data.params.map((path) => ({
      parameter: path,
      axis: axisTitle(path),
      integer: path === 'seed',
      points: data.points.map((p) => ({ value: p.values[path], estimate: p.estimate, stderr: p.stderr })),
      theory: data.curves
        .filter((c) => c.axis === path && !c.unavailable)
        .flatMap((c) => [
          { label: `theory σ_dt, discrete time${fixedLabel(c.fixed)}`, value: c.x, y: c.discrete },
          { label: `theory σ, continuous time${fixedLabel(c.fixed)}`, value: c.x, y: c.continuous },
        ]),
    })),
  };
}
