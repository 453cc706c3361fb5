import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { captureConsole } from './console.js';
import { presets } from '../../src/config/presets.js';
import { decodeNpy, encodeNpy } from '../../src/io/npy.js';

const { out, err } = captureConsole();

/** A config file (and map files beside it) in a fresh folder. */
function configFile(doc: object, files: Record<string, Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'amari-cli-maps-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const json = () => JSON.parse(out.join('\n'));

describe('amari-ep theory with maps (docs/model.md §8)', () => {
  it('noise-stripe: the Fourier-block theory (a map along x), same keys, equilibrium false with its residual', async () => {
    expect(await main(['theory', '--preset', 'noise-stripe', '--json'])).toBe(0);
    const r = json();
    expect(r.method).toBe('fourier-blocks');
    expect(r.maps).toEqual(['noise.amplitude']);
    expect(r.eprDiscrete).toBeGreaterThan(5);
    expect(r.eprContinuous).toBeGreaterThan(5);
    expect(r.cellVariance).toBeGreaterThan(0);
    expect(r.equilibrium).toBe(false);
    expect(r.equilibriumResidual).toBeGreaterThan(0.01);
    expect(r.stability.discrete.stable).toBe(true);
  });

  it('gain-balanced: equilibrium true and σ = 0 to rounding; with uniform noise false and σ > 0', async () => {
    expect(await main(['theory', '--preset', 'gain-balanced', '--json'])).toBe(0);
    const r = json();
    expect(r.equilibrium).toBe(true);
    expect(Math.abs(r.eprDiscrete)).toBeLessThan(1e-12);
    expect(Math.abs(r.eprContinuous)).toBeLessThan(1e-12);
    out.length = 0;
    const uniform = configFile({ ...structuredClone(presets['gain-balanced']), noise: { amplitude: 0.02 } });
    expect(await main(['theory', '--config', uniform, '--json'])).toBe(0);
    const u = json();
    expect(u.equilibrium).toBe(false);
    expect(u.eprDiscrete).toBeGreaterThan(0);
  });

  it('uniform configs gain equilibrium and the residual from the Fourier modes', async () => {
    expect(await main(['theory', '--preset', 'equilibrium', '--json'])).toBe(0);
    expect(json()).toMatchObject({ method: 'fourier', equilibrium: true, equilibriumResidual: 0, eprDiscrete: 0 });
    out.length = 0;
    expect(await main(['theory', '--preset', 'irreversible', '--json'])).toBe(0);
    const r = json();
    expect(r.equilibrium).toBe(false);
    expect(r.equilibriumResidual).toBeGreaterThan(0);
  });

  it('prints the stability of the blocks and the equilibrium line; the dense theory for a 2-D map', async () => {
    expect(await main(['theory', '--preset', 'noise-stripe'])).toBe(0);
    let text = out.join('\n');
    expect(text).toMatch(/Fourier blocks along y, noise\.amplitude is a map along x/);
    expect(text).toMatch(/continuous time +stable +Cayley transforms \(I \+ h A_q\)⁻¹\(I − h A_q\) of the blocks, h = [\d.]+: spectral radius ≈ 0\.\d+ \(stable iff < 1\)/);
    expect(text).toMatch(/Euler–Maruyama +stable +M = I − dt·A: spectral radius ≈ 0\.99 \(stable iff < 1\)/);
    expect(text).toMatch(/its Möbius transforms \(I \+ h A_q\)⁻¹\(I − \(h \+ dt\)A_q\): spectral radius ≈ 0\.\d+ \(stable iff < 1\)/);
    expect(text).toMatch(/equilibrium +no +‖A𝒟 − 𝒟Aᵀ‖\/‖A𝒟‖ = /);
    out.length = 0;
    expect(await main(['theory', '--preset', 'gain-balanced'])).toBe(0);
    text = out.join('\n');
    expect(text).toMatch(/dense theory, noise\.amplitude and transfer\.slope are maps/);
    expect(text).toMatch(/Euler–Maruyama +stable +M = I − dt·A: spectral radius ≈ 0\.99 \(stable iff < 1\)/);
  });

  it('beyond 32² a 2-D map says why there is none, exit code 2', async () => {
    const big = configFile({ ...structuredClone(presets['gain-balanced']), grid: { n: 64, length: 64 } });
    expect(await main(['theory', '--config', big])).toBe(2);
    expect(err.join('\n')).toMatch(
      /noise\.amplitude and transfer\.slope are maps that vary along both axes \(or along different ones\), and the dense theory of maps needs at most 1024 cells \(32²; got 64², 4096\)/,
    );
  });

  it('a 256² noise stripe: the Fourier-block theory prints σ_dt, equilibrium and the residual', async () => {
    const stripe = configFile({
      ...structuredClone(presets['noise-stripe']),
      grid: { n: 256, length: 256 },
      noise: { amplitude: { pattern: 'stripe', axis: 'x', center: 128, width: 64, inside: 0.2, outside: 0.01 }, correlationLength: 0 },
    });
    expect(await main(['theory', '--config', stripe, '--json'])).toBe(0);
    const r = json();
    expect(r.method).toBe('fourier-blocks');
    expect(r.maps).toEqual(['noise.amplitude']);
    // Two edges of a stripe 256 cells long, each like the 16² preset's edges of 16 cells, but 16 times as long: σ_dt ≈ 16 × 5.34.
    expect(r.eprDiscrete).toBeGreaterThan(80);
    expect(r.eprDiscrete).toBeLessThan(90);
    expect(r.eprContinuous).toBeLessThan(r.eprDiscrete);
    expect(r.equilibrium).toBe(false);
    expect(r.equilibriumResidual).toBeGreaterThan(0.01);
    expect(r.stability.discrete.stable).toBe(true);
    expect(r.cellVariance).toBeGreaterThan(0);
    // Beyond 256² there is none, and theory says why.
    out.length = 0;
    const huge = configFile({ ...structuredClone(presets['noise-stripe']), grid: { n: 512, length: 512 } });
    expect(await main(['theory', '--config', huge])).toBe(2);
    expect(err.join('\n')).toMatch(/noise\.amplitude is a map along x, and the Fourier-block theory of one-axis maps needs grid\.n ≤ 256 \(got 512\)/);
  }, 600_000);
});

describe('amari-ep run with a map file', () => {
  const stripe = Float64Array.from({ length: 256 }, (_, i) => (i % 16 >= 6 && i % 16 < 10 ? 0.2 : 0.01));
  const doc = { ...structuredClone(presets['noise-stripe']), noise: { amplitude: { file: 'noise.npy' } } };

  it('reads the file beside the config, prints the theory and the local density, writes the theory map; summary.json keeps the spec', async () => {
    const file = configFile(doc, { 'noise.npy': encodeNpy(stripe, [16, 16]) });
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-run-maps-')), 'out');
    const code = await main(['run', '--config', file, '--backend', 'cpu', '--steps', '4000', '--burn-in', '200', '--out', dir]);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/theory +σ_dt = 5\.\d+ \(continuous σ = 5\.\d+; fourier-blocks\)/);
    expect(text).toMatch(/equilibrium +no/);
    expect(text).toMatch(/local density +against the theory's map: correlation 0\.\d+/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.config.noise.amplitude).toEqual({ file: join(file, '..', 'noise.npy') });
    expect(summary.theory.method).toBe('fourier-blocks');
    expect(summary.eprDensityTheory.correlation).toBeGreaterThan(0.5);
    expect(summary.spectrum).toBeNull();
    const theoryMap = decodeNpy(readFileSync(join(dir, 'epr-density-theory.npy')));
    expect(theoryMap.shape).toEqual([16, 16]);
    expect(theoryMap.data.reduce((a, b) => a + b, 0)).toBeCloseTo(summary.theory.eprDiscrete, 9);
    expect(existsSync(join(dir, 'epr-density-theory.png'))).toBe(true);
  });

  it('refuses a missing map file before anything runs, naming it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-run-maps-')), 'out');
    expect(await main(['run', '--config', configFile(doc), '--backend', 'cpu', '--out', dir])).toBe(2);
    expect(err.join('\n')).toMatch(/noise\.amplitude: cannot read the map file "noise\.npy" \(.*\): no such file/);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses an unstable slope map with the reason', async () => {
    const steep = configFile({
      ...structuredClone(presets['gain-balanced']),
      transfer: { type: 'linear', slope: { pattern: 'disc', center: [8, 8], radius: 6, inside: 1.6, outside: 1.05 } },
    });
    expect(await main(['run', '--config', steep, '--backend', 'cpu'])).toBe(2);
    expect(err.join('\n')).toMatch(/the linear field with its transfer\.slope map has no stationary state/);
  });
});

describe('amari-ep relax with maps', () => {
  it('runs the ensemble and says why there is no relaxation theory', async () => {
    const code = await main(['relax', '--preset', 'noise-stripe', '--backend', 'cpu', '--replicas', '8', '--steps', '40', '--record-every', '20', '--json']);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const r = json();
    expect(JSON.stringify(r)).toMatch(/the relaxation theory covers uniform fields; noise\.amplitude is a map/);
  });
});
