import { describe, expect, it } from 'vitest';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { SpectrumSampler } from '../../src/estimators/mode-spectrum/sampler.js';
import { modeShells } from '../../src/estimators/mode-spectrum/shells.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { modeLabel } from '../../src/theory/modes.js';
import { everyStep } from '../helpers.js';
import { rectangleInput, ringInput } from '../run/geometries.js';

const ring = parseConfig({ ...ringInput, initial: { type: 'random', std: 0.3 } });
const rectangle = parseConfig({ ...rectangleInput, initial: { type: 'random', std: 0.3 } });

/** One step's σ(k), summed over its shells, against the entropy observer's Σ_i s_i / dt of that step (Parseval on FFT2(nx, ny)). */
async function shellsAndStep(config: Config): Promise<{ shells: number; step: number }> {
  const engine = new CpuEngine(config, 1);
  const total = await engine.observe(entropyProduction(1));
  const sampler = new SpectrumSampler(config);
  await engine.observe(everyStep((_step, u, uNext) => sampler.add(u, uNext)));
  await engine.advance(1);
  const shells = (sampler.result(null).data as number[]).reduce((a, b) => a + b, 0);
  return { shells, step: total.blocks().sums[0] / config.dt };
}

describe('σ(k) on a ring and a rectangle', () => {
  it.each([
    ['ring', ring],
    ['rectangle', rectangle],
  ])("the shells of one step add up to that step's Σ_i s_i / dt (%s)", async (_name, config) => {
    const { shells, step } = await shellsAndStep(config);
    expect(shells).toBeCloseTo(step, 8);
  });

  it.each([
    ['ring', ring],
    ['rectangle', rectangle],
  ])("the theory's shells add up to σ_dt; every mode is in a listed shell (%s)", (_name, config) => {
    const result = new SpectrumSampler(config).result(fourierTheory(config));
    const sum = (result.theory as number[]).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(result.total.theory!, 10);
    const shells = modeShells(gridOf(config));
    for (const s of shells.of) expect(result.shell).toContain(s);
  });

  it('a ring: shell s holds the modes ±p, |p| = s, in units of 2π/L', () => {
    const grid = gridOf(ring);
    const shells = modeShells(grid);
    expect(shells.width).toBeCloseTo((2 * Math.PI) / grid.lx, 14);
    expect(shells.numbers).toEqual(Array.from({ length: grid.nx / 2 + 1 }, (_, s) => s));
    for (let k = 0; k < grid.cells; k++) expect(shells.of[k]).toBe(Math.abs(modeLabel(grid, k)[0]));
  });

  it('a square keeps its shells round(√(p² + q²)), in units of 2π/L', () => {
    const grid = gridOf({ grid: { n: 16, length: 8 } } as Config);
    const shells = modeShells(grid);
    expect(shells.width).toBeCloseTo((2 * Math.PI) / 8, 14);
    for (let k = 0; k < grid.cells; k++) expect(shells.of[k]).toBe(Math.round(Math.hypot(...modeLabel(grid, k))));
    expect(shells.numbers).toEqual(Array.from({ length: shells.count }, (_, s) => s));
  });

  it('a rectangle: shells in units of 2π/max(Lx, Ly); those that hold no mode are left out of the list', () => {
    // Lx = 20 over 4 cells, Ly = 4 over 20: the y modes are 5 shell widths apart and x reaches only |p| ≤ 2,
    // so the shells between 2π·1/Ly and 2π·2/Ly (|k|/Δk from 5.4 to 10) are empty.
    const input: ConfigInput = { ...rectangleInput, grid: { n: [4, 20], length: [20, 4] }, kernel: { type: 'gaussian', amplitude: 1, sigma: 0.4, shift: [0, 0.3], radius: 1.8 } };
    const grid = gridOf(parseConfig(input));
    const shells = modeShells(grid);
    expect(shells.width).toBeCloseTo((2 * Math.PI) / 20, 14);
    const held = new Set(shells.of);
    expect(shells.numbers).toEqual([...held].sort((a, b) => a - b));
    expect(shells.numbers.length).toBeLessThan(shells.count);
    for (let k = 0; k < grid.cells; k++) {
      const [p, q] = modeLabel(grid, k);
      expect(shells.of[k]).toBe(Math.round(Math.hypot((2 * Math.PI * p) / grid.lx, (2 * Math.PI * q) / grid.ly) / shells.width));
    }
  });
});
