import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { captureConsole } from './console.js';
import { presets } from '../../src/config/presets.js';
import { decodeNpy } from '../../src/io/npy.js';
import { SPECTRUM_GPU_MIN_SPACING } from '../../src/run/run.js';

const { out, err } = captureConsole();

function configFile(over: object = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'amari-cli-'));
  const file = join(dir, 'config.json');
  const small = { ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 }, ...over };
  writeFileSync(file, JSON.stringify(small));
  return file;
}

describe('amari-ep theory', () => {
  it('prints the rates as JSON', async () => {
    expect(await main(['theory', '--preset', 'irreversible', '--json'])).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.stability.continuous.stable).toBe(true);
    expect(report.eprDiscrete).toBeGreaterThan(report.eprContinuous);
    expect(report.densityDiscrete).toBeCloseTo(report.eprDiscrete / 64 ** 2, 12);
    expect(report.cellVariance).toBeGreaterThan(0);
  });

  it('gives a nonlinear transfer the theory of its linearisation, and says when that has no stationary state', async () => {
    expect(await main(['theory', '--preset', 'bump'])).toBe(0);
    expect(out.join('\n')).toMatch(/linearisation at the uniform fixed point u\* = /);
    expect(out.join('\n')).toMatch(/no stationary linear theory: .* has a growing mode/);
  });

  it('names the field of a bad config file', async () => {
    expect(await main(['theory', '--config', configFile({ dt: -1 })])).toBe(2);
    expect(err.join('\n')).toMatch(/dt: got -1; allowed: a finite number > 0/);
  });
  it('refuses numbers a run could not represent rather than print NaN (D = 1e300 overflows the balance)', async () => {
    const noise = { ...presets.irreversible.noise, amplitude: 1e300 };
    expect(await main(['theory', '--config', configFile({ noise })])).toBe(2);
    expect(out.join('\n')).toBe('');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/noise\.amplitude: D = 1e\+300 .* too large for the CPU engine \(float64\)/);
  });
});

