import { describe, expect, it } from 'vitest';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { fieldArray } from '../../src/config/maps.js';
import { presets } from '../../src/config/presets.js';
import { kernelStencil } from '../../src/model/kernels.js';
import { stationaryState } from '../../src/model/bump.js';
import { PeriodicConvolver } from '../../src/model/stencil.js';
import { transferFunction } from '../../src/model/transfer.js';

/** max_i |−u_i + (K f(u))_i + h_i|, recomputed independently of the solver. */
function residual(config: ReturnType<typeof parseConfig>, u: Float64Array, h: Float64Array): number {
  const f = transferFunction(config.transfer);
  const Kf = new Float64Array(gridOf(config).cells);
  new PeriodicConvolver(gridOf(config), kernelStencil(config)).apply(u.map(f), Kf);
  return u.reduce((m, v, i) => Math.max(m, Math.abs(-v + Kf[i] + h[i])), 0);
}

const pinnedBump = presets['pinned-bump'];

describe('stationary bump by Newton’s method (src/model/bump.ts)', () => {
  // The pinned-bump preset: its input map h(x) pins the bump.
  const config = presetConfig('pinned-bump');
  const h = fieldArray(config, 'input');

  it('converges on the pinned bump to a residual below 1e-10, from the bump initial condition', () => {
    const s = stationaryState(config);
    expect(s.converged).toBe(true);
    expect(s.residual).toBeLessThan(1e-10);
    expect(residual(config, s.u, h)).toBeLessThan(1e-10);
    // One bump, at the pin: active at the centre, quiet far from it.
    const f = transferFunction(config.transfer);
    expect(f(s.u[8 * 16 + 8])).toBeGreaterThan(0.99);
    expect(f(s.u[0])).toBeLessThan(0.02);
    // The gain map is f′(u*).
    const e = 1e-6;
    expect(s.slope[5 * 16 + 8]).toBeCloseTo((f(s.u[5 * 16 + 8] + e) - f(s.u[5 * 16 + 8] - e)) / (2 * e), 6);
  });

  it('dense LU and GMRES steps reach the same bump', () => {
    const krylov = stationaryState(config, { solver: 'krylov' });
    const dense = stationaryState(config, { solver: 'dense' });
    expect(dense.converged && krylov.converged).toBe(true);
    for (let i = 0; i < krylov.u.length; i++) expect(Math.abs(dense.u[i] - krylov.u[i])).toBeLessThan(1e-10);
  });

  it('solves larger grids with GMRES (64², the same bump in the middle)', () => {
    const big = parseConfig({ ...pinnedBump, grid: { n: 64, length: 64 }, input: -1, initial: { ...pinnedBump.initial, center: [32, 32] } });
    const s = stationaryState(big);
    expect(s.converged).toBe(true);
    expect(s.residual).toBeLessThan(1e-10);
    expect(residual(big, s.u, new Float64Array(64 * 64).fill(-1))).toBeLessThan(1e-10);
  });

  it('says where it starts from: the bump initial condition, or a given field', () => {
    const zero = parseConfig({ ...pinnedBump, input: -1, initial: { type: 'zero' } });
    expect(() => stationaryState(zero)).toThrow(/searched from the bump initial condition; this config has initial.type = "zero"/);
    // From the uniform quiet state it stays there: a uniform fixed point.
    const s = stationaryState(zero, { start: new Float64Array(256).fill(-1) });
    expect(s.converged).toBe(true);
    expect(Math.max(...s.u) - Math.min(...s.u)).toBeLessThan(1e-9);
  });
});
