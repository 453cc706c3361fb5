import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { denseCoupling } from '../../src/model/bump.js';
import { kernelStencil } from '../../src/model/kernels.js';
import { bumpLinearisation, bumpStability, localRate, type BumpLinearisation } from '../../src/theory/bump.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { shiftedGaussian, smallLinear } from '../helpers.js';
import { edgeBand, pinField, pinnedBump, unpinnedBump } from '../pinned-bump.js';

/** The pinned bump's linearisation, computed once (a few seconds: dense 256 × 256 matrices). */
let pinned: BumpLinearisation | undefined;
function pinnedLinearisation(): BumpLinearisation {
  const config = parseConfig(pinnedBump);
  return (pinned ??= bumpLinearisation(config, { input: pinField(config) }));
}

describe('linear stability of a stationary bump', () => {
  it('reports the neutral translation mode on the unpinned torus: the continuous rate is undefined', () => {
    const lin = bumpLinearisation(parseConfig(unpinnedBump));
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
    const config = parseConfig(pinnedBump);
    const g = pinnedLinearisation().state.slope;
    const K = denseCoupling(16, kernelStencil(config));
    const A = new Matrix(256, 256);
    for (let i = 0; i < 256; i++) for (let j = 0; j < 256; j++) A.set(i, j, (i === j ? 1 : 0) - K[i * 256 + j] * g[j]);
    const e = new EigenvalueDecomposition(A);
    const general = e.realEigenvalues.slice().sort((a, b) => a - b);
    expect(Math.max(...e.imaginaryEigenvalues.map(Math.abs))).toBeLessThan(1e-8);
    const st = bumpStability(config, g)!;
    for (let k = 0; k < 256; k++) expect(st.re[k]).toBeCloseTo(general[k], 8);
  });

  it('a shifted kernel moves the bump: no stationary state, said so', () => {
    const lin = bumpLinearisation(parseConfig({ ...pinnedBump, kernel: { ...pinnedBump.kernel, shift: [0.3, 0] } }), { maxIterations: 60 });
    expect(lin.state.converged).toBe(false);
    expect(lin.unavailable).toMatch(/no stationary state found: .*the kernel is asymmetric: a bump travels/);
  });
});

describe('the linearisation about a pinned bump: a gain map f′(u*(x)) under a symmetric kernel', () => {
  it('is out of equilibrium: σ > 0 although the kernel is symmetric', () => {
    const t = pinnedLinearisation().theory!;
    expect(t.equilibrium).toBe(false);
    expect(t.eprContinuous).toBeGreaterThan(1);
    expect(t.eprDiscrete).toBeGreaterThan(t.eprContinuous);
    expect(t.eprDiscrete - t.eprContinuous).toBeLessThan(0.05 * t.eprContinuous);
  });

  it('its per-cell split sums to σ_dt and lies at the bump’s edge', () => {
    const lin = pinnedLinearisation();
    const local = lin.local!;
    const total = local.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(lin.theory!.eprDiscrete, 8);
    const { inBand, bandCells } = edgeBand(lin.state.u, local);
    expect(bandCells / 256).toBeLessThan(0.3);
    expect(inBand / total).toBeGreaterThan(0.7);
  });
});

describe('the per-cell split of the chain’s rate (localRate)', () => {
  it('sums to the Fourier σ_dt of a uniform shifted linear field', () => {
    const config = smallLinear({ kernel: shiftedGaussian });
    const local = localRate(config, new Float64Array(64).fill(0.8))!;
    expect(local.reduce((a, b) => a + b, 0)).toBeCloseTo(fourierTheory(config).eprDiscrete!, 10);
    // Translation invariance: every cell the same.
    for (const v of local) expect(v).toBeCloseTo(local[0], 10);
  });

  it('vanishes in every cell for a symmetric kernel and uniform gain', () => {
    const local = localRate(smallLinear(), new Float64Array(64).fill(0.8))!;
    for (const v of local) expect(Math.abs(v)).toBeLessThan(1e-10);
  });
});
