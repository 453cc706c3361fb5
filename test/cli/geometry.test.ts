import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { decodeNpy } from '../../src/io/npy.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { rectangleInput, ringInput } from '../run/geometries.js';
import { captureConsole } from './console.js';

const { out, err } = captureConsole();

function configFile(input: ConfigInput): string {
  const file = join(mkdtempSync(join(tmpdir(), 'amari-cli-geometry-')), 'config.json');
  writeFileSync(file, JSON.stringify(input));
  return file;
}

describe.each([
  ['ring', ringInput, 'a ring of 64 cells, L = 32, dt = 0.05', 'per unit length'],
  ['rectangle', rectangleInput, '24 × 10 cells, L = 12 × 5, dt = 0.05', 'per unit area'],
])('amari-ep theory on a %s', (_name, input, setting, per) => {
  it('--json prints the Fourier theory of the grid, densities over its domain', async () => {
    expect(await main(['theory', '--config', configFile(input), '--json'])).toBe(0);
    const report = JSON.parse(out.join('\n'));
    const config = parseConfig(input);
    const theory = fourierTheory(config);
    expect(report.method).toBe('fourier');
    expect(report.eprDiscrete).toBe(theory.eprDiscrete);
    expect(report.eprContinuous).toBe(theory.eprContinuous);
    expect(report.cellVariance).toBe(theory.cellVariance);
    expect(report.densityDiscrete).toBeCloseTo(theory.eprDiscrete! / gridOf(config).domain, 14);
    expect(report.units).toContain(per);
  });

  it('names the grid with describeGrid and the densities per unit of its domain', async () => {
    expect(await main(['theory', '--config', configFile(input)])).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(`(${setting})`);
    expect(text).toMatch(new RegExp(`σ_dt = [\\d.]+ +\\([\\d.e-]+ ${per}\\)`));
  });
});

describe('amari-ep run on a ring (CPU)', () => {
  it('prints the ring, writes [n] arrays, line plots and the space-time record, and puts the grid in summary.json', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-cli-ring-')), 'out');
    const code = await main(['run', '--config', configFile(ringInput), '--backend', 'cpu', '--steps', '400', '--burn-in', '50', '--out', dir]);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('a ring of 64 cells, L = 32, dt = 0.05; 1 replica(s)');
    expect(text).toMatch(/sampling σ\(k\) and space-time rows/);
    for (const name of ['field.svg', 'field.png', 'epr-density.svg', 'epr-density.png', 'space-time.png']) expect(existsSync(join(dir, name)), name).toBe(true);
    expect(decodeNpy(readFileSync(join(dir, 'field.npy'))).shape).toEqual([64]);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(decodeNpy(readFileSync(join(dir, 'space-time.npy'))).shape).toEqual([summary.spaceTime.rows, 64]);
    expect(summary.grid).toMatchObject({ dimensions: 1, shape: [64] });
    expect(summary.epr.units).toMatch(/density: per unit length/);
    expect(summary.spectrum.shellWidth).toBeCloseTo((2 * Math.PI) / 32, 14);
  });
});
