import type { Measured, RelaxResult } from '../run/relax.js';
import type { TopLevelSpec } from 'vega-lite';
import { figureFiles } from '../figures/figure-files.js';
import { linePlotSpec, type Series } from '../figures/line-plot.js';
import { writeAllOrNothing } from './atomic-write.js';

const COLUMNS = [
  'step', 'time',
  'S', 'S_stderr', 'S_theory',
  'dSdt', 'dSdt_stderr', 'dSdt_theory',
  'Phi', 'Phi_stderr', 'Phi_theory',
  'sigma', 'sigma_stderr', 'sigma_theory',
];

/** balance.csv: one row per record; dS/dt, Φ and σ are over the interval to the next record. */
export function balanceCsv(result: RelaxResult): string {
  const cell = (q: Measured | undefined) => (q ? [q.value, q.stderr, q.theory ?? ''] : ['', '', '']);
  const rows = result.rows.map((r) =>
    [r.step, r.time, ...cell(r.entropy), ...cell(r.interval?.entropyRate), ...cell(r.interval?.flow), ...cell(r.interval?.production)].join(','),
  );
  return `${COLUMNS.join(',')}\n${rows.join('\n')}\n`;
}

/** The balance figure: dS/dt, Φ and σ against time, with ±1 standard error bars and the theories dashed. */
export function balanceSpec(result: RelaxResult): TopLevelSpec {
  const rows = result.rows.filter((r) => r.interval);
  const spacing = result.rows[1].step - result.rows[0].step;
  const mid = rows.map((r) => (r.step + spacing / 2) * result.config.dt);
  const series: Series[] = [];
  const curves = [
    ['σ (entropy production)', 'production', '#c0392b'],
    ['Φ (flow to the environment)', 'flow', '#2980b9'],
    ['dS/dt (Shannon entropy)', 'entropyRate', '#27ae60'],
  ] as const;
  for (const [label, key, colour] of curves) {
    series.push({ label, x: mid, y: rows.map((r) => r.interval![key].value), stderr: rows.map((r) => r.interval![key].stderr), colour });
    if (rows[0]?.interval![key].theory !== null) {
      series.push({ label: `${label.split(' ')[0]} theory`, x: mid, y: rows.map((r) => r.interval![key].theory), dashed: true, colour });
    }
  }
  return linePlotSpec(series, {
    title: `Entropy balance σ = dS/dt + Φ, ${result.replicas} replicas (±1 s.e.)${result.entropyNote ? '; S: Gaussian upper bound (nonlinear)' : ''}`,
    x: 'time (units of time)',
    y: 'rate (nats per unit time)',
  });
}

/** Writes balance.csv and the balance figure (balance.svg, balance.png) into dir, all or nothing. */
export async function writeBalance(result: RelaxResult, dir: string): Promise<string[]> {
  return writeAllOrNothing(dir, { 'balance.csv': balanceCsv(result), ...(await figureFiles('balance', balanceSpec(result))) });
}
