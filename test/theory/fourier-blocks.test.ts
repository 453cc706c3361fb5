import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { registerMapFile } from '../../src/config/maps.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { denseTheory, type DenseTheory } from '../../src/theory/dense.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { fourierBlocksTheory, mapAxis, type FourierBlocksTheory } from '../../src/theory/fourier-blocks.js';
import { fourierEquilibriumResidual, linearTheory } from '../../src/theory/linear.js';

const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

/** Symmetric kernel, D = 0.2 on 6 ≤ x < 10 and 0.01 elsewhere, 16² (the noise-stripe preset). */
const stripe: ConfigInput = {
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
  input: 0.1,
  noise: { amplitude: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.2, outside: 0.01 } },
  dt: 0.05,
};

/** Every number of the Fourier-block theory against the dense theory: rates, variance, residual and the local density, to 1e-9. */
function expectDense(b: FourierBlocksTheory, d: DenseTheory, tolerance = 1e-9): void {
  expect(rel(b.eprDiscrete!, d.eprDiscrete!)).toBeLessThan(tolerance);
  expect(rel(b.eprContinuous!, d.eprContinuous!)).toBeLessThan(tolerance);
  expect(rel(b.densityDiscrete!, d.densityDiscrete!)).toBeLessThan(tolerance);
  expect(rel(b.cellVariance!, d.cellVariance!)).toBeLessThan(tolerance);
  expect(rel(b.equilibriumResidual, d.equilibriumResidual)).toBeLessThan(tolerance);
  expect(b.equilibrium).toBe(d.equilibrium);
  const scale = d.localDiscrete!.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  for (let i = 0; i < d.localDiscrete!.length; i++) expect(Math.abs(b.localDiscrete![i] - d.localDiscrete![i])).toBeLessThan(tolerance * scale);
  expect(b.stability.discrete.stable).toBe(d.stability.discrete.stable);
  expect(b.stability.continuous.stable).toBe(d.stability.continuous.stable);
  // The radius of M: both are estimates from powers, to about 3 digits.
  expect(Math.abs(b.stability.discrete.spectralRadius - d.stability.discrete.spectralRadius)).toBeLessThan(2e-3);
  // Each block takes its own Cayley step (the dense theory one for all): the radii differ, on the same side of 1.
  expect(b.stability.continuous.cayleyRadius < 1).toBe(d.stability.continuous.cayleyRadius < 1);
  expect(b.stability.discrete.transformedRadius < 1).toBe(d.stability.discrete.stable);
}

