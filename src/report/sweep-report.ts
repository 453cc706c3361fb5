import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSvg } from '../figures/render.js';
import { sweepFigure, type SweepPanel } from '../figures/sweep.js';
import { axisTitle } from '../sweep/axis-title.js';
import { escapeHtml, page, table } from './html.js';
import { inlineSvg } from './inline-svg.js';

/** The columns sweep.csv has after its parameters' (issue 15); every column before `estimate` is a parameter. */
const RESULT_COLUMNS = ['estimate', 'stderr', 'theory_discrete', 'theory_continuous', 'equilibrium'];

/** sweep.csv read generically: its header and rows of cells (no quoting: the sweep writes numbers and dotted paths). */
function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

const value = (cell: string | undefined) => (cell === undefined || cell.trim() === '' ? null : Number(cell));

/**
 * The sweep figure from sweep.csv alone, where the folder has no figure of its
 * own: per parameter the estimates with error bars, and the theory at the
 * points (the sweep's own figure draws it densely).
 */
async function figureFromCsv(header: string[], rows: string[][]): Promise<string> {
  const at = (name: string) => header.indexOf(name);
  const parameters = header.slice(0, at('estimate'));
  const panels: SweepPanel[] = parameters.map((parameter, p) => {
    const sorted = [...rows].sort((a, b) => Number(a[p]) - Number(b[p]));
    return {
      parameter,
      axis: axisTitle(parameter),
      points: sorted.map((r) => ({ value: Number(r[p]), estimate: Number(r[at('estimate')]), stderr: Number(r[at('stderr')]) })),
      theory: at('theory_discrete') >= 0 ? [{ label: 'theory σ_dt at the points', value: sorted.map((r) => Number(r[p])), y: sorted.map((r) => value(r[at('theory_discrete')])) }] : [],
    };
  });
  return renderSvg(sweepFigure({ title: `Entropy production against ${parameters.join(', ')}`, quantity: 'σ (nats per unit time)', panels }));
}

/** The report of a sweep folder: the table of sweep.csv and the sweep figure (the folder's own SVG, else one made from the CSV). */
export async function sweepReport(dir: string, version: string): Promise<string> {
  const { header, rows } = readCsv(join(dir, 'sweep.csv'));
  if (!header.includes('estimate')) throw new RangeError(`${join(dir, 'sweep.csv')} has no estimate column; allowed: a sweep.csv amari-ep sweep wrote`);
  const own = readdirSync(dir).filter((f) => f.startsWith('sweep') && f.endsWith('.svg')).sort();
  const figures = own.length
    ? own.map((f, i) => inlineSvg(readFileSync(join(dir, f), 'utf8'), `s${i}-`, f))
    : [inlineSvg(await figureFromCsv(header, rows), 's0-', 'from sweep.csv: estimates ±1 standard error, theory at the points')];
  const manifest = existsSync(join(dir, 'sweep.json')) ? `<h2>Manifest</h2><pre>${escapeHtml(readFileSync(join(dir, 'sweep.json'), 'utf8'))}</pre>` : '';
  const parameters = header.filter((h) => !RESULT_COLUMNS.includes(h));
  return page(`amari-ep sweep of ${parameters.join(', ')}`, [
    `<p>Report of <code>${escapeHtml(dir)}</code> by amari-ep ${escapeHtml(version)}: ${rows.length} points.</p>`,
    '<h2>Figure</h2>',
    ...figures,
    '<h2>Points (sweep.csv)</h2>',
    table(header, rows.map((r) => r.map((c) => (c === '' ? null : c)))),
    manifest,
  ]);
}
