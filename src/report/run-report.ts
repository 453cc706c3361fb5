import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figuresIn } from './figures-in.js';
import { escapeHtml, page, table } from './html.js';
import { num, plusMinus } from './number-format.js';

/** The figures of a run folder (src/io/write-run.ts, write-balance.ts), in the report's order. */
const RUN_FIGURES = [
  ['field', 'the field u at the end of the run'],
  ['epr-density', 'the measured local entropy production'],
  ['epr-density-theory', "the theory's local entropy production"],
  ['epr-spectrum', 'entropy production per Fourier mode σ(k), measured beside the theory'],
  ['epr-spectrum-shells', 'σ(k) by shell of |k|, ±1 standard error, against the theory'],
  ['space-time', "the ring's field against time"],
  ['balance', 'the entropy balance during relaxation'],
] as const;

// summary.json as written by runSummary (src/run/summary.ts); read loosely, so an older file still reports.
type Summary = Record<string, any>;

/** The numbers against theory: each measured quantity, its theory, and how far apart in standard errors. */
function numbers(s: Summary): string {
  const theory = s.theory ?? {};
  const epr = s.epr ?? {};
  const variance = s.cellVariance ?? {};
  const z = (est: unknown, se: unknown, th: unknown) => (typeof est === 'number' && typeof se === 'number' && typeof th === 'number' && se > 0 ? num((est - th) / se) : '—');
  const rows = [
    ['entropy production σ (nats per unit time)', plusMinus(epr.estimate, epr.stderr), num(theory.eprDiscrete), z(epr.estimate, epr.stderr, theory.eprDiscrete)],
    ['σ, continuous-time theory', '', num(theory.eprContinuous), ''],
    ['density σ / domain', plusMinus(epr.density, epr.densityStderr), num(theory.densityDiscrete), z(epr.density, epr.densityStderr, theory.densityDiscrete)],
    ['cell variance', plusMinus(variance.estimate, variance.stderr), num(theory.cellVariance), z(variance.estimate, variance.stderr, theory.cellVariance)],
    ...Object.values<Summary>(s.observed ?? {}).map((o) => [`${o.label} (${o.units})`, plusMinus(o.estimate, o.stderr), '—', '—']),
  ];
  const note = theory.unavailable ? `<p>No theory: ${escapeHtml(String(theory.unavailable))}</p>` : `<p>Theory: ${escapeHtml(String(theory.method ?? ''))}${theory.equilibrium ? ' (equilibrium: σ = 0)' : ''}; σ_dt is the exact rate of the discrete-time chain.</p>`;
  return `<h2>Numbers against theory</h2>${table(['quantity', 'measured (±1 s.e.)', 'theory', '(measured − theory) / s.e.'], rows)}${note}`;
}

/** Backend, adapter, throughput. */
function performance(s: Summary): string {
  const p = s.performance ?? {};
  const rows = [
    ['backend', String(s.backend?.kind ?? '—')],
    ['adapter', String(s.backend?.description ?? '—')],
    ['replicas', num(s.replicas)],
    ['steps (burn-in)', `${num(s.steps)} (${num(s.burnIn)})`],
    ['time step dt; time simulated', `${num(s.dt)}; ${num(s.time)}`],
    ['throughput (cell steps per second, sampling excluded)', num(p.cellStepsPerSecond)],
    ['throughput overall', num(p.overallCellStepsPerSecond)],
    ['wall time (s)', num(p.wallSeconds)],
    // A sweep point run in a batch: its wall time is the batch's, its rates count its own cells.
    ...(p.batch ? [['batch', `${num(p.batch.points)} points as replicas of one dispatch; ${num(p.batch.cellStepsPerSecond)} cell steps per second in all`]] : []),
  ];
  return `<h2>Run</h2>${table(['', ''], rows)}`;
}

/** The report of a run folder: its summary.json and its figures. */
export function runReport(dir: string, version: string): string {
  const s: Summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
  const grid = s.grid ? (s.grid.dimensions === 1 ? `ring of ${s.grid.n} cells, length ${num(s.grid.length)}` : `${s.grid.nx} × ${s.grid.ny} cells, ${num(s.grid.lx)} × ${num(s.grid.ly)}`) : '';
  return page(`amari-ep run: ${grid}`, [
    `<p>Report of <code>${escapeHtml(dir)}</code> by amari-ep ${escapeHtml(version)} (summary.json carries the run's numbers).</p>`,
    numbers(s),
    performance(s),
    '<h2>Figures</h2>',
    ...figuresIn(dir, RUN_FIGURES),
    '<h2>Config</h2>',
    `<pre>${escapeHtml(JSON.stringify(s.config, null, 2))}</pre>`,
  ]);
}