describe('Fourier-block theory of one-axis maps (src/theory/fourier-blocks.ts)', () => {
  it('a noise stripe along x with a symmetric kernel: the dense theory to 1e-9, on real blocks; the density by column', () => {
    const config = parseConfig(stripe);
    const b = fourierBlocksTheory(config);
    expect(b.axis).toBe('x');
    expect(b.blocks).toEqual({ solved: 9, real: 9 });
    expectDense(b, denseTheory(config));
    expect(b.equilibrium).toBe(false);
    expect(b.eprDiscrete!).toBeGreaterThan(5);
    // The cells of a column share the local density; the columns sum to σ_dt.
    const profile = b.profileDiscrete!;
    for (let iy = 0; iy < 16; iy++) for (let ix = 0; ix < 16; ix++) expect(b.localDiscrete![iy * 16 + ix]).toBe(profile[ix]);
    expect(rel(16 * profile.reduce((a, v) => a + v, 0), b.eprDiscrete!)).toBeLessThan(1e-12);
    // Produced in the quiet cells beside the stripe's edges (x = 5 and 10).
    expect(profile[5]).toBeGreaterThan(20 * (Math.abs(profile[8]) + Math.abs(profile[1])));
    expect(profile[10]).toBeCloseTo(profile[5], 12);
  });

  it('a slope tilt along y with a kernel shifted along x and y: complex blocks, the dense theory to 1e-9', () => {
    const config = parseConfig({
      ...stripe,
      kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.2, 0.7] },
      transfer: { type: 'linear', slope: { pattern: 'tilt', axis: 'y', base: 0.5, rate: 0.03 } },
      noise: { amplitude: 0.02 },
    });
    const b = fourierBlocksTheory(config);
    expect(b.axis).toBe('y');
    // Blocks along x: K_p is complex except at p = 0 and n/2.
    expect(b.blocks).toEqual({ solved: 9, real: 2 });
    expectDense(b, denseTheory(config));
    expect(b.eprDiscrete!).toBeGreaterThan(1);
    expect(b.eprContinuous!).toBeLessThan(b.eprDiscrete!);
    for (let iy = 0; iy < 16; iy++) for (let ix = 0; ix < 16; ix++) expect(b.localDiscrete![iy * 16 + ix]).toBe(b.profileDiscrete![iy]);
  });

  it('a slope tilt and a noise stripe along x with a kernel shifted along y: complex blocks, the dense theory to 1e-9', () => {
    const config = parseConfig({
      ...stripe,
      kernel: { type: 'gaussian', amplitude: 1, sigma: 0.8, shift: [0.5, 1.1] },
      transfer: { type: 'linear', slope: { pattern: 'tilt', axis: 'x', base: 0.5, rate: 0.03 } },
    });
    const b = fourierBlocksTheory(config);
    expect(b.blocks.real).toBe(2);
    expectDense(b, denseTheory(config));
  });

  it('correlated noise (λ = 1, w = 0.1) with a noise stripe: the dense theory to 1e-9', () => {
    const config = parseConfig({ ...stripe, noise: { ...(stripe.noise as object), correlationLength: 1, whiteFraction: 0.1 } as ConfigInput['noise'] });
    const b = fourierBlocksTheory(config);
    expectDense(b, denseTheory(config));
    // ... and with a shifted kernel and the stripe along y.
    const shifted = parseConfig({
      ...stripe,
      kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0.4, 1.1] },
      noise: { amplitude: { pattern: 'stripe', axis: 'y', center: 8, width: 4, inside: 0.2, outside: 0.01 }, correlationLength: 1.3, whiteFraction: 0.1 },
    });
    expectDense(fourierBlocksTheory(shifted), denseTheory(shifted));
  });

  /** The gain-balanced preset along one axis: gain g = 0.9 on a stripe, 0.5 outside, noise D = 0.01/g. */
  const balanced = (noise: ConfigInput['noise']): Config =>
    parseConfig({
      ...stripe,
      input: 0,
      transfer: { type: 'linear', slope: { pattern: 'stripe', axis: 'x', center: 8, width: 8, inside: 0.9, outside: 0.5 } },
      noise,
    });

  it('a gain stripe with noise D ∝ 1/g is an equilibrium (σ = 0 to rounding); with uniform noise it is not', () => {
    const config = balanced({ amplitude: { pattern: 'stripe', axis: 'x', center: 8, width: 8, inside: 0.01 / 0.9, outside: 0.01 / 0.5 } });
    const b = fourierBlocksTheory(config);
    expect(b.equilibrium).toBe(true);
    expect(b.equilibriumResidual).toBeLessThan(1e-14);
    expect(Math.abs(b.eprDiscrete!)).toBeLessThan(1e-12);
    expect(Math.abs(b.eprContinuous!)).toBeLessThan(1e-12);
    for (const v of b.localDiscrete!) expect(Math.abs(v)).toBeLessThan(1e-13);
    const d = denseTheory(config);
    expect(d.equilibrium).toBe(true);
    expect(rel(b.cellVariance!, d.cellVariance!)).toBeLessThan(1e-9);
    const uniform = balanced({ amplitude: 0.02 });
    const u = fourierBlocksTheory(uniform);
    expect(u.equilibrium).toBe(false);
    expect(u.equilibriumResidual).toBeGreaterThan(0.01);
    expectDense(u, denseTheory(uniform));
  });

  it('uniform configs: the Fourier theory to 1e-9, the residual from the modes included', () => {
    const base = { ...stripe, kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [1.2, 0.4], radius: 3 } } as ConfigInput;
    for (const noise of [{ amplitude: 0.05 }, { amplitude: 0.05, correlationLength: 1, whiteFraction: 0.2 }]) {
      const config = parseConfig({ ...base, noise });
      const f = fourierTheory(config);
      const b = fourierBlocksTheory(config);
      expect(rel(b.eprDiscrete!, f.eprDiscrete!)).toBeLessThan(1e-9);
      expect(rel(b.eprContinuous!, f.eprContinuous!)).toBeLessThan(1e-9);
      expect(rel(b.cellVariance!, f.cellVariance!)).toBeLessThan(1e-9);
      expect(rel(b.equilibriumResidual, fourierEquilibriumResidual(config, f))).toBeLessThan(1e-9);
      for (const v of b.localDiscrete!) expect(rel(v, f.eprDiscrete! / 256)).toBeLessThan(1e-9);
    }
    // A symmetric kernel with uniform noise: equilibrium, σ = 0 exactly enough.
    const sym = fourierBlocksTheory(parseConfig({ ...stripe, noise: { amplitude: 0.05 } }));
    expect(sym.equilibrium).toBe(true);
    expect(Math.abs(sym.eprDiscrete!)).toBeLessThan(1e-12);
  });

  it('reports instability as the dense theory does: a slope stripe that is too steep, a dt too coarse', () => {
    const steep = parseConfig({ ...stripe, transfer: { type: 'linear', slope: { pattern: 'stripe', axis: 'x', center: 8, width: 8, inside: 1.5, outside: 1.05 } } });
    const b = fourierBlocksTheory(steep);
    const d = denseTheory(steep);
    expect(b.stability.continuous.stable).toBe(false);
    expect(b.stability.discrete.stable).toBe(false);
    expect(b.eprContinuous).toBeNull();
    expect(b.eprDiscrete).toBeNull();
    expect(b.localDiscrete).toBeNull();
    expect(b.stability.discrete.spectralRadius).toBeCloseTo(d.stability.discrete.spectralRadius, 3);
    const coarse = parseConfig({ ...stripe, dt: 2.5 });
    const c = fourierBlocksTheory(coarse);
    expect(c.stability.continuous.stable).toBe(true);
    expect(c.stability.discrete.stable).toBe(false);
    expect(c.stability.discrete.transformedRadius).toBeGreaterThan(1);
    expect(c.eprDiscrete).toBeNull();
    expect(rel(c.eprContinuous!, denseTheory(coarse).eprContinuous!)).toBeLessThan(1e-9);
    expect(Math.abs(c.stability.discrete.spectralRadius - denseTheory(coarse).stability.discrete.spectralRadius)).toBeLessThan(2e-3);
  });

  it('finds the axis of the maps: patterns, files constant along an axis, uniform values; the input map does not count', () => {
    const with_ = (noise: ConfigInput['noise'], slope: ConfigInput['transfer'] = { type: 'linear', slope: 0.8 }, input: ConfigInput['input'] = 0.1) =>
      parseConfig({ ...stripe, noise, transfer: slope, input });
    expect(mapAxis(parseConfig(stripe))).toBe('x');
    expect(mapAxis(with_({ amplitude: { pattern: 'tilt', axis: 'y', base: 0.02, rate: 0.1 } }))).toBe('y');
    expect(mapAxis(with_({ amplitude: 0.02 }))).toBe('x');
    expect(mapAxis(with_({ amplitude: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.2, outside: 0.01 } }))).toBeUndefined();
    // A noise stripe along x and a slope tilt along y: no common axis.
    const mixed = with_(stripe.noise, { type: 'linear', slope: { pattern: 'tilt', axis: 'y', base: 0.5, rate: 0.03 } });
    expect(mapAxis(mixed)).toBeUndefined();
    // An input map along the other axis (or in two dimensions) does not matter.
    expect(mapAxis(with_(stripe.noise, undefined, { pattern: 'bump', center: [3, 4], sigma: 2, base: 0.1, peak: 0.3 }))).toBe('x');
    // A file whose rows are all equal varies along x.
    const rows = Float64Array.from({ length: 256 }, (_, i) => (i % 16 < 5 ? 0.1 : 0.02));
    registerMapFile('/virtual/rows.npy', rows);
    expect(mapAxis(with_({ amplitude: { file: '/virtual/rows.npy' } }))).toBe('x');
    const columns = Float64Array.from({ length: 256 }, (_, i) => (Math.floor(i / 16) < 5 ? 0.1 : 0.02));
    registerMapFile('/virtual/columns.npy', columns);
    const fromFile = with_({ amplitude: { file: '/virtual/columns.npy' } });
    expect(mapAxis(fromFile)).toBe('y');
    expectDense(fourierBlocksTheory(fromFile), denseTheory(fromFile));
  });

  it('linearTheory: Fourier blocks for one-axis maps at any size up to 256², dense for other maps; beyond, why there is none', () => {
    const t = linearTheory(parseConfig(stripe));
    expect(t.method).toBe('fourier-blocks');
    expect(t.maps).toEqual(['noise.amplitude']);
    const d = denseTheory(parseConfig(stripe));
    expect(rel(t.eprDiscrete!, d.eprDiscrete!)).toBeLessThan(1e-9);
    const local = t.localDensity()!;
    expect(rel(local.reduce((a, v) => a + v, 0), t.eprDiscrete!)).toBeLessThan(1e-12); // Δx = 1
    const disc = { amplitude: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.2, outside: 0.01 } } as ConfigInput['noise'];
    expect(linearTheory(parseConfig({ ...stripe, noise: disc })).method).toBe('dense');
    // A one-axis map at 64²: the blocks; a 2-D map at 64²: none, saying so.
    expect(linearTheory(parseConfig({ ...stripe, grid: { n: 64, length: 64 } })).method).toBe('fourier-blocks');
    expect(() => linearTheory(parseConfig({ ...stripe, grid: { n: 64, length: 64 }, noise: disc }))).toThrow(
      /noise\.amplitude is a map that varies along both axes .*needs at most 1024 cells \(32²; got 64², 4096\).*one axis only \(stripes, tilts\) have the Fourier-block theory up to 256²/,
    );
    expect(() => linearTheory(parseConfig({ ...stripe, grid: { n: 512, length: 512 } }))).toThrow(
      /noise\.amplitude is a map along x, and the Fourier-block theory of one-axis maps needs grid\.n ≤ 256 \(got 512\)/,
    );
  });
});