describe('amari-ep run', () => {
  it('writes summary.json, timeseries.csv, .npy and .png files for R replicas', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-run-')), 'out');
    const code = await main(['run', '--config', configFile(), '--steps', '400', '--burn-in', '50', '--replicas', '2', '--blocks', '10', '--out', dir, '--json']);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.steps).toBe(400);
    expect(summary.replicas).toBe(2);
    expect(summary.epr.blocks).toBe(10);
    expect(Number.isFinite(summary.epr.stderr)).toBe(true);
    expect(summary.theory.eprDiscrete).toBeGreaterThan(0);
    const csv = readFileSync(join(dir, 'timeseries.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('block,time,estimate,running_mean');
    expect(csv).toHaveLength(11);
    const lastRunningMean = Number(csv[10].split(',')[3]);
    expect(lastRunningMean).toBeCloseTo(summary.epr.estimate, 9);
    const field = decodeNpy(readFileSync(join(dir, 'field.npy')));
    expect(field.shape).toEqual([2, 16, 16]);
    // Where the time went, in the printed JSON (summary.json is written before the writing ends).
    const printed = JSON.parse(out.join('\n'));
    for (const phase of ['startupSeconds', 'wallSeconds', 'samplingSeconds', 'resultSeconds', 'writingSeconds']) {
      expect(printed.performance[phase], phase).toBeGreaterThanOrEqual(0);
    }
    expect(printed.performance.samplingSeconds).toBeLessThanOrEqual(printed.performance.wallSeconds);
    // The rate over all the stepping, and the steps' own (less the host's sampling) beside it.
    const cellSteps = 450 * 2 * 16 * 16;
    expect(printed.performance.overallCellStepsPerSecond).toBeCloseTo(cellSteps / printed.performance.wallSeconds, 6);
    expect(printed.performance.cellStepsPerSecond).toBeGreaterThanOrEqual(printed.performance.overallCellStepsPerSecond);
    const onGpu = summary.backend.kind === 'gpu';
    expect(printed.performance.spectrumSampling).toBe(onGpu ? 'device' : 'host');
    expect(decodeNpy(readFileSync(join(dir, 'epr-density.npy'))).shape).toEqual([2, 16, 16]);
    for (const png of ['field.png', 'epr-density.png', 'epr-spectrum.png']) expect(readFileSync(join(dir, png)).subarray(1, 4).toString()).toBe('PNG');
    // σ(k) from the sampled steps: one value per mode, and shells beside the theory, whose sum is σ_dt.
    const spectrum = decodeNpy(readFileSync(join(dir, 'epr-spectrum.npy')));
    expect(spectrum.shape).toEqual([16, 16]);
    expect(spectrum.data.every(Number.isFinite)).toBe(true);
    // By default the GPU engine samples at most every SPECTRUM_GPU_MIN_SPACING steps, the CPU engine up to every other step.
    expect(summary.spectrum.samples).toBe(onGpu ? 400 / SPECTRUM_GPU_MIN_SPACING : 200);
    expect(summary.spectrum.shell).toHaveLength(summary.spectrum.theory.length);
    expect(summary.spectrum.theory.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(summary.theory.eprDiscrete, 8);
    // On the GPU the per-mode map and the shells are summed apart in float32.
    const shellTotal = summary.spectrum.data.reduce((a: number, b: number) => a + b, 0);
    expect(Math.abs(Array.from(spectrum.data).reduce((a, b) => a + b, 0) - shellTotal)).toBeLessThan((onGpu ? 1e-5 : 1e-12) * Math.abs(shellTotal) + 1e-12);
  });

  it('prints Σσ(k) with its standard error and writes σ(k) by shell with error bars (CPU)', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-run-')), 'out');
    const code = await main(['run', '--config', configFile(), '--backend', 'cpu', '--steps', '400', '--burn-in', '50', '--out', dir]);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/σ\(k\), Σ over k {6}-?\d[\d.e+-]* ± \d[\d.e+-]* from 200 sampled steps \(σ_dt = \d/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.spectrum.stderr).toHaveLength(summary.spectrum.shell.length);
    expect(summary.spectrum.stderr.slice(1).every((e: number) => e > 0)).toBe(true);
    expect(summary.spectrum.total.theory).toBeCloseTo(summary.theory.eprDiscrete, 12);
    expect(readFileSync(join(dir, 'epr-spectrum-shells.svg'), 'utf8')).toMatch(/^<svg[^]*data \(±1 s\.e\.\)[^]*theory σ_dt\(k\)/);
  });

  it('--spectrum-samples sets how many steps σ(k) samples; 0 writes no σ(k) files', async () => {
    for (const samples of [0, 10]) {
      const dir = join(mkdtempSync(join(tmpdir(), 'amari-run-')), 'out');
      out.length = 0;
      expect(await main(['run', '--config', configFile(), '--backend', 'cpu', '--steps', '100', '--burn-in', '0', '--spectrum-samples', String(samples), '--out', dir])).toBe(0);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
      expect(summary.spectrum?.samples ?? 0).toBe(samples);
      expect(existsSync(join(dir, 'epr-spectrum.npy'))).toBe(samples > 0);
    }
  });

  it('refuses an unstable config before it starts, writing nothing', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-run-')), 'out');
    expect(await main(['run', '--config', configFile({ dt: 2 }), '--out', dir])).toBe(2);
    expect(err.join('\n')).toMatch(/dt = 2 makes Euler–Maruyama unstable: .* \(allowed: dt < /);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses bad options with the allowed values', async () => {
    expect(await main(['run', '--steps', 'many'])).toBe(2);
    expect(err.join('\n')).toMatch(/--steps.*got "many"; allowed: an integer ≥ 2/);
    expect(await main(['run', '--preset', 'nope'])).toBe(2);
    expect(err.join('\n')).toMatch(/preset: got "nope"; allowed: equilibrium, irreversible, bump/);
  });
});

