import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { presets } from '../../src/config/presets.js';
import { ringInput } from '../run/geometries.js';
import { captureConsole } from '../cli/console.js';
import { pngSize, svgTexts } from './svg-text.js';

const { out, err } = captureConsole();

function configFile(doc: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'amari-figures-')), 'config.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const freshOut = () => join(mkdtempSync(join(tmpdir(), 'amari-figures-out-')), 'out');

/** Runs the CLI on the CPU; fails the test with what it printed when it does not succeed. */
async function cli(args: string[]): Promise<void> {
  const code = await main([...args, '--backend', 'cpu']);
  expect(code, err.join('\n')).toBe(0);
}

const MAP_AXES = ['x (units of length)', 'y (units of length)'];
const SIGMA_K = 'σ(k) (nats per unit time)';

/**
 * Each figure the CLI writes, the text its SVG must show: the title (its
 * start), the axes' quantities with units, and the colour bar's or legend's quantity.
 */
const EXPECTED: Record<string, { title: string; labels: string[] }> = {
  field: { title: 'field u after', labels: [...MAP_AXES, 'u'] },
  'epr-density': { title: 'local entropy production over', labels: [...MAP_AXES, 'σ(x) (nats per unit time per unit area)'] },
  'epr-density-theory': { title: 'local entropy production, theory', labels: [...MAP_AXES, 'σ(x) (nats per unit time per unit area)'] },
  'epr-spectrum': { title: 'Entropy production per Fourier mode σ(k)', labels: ['kx L / 2π', 'ky L / 2π', SIGMA_K, 'theory σ_dt(k)'] },
  'epr-spectrum-shells': { title: 'σ(k) by shell of |k|', labels: ['|k| L / 2π', SIGMA_K, 'data (±1 s.e.)', 'theory σ_dt(k)'] },
  'ring:field': { title: 'field u after', labels: ['x (units of length)', 'u'] },
  'ring:epr-density': { title: 'local entropy production over', labels: ['x (units of length)', 'σ(x) (nats per unit time per unit length)'] },
  'ring:epr-spectrum': { title: 'σ(k) per mode', labels: ['p = k L / 2π', SIGMA_K, 'measured', 'theory σ_dt(k)'] },
  'ring:space-time': { title: 'field u along the ring against time', labels: ['x (units of length)', 'time (units of time)', 'u'] },
  balance: { title: 'Entropy balance σ = dS/dt + Φ', labels: ['time (units of time)', 'rate (nats per unit time)', 'σ (entropy production)', 'Φ (flow to the environment)', 'dS/dt (Shannon entropy)'] },
};

/** Checks stem.svg's text against EXPECTED[key] and that stem.png is a PNG of sensible size. */
function checkFigure(dir: string, key: string): void {
  const stem = key.replace(/^ring:/, '');
  const texts = svgTexts(readFileSync(join(dir, `${stem}.svg`), 'utf8'));
  const { title, labels } = EXPECTED[key];
  expect(texts.some((t) => t.startsWith(title)), `${key}: title "${title}…" in ${JSON.stringify(texts.slice(0, 40))}`).toBe(true);
  for (const label of labels) expect(texts, `${key}: "${label}"`).toContain(label);
  const { width, height } = pngSize(readFileSync(join(dir, `${stem}.png`)));
  expect(width, `${stem}.png width`).toBeGreaterThan(400);
  expect(height, `${stem}.png height`).toBeGreaterThan(200);
}

/** The figures a folder holds: the stems with both an SVG and a PNG. */
const figureStems = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.svg')).map((f) => f.slice(0, -4)).filter((s) => existsSync(join(dir, `${s}.png`))).sort();

