import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { presets } from '../../src/config/presets.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { unpinnedBump } from '../helpers.js';
import { captureConsole } from './console.js';

const pinnedBump = presets['pinned-bump'];

const { out, err } = captureConsole();

/** A sigmoid field with a shifted kernel whose uniform state is stable in every mode. */
const sigmoid: ConfigInput = {
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'sigmoid', gain: 4, threshold: 0.5 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.5, 0] },
  input: 0.1,
  noise: { amplitude: 0.001 },
  dt: 0.05,
  seed: 2,
  initial: { type: 'fixed-point' },
};

function configFile(config: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'amari-nl-')), 'config.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('amari-ep on a nonlinear field', () => {
  it('theory: the linearisation at u*, said so, with every fixed point', async () => {
    expect(await main(['theory', '--config', configFile(sigmoid)])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/linearisation at the uniform fixed point u\* = [\d.]+ \(slope f′\(u\*\) = [\d.]+\)/);
    expect(text).toMatch(/uniform fixed points \(1, lowest first\)/);
    expect(text).toMatch(/stable in every mode .*← chosen/);
    expect(text).not.toMatch(/no stationary linear theory/);
  });

  it('theory --json adds linearisation { fixedPoint, slope, fixedPoints }', async () => {
    expect(await main(['theory', '--config', configFile(sigmoid), '--json'])).toBe(0);
    const report = JSON.parse(out.join('\n'));
    const { fixedPoint, slope, fixedPoints } = report.linearisation;
    expect(fixedPoints).toHaveLength(1);
    expect(fixedPoints[0].u).toBe(fixedPoint);
    expect(fixedPoints[0].slope).toBe(slope);
    expect(fixedPoints[0].stable).toBe(true);
    expect(report.eprDiscrete).toBeGreaterThan(0);
  });

  it('run: the estimate beside the linearisation’s σ_dt; summary.json marks it as a linearisation', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-nl-run-')), 'out');
    const code = await main(['run', '--config', configFile(sigmoid), '--backend', 'cpu', '--steps', '2000', '--burn-in', '200', '--out', dir]);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/entropy production {2}[\d.]+ ± /);
    expect(text).toMatch(/linearisation {7}σ_dt = [\d.]+ \(continuous σ = [\d.]+; fourier\); estimate − σ_dt = /);
    expect(text).toMatch(/the linearisation at the uniform fixed point u\* = /);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.theory.linearisation.about).toBe('uniform fixed point');
    expect(summary.theory.linearisation.slope).toBeGreaterThan(0);
    expect(summary.theory.eprDiscrete).toBeGreaterThan(0);
    expect(Number.isFinite(summary.epr.zScore)).toBe(true);
  });

  it('theory from a bump initial condition: the stationary bump, and on the unpinned torus its neutral mode', async () => {
    expect(await main(['theory', '--config', configFile(unpinnedBump)])).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/linearisation about the stationary bump u\*\(x\) that Newton's method reaches from initial "bump"/);
    expect(text).toMatch(/Newton {13}converged in \d+ iterations, max\|−u\* \+ K f\(u\*\) \+ h\| = /);
    expect(text).toMatch(/stability {10}NEUTRAL/);
    expect(text).toMatch(/no rates: the continuous rate of the linearisation is undefined: A has a neutral mode/);
    expect(text).not.toMatch(/σ_dt = /);
    out.length = 0;
    expect(await main(['theory', '--config', configFile(unpinnedBump), '--json'])).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.linearisation.about).toBe('stationary bump');
    expect(report.linearisation.residual).toBeLessThan(1e-10);
    expect(report.linearisation.stability.neutral).toBe(true);
    expect(report.eprDiscrete).toBeNull();
  });

  it('run from an unpinned bump: the estimate, and why there is no linear rate beside it', async () => {
    const code = await main(['run', '--config', configFile(unpinnedBump), '--backend', 'cpu', '--steps', '400', '--burn-in', '0']);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/theory {14}none: the continuous rate of the linearisation is undefined: A has a neutral mode/);
    expect(out.join('\n')).toMatch(/\(the linearisation about the stationary bump u\*\(x\) \(Newton residual /);
  });

  it('run from a bump the grid holds: the estimate beside the rate of the linearisation about the stationary bump', async () => {
    // Centred between cells, this coarse bump is held by the grid (its slowest rate ≈ 0.03) without a pin.
    const held = { ...pinnedBump, input: -1, initial: { ...pinnedBump.initial, center: [8.5, 8.5] } };
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-nl-bump-')), 'out');
    const code = await main(['run', '--config', configFile(held), '--backend', 'cpu', '--steps', '400', '--burn-in', '0', '--out', dir]);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/linearisation {7}σ_dt = [\d.]+ \(continuous σ = [\d.]+; dense\); estimate − σ_dt = /);
    expect(text).toMatch(/the linearisation about the stationary bump u\*\(x\) \(Newton residual /);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.theory.linearisation.about).toBe('stationary bump');
    expect(summary.theory.method).toBe('dense');
    expect(summary.theory.equilibrium).toBe(false);
    expect(summary.theory.eprDiscrete).toBeGreaterThan(1);
    expect(summary.theory.cellVariance).toBeNull();
  });

  it('the pinned-bump preset: theory about the stationary bump its input map pins; run prints the linearisation’s rate beside the estimate', async () => {
    expect(await main(['theory', '--preset', 'pinned-bump'])).toBe(0);
    let text = out.join('\n');
    expect(text).toMatch(/linearisation about the stationary bump u\*\(x\) that Newton's method reaches from initial "bump"/);
    expect(text).toMatch(/stability {10}stable {2}/);
    expect(text).toMatch(/Euler–Maruyama {4}σ_dt = 3\.01\d+/);
    expect(text).toMatch(/equilibrium {9}no .*at the bump’s edge/);
    out.length = 0;
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-nl-pinned-')), 'out');
    const code = await main(['run', '--preset', 'pinned-bump', '--backend', 'cpu', '--steps', '2000', '--burn-in', '200', '--out', dir]);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    text = out.join('\n');
    expect(text).toMatch(/entropy production {2}[\d.]+ ± [\d.]+ nats per unit time/);
    expect(text).toMatch(/linearisation {7}σ_dt = 3\.01\d* \(continuous σ = 2\.98\d*; dense\); estimate − σ_dt = /);
    expect(text).toMatch(/local density {7}against the theory's map: correlation /);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.theory.linearisation).toMatchObject({ about: 'stationary bump', converged: true });
    expect(summary.config.input).toEqual({ pattern: 'bump', center: [8, 8], sigma: 2, base: -1, peak: -0.5 });
    expect(summary.eprDensityTheory.correlation).toBeGreaterThan(0);
  });

  it('a sigmoid field with an input map and no bump: linearised about its fixed point u*(x), in theory and in run', async () => {
    const tilted = { ...pinnedBump, input: { pattern: 'tilt', axis: 'x', base: -1, rate: 0.02 }, initial: { type: 'fixed-point' } };
    expect(await main(['theory', '--config', configFile(tilted), '--json'])).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.method).toBe('dense');
    expect(report.maps).toEqual(['input']);
    expect(report.linearisation).toMatchObject({ about: 'stationary state', converged: true, stability: { stable: true } });
    expect(report.equilibrium).toBe(false);
    expect(report.eprDiscrete).toBeGreaterThan(0);
    out.length = 0;
    const code = await main(['run', '--config', configFile(tilted), '--backend', 'cpu', '--steps', '400', '--burn-in', '0', '--json']);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(out.join('\n'));
    expect(summary.theory.linearisation.about).toBe('stationary state');
    expect(summary.theory.eprDiscrete).toBeCloseTo(report.eprDiscrete, 12);
  });
});