describe('amari-ep run on the GPU', () => {
  it('--backend gpu names the adapter and reports throughput', async () => {
    const code = await main(['run', '--config', configFile({ grid: { n: 32, length: 32 } }), '--backend', 'gpu', '--steps', '300', '--burn-in', '20']);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/backend {13}GPU: \S.+ \(convolution: (stencil|fft), .+\)/);
    expect(text).toMatch(/throughput {10}\d[\d.e+]* cell-steps\/s over all the stepping \(observers, sampling and read-backs included\); \d[\d.e+]* less the host's sampling/);
    expect(text).toMatch(
      /time {16}[\d.]+ s start-up, [\d.]+ s stepping \([\d.]+ s steps, [\d.]+ s reading back σ\(k\)'s shell sums \(its transforms ran on the GPU, within the steps\)\), [\d.]+ s results, [\d.]+ s writing/,
    );
  });

  it('--convolution fft runs the spectral path and agrees with the stencil path', async () => {
    const estimates = [];
    for (const path of ['fft', 'stencil']) {
      out.length = 0;
      expect(await main(['run', '--config', configFile({ grid: { n: 32, length: 32 } }), '--backend', 'gpu', '--convolution', path, '--steps', '200', '--burn-in', '0', '--json'])).toBe(0);
      const summary = JSON.parse(out.join('\n'));
      expect(summary.backendNote).toMatch(new RegExp(`\\(convolution: ${path}, as asked\\)`));
      estimates.push(summary.epr.estimate);
    }
    expect(Math.abs(estimates[0] - estimates[1])).toBeLessThan(1e-3 * Math.abs(estimates[1]));
  });

  it('--backend auto falls back to the CPU for what the GPU engine lacks, and says why', async () => {
    const code = await main(['run', '--config', configFile({ noise: { amplitude: 0.02, correlationLength: 1.5 } }), '--steps', '100', '--burn-in', '0', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(out.join('\n'));
    expect(summary.backend.kind).toBe('cpu');
    expect(summary.backendNote).toMatch(/CPU reference: the noise covariance's smallest\/largest eigenvalue ratio is .* below the 1e-5 that float32 can invert/);
  });

  it('--backend gpu refuses what the GPU engine lacks', async () => {
    expect(await main(['run', '--config', configFile({ noise: { amplitude: 0.02, correlationLength: 1.5 } }), '--backend', 'gpu'])).toBe(2);
    expect(err.join('\n')).toMatch(/set noise\.whiteFraction ≥ [\d.e-]+ or use the CPU engine .*use --backend cpu/);
  });
});

describe('amari-ep validate', () => {
  it('compares GPU and CPU fields and estimates on the same seed', async () => {
    expect(await main(['validate', '--config', configFile(), '--steps', '100', '--json'])).toBe(0);
    const report = JSON.parse(out.join('\n'));
    expect(report.rows).toHaveLength(1);
    const row = report.rows[0];
    expect(row.pass).toBe(true);
    expect(row.fieldDifference).toBeLessThan(1e-4);
    expect(Math.abs(row.eprGpu.estimate - row.eprCpu.estimate)).toBeLessThan(1e-3 * Math.abs(row.eprCpu.estimate) + 1e-3 * row.eprCpu.stderr);
  });
});

describe('amari-ep relax', () => {
  it('writes balance.csv with estimates, errors and theory, and the SVG plot', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'amari-relax-')), 'out');
    const config = configFile({ grid: { n: 8, length: 8 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [1.2, 0.4], radius: 3 }, initial: { type: 'zero' } });
    const code = await main(['relax', '--config', config, '--replicas', '16', '--steps', '60', '--record-every', '10', '--backend', 'cpu', '--out', dir]);
    expect(err.join('\n')).toBe('');
    expect(code).toBe(0);
    const lines = readFileSync(join(dir, 'balance.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('step,time,S,S_stderr,S_theory,dSdt,dSdt_stderr,dSdt_theory,Phi,Phi_stderr,Phi_theory,sigma,sigma_stderr,sigma_theory');
    expect(lines).toHaveLength(7);
    const first = lines[1].split(',').map(Number);
    expect(first[0]).toBe(10);
    for (const v of first) expect(Number.isFinite(v)).toBe(true);
    // σ = dS/dt + Φ, in the estimates and in the theory.
    expect(first[11]).toBeCloseTo(first[5] + first[8], 9);
    expect(first[13]).toBeCloseTo(first[7] + first[10], 9);
    expect(readFileSync(join(dir, 'balance.svg'), 'utf8')).toMatch(/^<svg[^>]*>[\s\S]*Entropy balance[\s\S]*<\/svg>\n$/);
  });

  it('says, for a nonlinear field, that S is an upper bound (text and JSON)', async () => {
    const config = configFile({
      grid: { n: 8, length: 8 },
      transfer: { type: 'sigmoid', gain: 2, threshold: 0.3 },
      kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [1.2, 0.4], radius: 3 },
      initial: { type: 'random', std: 0.5 },
    });
    expect(await main(['relax', '--config', config, '--replicas', '8', '--steps', '20', '--record-every', '10', '--backend', 'cpu'])).toBe(0);
    expect(out.join('\n')).toMatch(/\n {2}entropy: S is the Gaussian entropy .* an upper bound on its Shannon entropy/);
    out.length = 0;
    expect(await main(['relax', '--config', config, '--replicas', '8', '--steps', '20', '--record-every', '10', '--backend', 'cpu', '--json'])).toBe(0);
    expect(JSON.parse(out.join('\n')).entropyNote).toMatch(/upper bound/);
  });

  it('refuses steps that are not a multiple of the record interval', async () => {
    expect(await main(['relax', '--config', configFile(), '--steps', '55', '--record-every', '10', '--backend', 'cpu'])).toBe(2);
    expect(err.join('\n')).toMatch(/steps \(55\) must be a multiple of record-every \(10\)/);
  });
});