describe('every figure the CLI writes is labelled (CPU, 16² and a 64-cell ring)', () => {
  let square: string;
  beforeAll(async () => {
    square = freshOut();
    await cli(['run', '--config', configFile({ ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 } }), '--steps', '300', '--burn-in', '50', '--spectrum-samples', '20', '--out', square]);
  });

  it('run on a 16² grid: field, epr-density, epr-spectrum (data beside theory) and its shells, each SVG and PNG', () => {
    expect(figureStems(square)).toEqual(['epr-density', 'epr-spectrum', 'epr-spectrum-shells', 'field']);
    for (const key of ['field', 'epr-density', 'epr-spectrum', 'epr-spectrum-shells']) checkFigure(square, key);
  });

  it("run with a noise map: the theory's local entropy production too", async () => {
    const dir = freshOut();
    await cli(['run', '--config', configFile(structuredClone(presets['noise-stripe'])), '--steps', '200', '--burn-in', '20', '--out', dir]);
    expect(figureStems(dir)).toContain('epr-density-theory');
    checkFigure(dir, 'epr-density-theory');
  });

  it('run on a ring: line plots of the field, the density and σ(k) per mode, and the space-time picture', async () => {
    const dir = freshOut();
    await cli(['run', '--config', configFile(ringInput), '--steps', '300', '--burn-in', '50', '--spectrum-samples', '20', '--out', dir]);
    expect(figureStems(dir)).toEqual(['epr-density', 'epr-spectrum', 'epr-spectrum-shells', 'field', 'space-time']);
    for (const key of ['ring:field', 'ring:epr-density', 'ring:epr-spectrum', 'ring:space-time']) checkFigure(dir, key);
  });

  it('relax: the entropy balance', async () => {
    const dir = freshOut();
    const config = configFile({ ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 }, initial: { type: 'zero' } });
    await cli(['relax', '--config', config, '--replicas', '8', '--steps', '40', '--record-every', '10', '--out', dir]);
    expect(figureStems(dir)).toEqual(['balance']);
    checkFigure(dir, 'balance');
  });

  it('report: one self-contained HTML page with the numbers of summary.json and the figures inlined', async () => {
    expect(await main(['report', square])).toBe(0);
    expect(out.join('\n')).toContain(join(square, 'report.html'));
    const html = readFileSync(join(square, 'report.html'), 'utf8');
    const summary = JSON.parse(readFileSync(join(square, 'summary.json'), 'utf8'));
    const six = (v: number) => Number(v.toPrecision(6)).toString();
    for (const v of [summary.epr.estimate, summary.epr.stderr, summary.theory.eprDiscrete, summary.cellVariance.estimate, summary.performance.cellStepsPerSecond]) expect(html).toContain(six(v));
    expect(html).toContain(summary.backend.description);
    // The four figures inlined, their ids kept apart; nothing fetched from elsewhere.
    expect(html.match(/<svg /g)).toHaveLength(4);
    for (const stem of ['field', 'epr-density', 'epr-spectrum', 'epr-spectrum-shells']) expect(html).toContain(`${stem}.svg:`);
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script|<link /);
    expect(html).toContain('&quot;dt&quot;'); // the config, escaped
  });

  it('report of a sweep folder: the table of sweep.csv and the sweep figure made from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-figures-sweep-'));
    const csv = ['kernel.shift.0,estimate,stderr,theory_discrete,theory_continuous,equilibrium', '0,0.01,0.02,0,0,true', '0.5,0.31,0.03,0.3,0.29,false', '1,1.22,0.05,1.2,1.1,false'];
    writeFileSync(join(dir, 'sweep.csv'), `${csv.join('\n')}\n`);
    expect(await main(['report', dir])).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<td>1.22</td>');
    const svg = html.slice(html.indexOf('<svg '), html.indexOf('</svg>') + 6);
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['kernel.shift.0', 'σ (nats per unit time)', 'estimate (±1 s.e.)']));
  });

  it('report refuses, with one line, a folder that is neither a run nor a sweep', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-figures-empty-'));
    expect(await main(['report', dir])).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/neither summary\.json \(a run\) nor sweep\.csv \(a sweep\); allowed: /);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });
});
