import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { loadConfigFile } from '../../src/config/load-file.js';
import { denseTheory } from '../../src/theory/dense.js';
import { sweepFigureData, type TheoryCurve } from '../../src/sweep/index.js';
import { captureConsole } from '../cli/console.js';
import { pngSize, svgTexts } from '../figures/svg-text.js';
import { expectSameSweep, filesUnder, readCsv, SHIFT_SWEEP, shiftConfigFile, tempDir } from './helpers.js';

/**
 * Issue 15's five-point sweep of the kernel's shift from 0 to 1 on a 16² grid:
 * the theory column against the dense theory (docs/model.md §5, dense N×N
 * matrices: an independent computation from the Fourier theory the runs use)
 * to 1e-6, every estimate within 4 standard errors of it; then the same
 * sweep in two shards, merged, equals it file for file.
 */
const { out, err } = captureConsole();

/** σ_dt of the dense theory with the shift set, computed here, not by the sweep. */
function denseDiscrete(file: string, shift: number): number {
  const config = loadConfigFile(file);
  return denseTheory({ ...config, kernel: { ...config.kernel, shift: [shift, 0] } }).eprDiscrete!;
}

describe('amari-ep sweep: the shift from 0 to 1 on 16²', () => {
  const config = shiftConfigFile();
  const whole = join(tempDir(), 'whole');

  it('reproduces the dense theory curve: the theory column to 1e-6, every estimate within 4 standard errors', async () => {
    expect(await main(['sweep', '--config', config, ...SHIFT_SWEEP, '--out', whole]), err.join('\n')).toBe(0);
    expect(out.at(-1)).toMatch(/^amari-ep sweep: .*5 point\(s\) \([0-9a-f]{16}\): ran 5, skipped 0 finished before; sweep\.csv has 5 of 5 rows; wrote .*sweep\.svg, .*sweep\.png$/);
    const [header, ...rows] = readCsv(join(whole, 'sweep.csv'));
    expect(header).toEqual(['kernel.shift.0', 'estimate', 'stderr', 'theory_discrete', 'theory_continuous', 'equilibrium']);
    expect(rows.map((r) => Number(r[0]))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    for (const [shift, estimate, stderr, discrete, continuous] of rows.map((r) => r.map(Number))) {
      const dense = denseDiscrete(config, shift);
      expect(Math.abs(discrete - dense), `shift ${shift}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(dense)));
      expect(Math.abs(estimate - dense) / stderr, `shift ${shift}: ${estimate} ± ${stderr} against ${dense}`).toBeLessThan(4);
      expect(continuous).toBeGreaterThanOrEqual(0);
    }
    // A symmetric kernel is at equilibrium (σ = 0); a shifted one is not.
    expect(rows.map((r) => r[5])).toEqual(['true', 'false', 'false', 'false', 'false']);

    // The theory curve is dense along the axis (21 values, not only the 5 points) and is the dense theory's too.
    const { curves } = JSON.parse(readFileSync(join(whole, 'theory-curves.json'), 'utf8')) as { curves: TheoryCurve[] };
    expect(curves).toHaveLength(1);
    const [curve] = curves;
    expect(curve.axis).toBe('kernel.shift.0');
    expect(curve.x).toHaveLength(21);
    expect([curve.x[0], curve.x[20]]).toEqual([0, 1]);
    for (const i of [0, 3, 7, 10, 14, 20]) {
      const dense = denseDiscrete(config, curve.x[i]);
      expect(Math.abs(curve.discrete[i]! - dense), `x = ${curve.x[i]}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(dense)));
    }
    // Where a point sits on the curve, the curve and the table agree exactly: one theory for both.
    for (const [i, row] of rows.entries()) expect(curve.discrete[i * 5]).toBe(Number(row[3]));

    // What a figure of the sweep reads: the points with their error bars and the curve.
    const data = sweepFigureData(whole);
    expect(data.params).toEqual(['kernel.shift.0']);
    expect(data.points.map((p) => [p.values['kernel.shift.0'], p.estimate, p.stderr])).toEqual(rows.map((r) => [Number(r[0]), Number(r[1]), Number(r[2])]));
    expect(data.curves).toEqual(curves);

    // The figure: its title, the parameter and the rate with units on the axes, the estimate and both theory curves in the legend.
    const texts = svgTexts(readFileSync(join(whole, 'sweep.svg'), 'utf8'));
    for (const label of [
      'kernel.shift.0', 'kernel.shift.0 (units of length)', 'entropy production (nats per unit time)', 'estimate (±1 s.e.)', 'theory σ_dt, discrete time', 'theory σ, continuous time',
    ]) expect(texts, label).toContain(label);
    expect(texts.some((t) => t.startsWith('Entropy production against kernel.shift.0'))).toBe(true);
    expect(pngSize(readFileSync(join(whole, 'sweep.png')))).toMatchObject({ width: expect.any(Number) });
  }, 120_000);

  it('two shards merged equal the unsharded sweep: sweep.csv, manifest and theory byte for byte, summaries but their timings', async () => {
    const base = tempDir();
    const [one, two, merged] = ['one', 'two', 'merged'].map((d) => join(base, d));
    expect(await main(['sweep', '--config', config, ...SHIFT_SWEEP, '--shard', '1/2', '--out', one]), err.join('\n')).toBe(0);
    expect(await main(['sweep', '--config', config, ...SHIFT_SWEEP, '--shard', '2/2', '--out', two]), err.join('\n')).toBe(0);
    // Shard 1/2 ran points 0, 2, 4 and its table has those rows only.
    expect(filesUnder(one).filter((f) => f.endsWith('summary.json')).map((f) => f.slice(7, 12))).toEqual(['p0000', 'p0002', 'p0004']);
    expect(readCsv(join(one, 'sweep.csv')).slice(1).map((r) => r[0])).toEqual(['0', '0.5', '1']);

    err.length = 0;
    expect(await main(['sweep', 'merge', one, '--out', merged])).toBe(2);
    expect(err).toEqual([
      expect.stringMatching(/^amari-ep: sweep merge: 2 of 5 points are finished in none of the folders \(p0001-[0-9a-f]{8}, p0003-[0-9a-f]{8}\); allowed: every shard finished/),
    ]);
    expect(existsSync(merged)).toBe(false);
    err.length = 0;
    expect(await main(['sweep', 'merge', one, two, whole, '--out', merged])).toBe(2);
    expect(err[0]).toMatch(/^amari-ep: sweep merge: point p0000-[0-9a-f]{8} is finished in both .*one and .*whole; allowed: shards that share no point/);

    expect(await main(['sweep', 'merge', one, two, '--out', merged]), err.join('\n')).toBe(0);
    expect(out.at(-1)).toMatch(/^amari-ep sweep merge: 5 points of [0-9a-f]{16} into .*merged \(3 from .*one, 2 from .*two\); wrote .*sweep\.svg, .*sweep\.png$/);
    expectSameSweep(whole, merged, expect);

    // Shards of another sweep are refused: here other run options.
    const other = join(base, 'other');
    expect(await main(['sweep', '--config', config, ...SHIFT_SWEEP, '--steps', '200', '--shard', '2/2', '--out', other]), err.join('\n')).toBe(0);
    err.length = 0;
    expect(await main(['sweep', 'merge', one, other, '--out', join(base, 'bad')])).toBe(2);
    expect(err[0]).toMatch(/^amari-ep: sweep merge: .*other is another sweep than .*one \([0-9a-f]{16}, not [0-9a-f]{16}: steps differs \(12000 there, 200 here\)\)/);
    // And so is a rerun into an --out that holds another sweep.
    err.length = 0;
    expect(await main(['sweep', '--config', config, ...SHIFT_SWEEP, '--steps', '200', '--out', whole])).toBe(2);
    expect(err[0]).toMatch(/^amari-ep: --out .*whole holds another sweep \([0-9a-f]{16}; this one is [0-9a-f]{16}: steps differs \(12000 there, 200 here\)\); allowed: the same command to resume it, or a new --out$/);
  }, 120_000);
});
