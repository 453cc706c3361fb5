import type { SweepManifest } from './manifest.js';
import type { PointSummary } from './point-store.js';

export const TABLE_FILE = 'sweep.csv';

/** The columns after the parameters' (each named by its path). */
export const RESULT_COLUMNS = ['estimate', 'stderr', 'theory_discrete', 'theory_continuous', 'equilibrium'] as const;

/** A number as JavaScript writes it (the shortest text that reads back the same double); empty for none. */
const cell = (x: number | boolean | null | undefined) => (x === null || x === undefined ? '' : String(x));

/**
 * sweep.csv: one row per finished point, by index, with the parameters, the
 * estimate and its standard error, and the theory the run compared with
 * (empty where there is none). No timings: the same points give the same
 * bytes however they were run.
 */
export function sweepCsv(manifest: SweepManifest, summaries: ReadonlyMap<number, PointSummary>): string {
  const header = [...manifest.params.map((p) => p.path), ...RESULT_COLUMNS].join(',');
  const rows = manifest.points
    .filter((p) => summaries.has(p.index))
    .map((p) => {
      const s = summaries.get(p.index)!;
      const t = 'unavailable' in s.theory ? undefined : s.theory;
      return [...manifest.params.map((q) => cell(p.values[q.path])), cell(s.epr.estimate), cell(s.epr.stderr), cell(t?.eprDiscrete), cell(t?.eprContinuous), cell(t?.equilibrium)].join(',');
    });
  return `${[header, ...rows].join('\n')}\n`;
}
