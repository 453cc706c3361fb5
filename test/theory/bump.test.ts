import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { presets } from '../../src/config/presets.js';
import { kernelStencil } from '../../src/model/kernels.js';
import { circulantArray } from '../../src/model/stencil.js';
import { bumpStability, stationaryLinearisation, type StateLinearisation } from '../../src/theory/bump.js';
import { denseTheory } from '../../src/theory/dense.js';
import { edgeBand, unpinnedBump } from '../helpers.js';

const pinnedBump = presets['pinned-bump'];

/** The pinned bump's linearisation, computed once (about a second: dense 256 × 256 matrices). */
let pinned: StateLinearisation | undefined;
function pinnedLinearisation(): StateLinearisation {
  return (pinned ??= stationaryLinearisation(presetConfig('pinned-bump')));
}

describe('linear stability of a stationary bump', () => {
  it('reports the neutral translation mode on the unpinned torus: the continuous rate is undefined', () => {
    const lin = stationaryLinearisation(parseConfig(unpinnedBump));
    expect(lin.state.converged).toBe(true);
    expect(lin.state.residual).toBeLessThan(1e-10);
    const st = lin.stability!;
    expect(st.neutral).toBe(true);
    expect(st.smallest / st.largest).toBeLessThan(1e-3);
    // A pair: translations along x and along y.
    expect(Math.abs(st.re[1] - st.re[0])).toBeLessThan(1e-8);
    expect(lin.theory).toBeNull();
    expect(lin.unavailable).toMatch(/continuous rate of the linearisation is undefined: A has a neutral mode/);
  });

  it('the pin lifts the translation pair off 0: stable, not neutral', () => {
    const st = pinnedLinearisation().stability!;
    expect(st.method).toBe('symmetric');
    expect(st.stable).toBe(true);
    expect(st.neutral).toBe(false);
    expect(st.re[0]).toBeGreaterThan(0.05);
    expect(st.re[0]).toBeCloseTo(st.re[1], 8);
  });

  it('the symmetric path gives the eigenvalues of A = (I − K·diag(g))/τ itself', () => {
    const config = presetConfig('pinned-bump');
    const g = pinnedLinearisation().state.slope;
    const K = circulantArray({ nx: 16, ny: 16 }, kernelStencil(config));
    const A = new Matrix(256, 256);
    for (let i = 0; i < 256; i++) for (let j = 0; j < 256; j++) A.set(i, j, (i === j ? 1 : 0) - K[i * 256 + j] * g[j]);
    const e = new EigenvalueDecomposition(A);
    const general = e.realEigenvalues.slice().sort((a, b) => a - b);
    expect(Math.max(...e.imaginaryEigenvalues.map(Math.abs))).toBeLessThan(1e-8);
    const st = bumpStability(config, g)!;
    for (let k = 0; k < 256; k++) expect(st.re[k]).toBeCloseTo(general[k], 8);
  });

  it('a shifted kernel moves the bump: no stationary state, said so', () => {
    const lin = stationaryLinearisation(parseConfig({ ...pinnedBump, input: -1, kernel: { ...pinnedBump.kernel, shift: [0.3, 0] } }), { maxIterations: 60 });
    expect(lin.state.converged).toBe(false);
    expect(lin.unavailable).toMatch(/no stationary state found: .*the kernel is asymmetric: a bump travels/);
  });
});

describe('the linearisation about a pinned bump: a gain map f′(u*(x)) under a symmetric kernel', () => {
  it('is out of equilibrium: σ > 0 although the kernel is symmetric', () => {
    const t = pinnedLinearisation().theory!;
    const [sigma, sigmaDt] = [t.eprContinuous!, t.eprDiscrete!];
    expect(t.equilibrium).toBe(false);
    expect(sigma).toBeGreaterThan(1);
    expect(sigmaDt).toBeGreaterThan(sigma);
    expect(sigmaDt - sigma).toBeLessThan(0.05 * sigma);
  });

  it('its per-cell split (the dense theory’s, docs/model.md §8) sums to σ_dt and lies at the bump’s edge', () => {
    const lin = pinnedLinearisation();
    const local = lin.theory!.localDiscrete!;
    const total = local.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(lin.theory!.eprDiscrete!, 8);
    const { inBand, bandCells } = edgeBand(lin.state.u, local);
    expect(bandCells / 256).toBeLessThan(0.3);
    expect(inBand / total).toBeGreaterThan(0.7);
  });
});

describe('the linearisation about the stationary state of a field with an input map', () => {
  it('starts where initial "fixed-point" does, and is the dense theory of the gain map f′(u*(x))', () => {
    // The pinned-bump field with a shallow input map and no bump: the quiet state, bent by the map.
    const config = parseConfig({ ...pinnedBump, input: { pattern: 'tilt', axis: 'x', base: -1, rate: 0.02 }, initial: { type: 'fixed-point' } });
    const lin = stationaryLinearisation(config);
    expect(lin.about).toBe('stationary state');
    expect(lin.state.converged).toBe(true);
    expect(lin.state.residual).toBeLessThan(1e-10);
    expect(lin.stability!.stable).toBe(true);
    const direct = denseTheory({ ...config, transfer: { type: 'linear', slope: 1 } }, { slope: lin.state.slope });
    expect(lin.theory!.eprDiscrete).toBe(direct.eprDiscrete);
    // Out of equilibrium: the gain varies along x although the kernel is symmetric.
    expect(lin.theory!.equilibrium).toBe(false);
    expect(lin.theory!.eprDiscrete).toBeGreaterThan(0);
  });
});
