import { EigenvalueDecomposition, Matrix, inverse, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { kernelValue } from '../../src/model/kernels.js';
import { denseTheory } from '../../src/theory/dense.js';
import { fourierTheory } from '../../src/theory/fourier.js';
import { linearTheory } from '../../src/theory/linear.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

/**
 * Everything below is built here from docs/model.md §2 and §8 directly (the
 * kernel sampled cell by cell, the stripe by its coordinates), not from the
 * project's stencils, circulants or maps.
 */
function kernelMatrix(config: Config): Matrix {
  const n = config.grid.n as number;
  const dx = (config.grid.length as number) / n;
  const rc = 4; // ceil((|s| + 4σ)/Δx) for σ = 1, s = 0, Δx = 1
  const K = Matrix.zeros(n * n, n * n);
  const wrap = (d: number) => ((d + n / 2 + n) % n) - n / 2; // into [−n/2, n/2)
  for (let i = 0; i < n * n; i++) {
    for (let j = 0; j < n * n; j++) {
      const mx = wrap((i % n) - (j % n));
      const my = wrap(Math.floor(i / n) - Math.floor(j / n));
      if (Math.abs(mx) <= rc && Math.abs(my) <= rc) K.set(i, j, dx * dx * kernelValue(config.kernel, mx * dx, my * dx));
    }
  }
  return K;
}

/** The noise-stripe config of the Done-when statement: symmetric kernel, D = 0.2 on 6 ≤ x < 10, 0.01 elsewhere, 16². */
const stripeInput: ConfigInput = {
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] },
  input: 0.1,
  noise: { amplitude: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.2, outside: 0.01 } },
  dt: 0.05,
  seed: 1,
  initial: { type: 'fixed-point' },
};

describe('dense theory with maps (docs/model.md §8)', () => {
  it('a symmetric kernel with a noise stripe on 16²: σ, σ_dt and the variance equal an independent eigenbasis computation', () => {
    const config = parseConfig(stripeInput);
    const t = denseTheory(config);
    const n = 16;
    const N = n * n;
    const { dt, tau } = config;
    const D = Array.from({ length: N }, (_, i) => (i % n >= 6 && i % n < 10 ? 0.2 : 0.01));
    const A = Matrix.sub(Matrix.eye(N), Matrix.mul(kernelMatrix(config), 0.8)).div(tau);
    const Dm = Matrix.diag(D); // Δx² = 1
    // A is symmetric: A = V Λ Vᵀ with V orthogonal.
    const eig = new EigenvalueDecomposition(A, { assumeSymmetric: true });
    const V = eig.eigenvectorMatrix;
    const lambda = eig.realEigenvalues;
    const inBasis = (X: Matrix, f: (i: number, j: number) => number) => {
      const hat = V.transpose().mmul(X).mmul(V);
      for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) hat.set(i, j, hat.get(i, j) * f(i, j));
      return V.mmul(hat).mmul(V.transpose());
    };
    // Chain: C = M C Mᵀ + Q, μ = 1 − dt λ; continuous: A C + C A = 2𝒟.
    const Q = Matrix.mul(Dm, 2 * dt);
    const mu = lambda.map((l) => 1 - dt * l);
    const Cd = inBasis(Q, (i, j) => 1 / (1 - mu[i] * mu[j]));
    const Cc = inBasis(Matrix.mul(Dm, 2), (i, j) => 1 / (lambda[i] + lambda[j]));
    // σ_dt from the relative entropy of the forward and reversed joint laws of (u_n, u_{n+1}).
    const M = Matrix.sub(Matrix.eye(N), Matrix.mul(A, dt));
    const MC = M.mmul(Cd);
    const joint = (off: Matrix) => {
      const S = Matrix.zeros(2 * N, 2 * N);
      S.setSubMatrix(Cd, 0, 0);
      S.setSubMatrix(Cd, N, N);
      S.setSubMatrix(off.transpose(), 0, N);
      S.setSubMatrix(off, N, 0);
      return S;
    };
    const forward = joint(MC);
    const reversed = joint(MC.transpose());
    const eprDiscrete = (0.5 * solve(reversed, forward).trace() - N) / dt;
    // σ from the irreversible drift A − 𝒟C⁻¹: σ = Tr((A − 𝒟C⁻¹)ᵀ 𝒟⁻¹ (A − 𝒟C⁻¹) C).
    const irr = Matrix.sub(A, Dm.mmul(inverse(Cc)));
    const eprContinuous = irr.transpose().mmul(inverse(Dm)).mmul(irr).mmul(Cc).trace();

    expect(eprDiscrete).toBeGreaterThan(1);
    expect(rel(t.eprDiscrete!, eprDiscrete)).toBeLessThan(1e-6);
    expect(rel(t.eprContinuous!, eprContinuous)).toBeLessThan(1e-6);
    expect(rel(t.cellVariance!, Cd.trace() / N)).toBeLessThan(1e-6);
    expect(t.equilibrium).toBe(false);
    expect(t.stability.discrete.stable).toBe(true);
    expect(t.stability.discrete.spectralRadius).toBeCloseTo(Math.max(...mu.map(Math.abs)), 3);

    // The local density: the stationary mean of s_i(n)/dt, from its derivation
    // E[(F + F′)Δᵀ] = dt·A(I + M)C Aᵀ − A Q, and Σ_i σ_i = σ_dt.
    const Qinv = inverse(Q);
    const IpM = Matrix.add(Matrix.eye(N), M);
    const first = Qinv.mmul(A).mmul(IpM).mmul(Cd).mmul(A.transpose());
    const second = Qinv.mmul(A).mmul(Q);
    const local = t.localDiscrete!;
    let total = 0;
    for (let i = 0; i < N; i++) {
      expect(local[i]).toBeCloseTo(dt * first.get(i, i) - second.get(i, i), 9);
      total += local[i];
    }
    expect(rel(total, t.eprDiscrete!)).toBeLessThan(1e-12);
    // Entropy is produced in the quiet cells beside the stripe's edges (x = 5 and x = 10), not inside it nor far away.
    const column = (x: number) => local[8 * n + x];
    expect(column(5)).toBeGreaterThan(20 * (Math.abs(column(8)) + Math.abs(column(1))));
    expect(column(10)).toBeCloseTo(column(5), 12);
  });

  it('the same kernel with uniform noise is an equilibrium: σ = 0', () => {
    const t = denseTheory(parseConfig({ ...stripeInput, noise: { amplitude: 0.05 } }));
    expect(t.equilibrium).toBe(true);
    expect(t.equilibriumResidual).toBe(0);
    expect(Math.abs(t.eprDiscrete!)).toBeLessThan(1e-12);
    expect(Math.abs(t.eprContinuous!)).toBeLessThan(1e-12);
  });

  /** Symmetric kernel, gain g on a disc (0.9 inside, 0.5 outside), the noise D = 0.01/g. */
  const balanced = (noise: ConfigInput['noise']) =>
    parseConfig({
      ...stripeInput,
      input: 0,
      transfer: { type: 'linear', slope: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.9, outside: 0.5 } },
      noise,
    });

  it('a gain map g with noise D ∝ 1/g is an equilibrium although K·diag(g) is not symmetric; with uniform noise it is not', () => {
    const t = denseTheory(balanced({ amplitude: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.01 / 0.9, outside: 0.01 / 0.5 } }));
    expect(t.equilibrium).toBe(true);
    expect(t.equilibriumResidual).toBeLessThan(1e-14);
    expect(Math.abs(t.eprDiscrete!)).toBeLessThan(1e-12);
    expect(Math.abs(t.eprContinuous!)).toBeLessThan(1e-12);
    for (const v of t.localDiscrete!) expect(Math.abs(v)).toBeLessThan(1e-13);
    const u = denseTheory(balanced({ amplitude: 0.02 }));
    expect(u.equilibrium).toBe(false);
    expect(u.equilibriumResidual).toBeGreaterThan(0.01);
    expect(u.eprDiscrete!).toBeGreaterThan(0.01);
    expect(u.eprContinuous!).toBeGreaterThan(0.01);
  });

  it('general case on 8² (shifted kernel, slope and noise maps, correlated noise with a floor): §5’s σ_dt formula, with C by plain iteration', () => {
    const config = parseConfig({
      grid: { n: 8, length: 8 },
      tau: 1,
      transfer: { type: 'linear', slope: { pattern: 'bump', center: [3, 4], sigma: 1.5, base: 0.5, peak: 0.9 } },
      kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [1.2, 0.4], radius: 3 },
      input: 0.1,
      noise: { amplitude: { pattern: 'tilt', axis: 'y', base: 0.02, rate: 0.2 }, correlationLength: 1, whiteFraction: 0.2 },
      dt: 0.1,
      seed: 3,
    });
    const t = denseTheory(config);
    const n = 8;
    const N = n * n;
    const dt = config.dt;
    const slope = Array.from({ length: N }, (_, i) => {
      const dx = ((i % n) - 3 + 4 + 8) % 8 - 4;
      const dy = Math.floor(i / n) - 4;
      return 0.5 + 0.4 * Math.exp(-(dx * dx + dy * dy) / (2 * 1.5 * 1.5));
    });
    const D = Array.from({ length: N }, (_, i) => 0.02 * Math.exp(0.2 * Math.floor(i / n)));
    // K and G sampled cell by cell (radius 3 for the kernel; ceil(4·(1/√2)/1) = 3 for the noise filter).
    const wrap = (d: number) => ((d + n / 2 + n) % n) - n / 2;
    const K = Matrix.zeros(N, N);
    const G = Matrix.zeros(N, N);
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const mx = wrap((i % n) - (j % n));
        const my = wrap(Math.floor(i / n) - Math.floor(j / n));
        if (Math.abs(mx) <= 3 && Math.abs(my) <= 3) {
          K.set(i, j, kernelValue(config.kernel, mx, my));
          G.set(i, j, Math.exp(-(mx * mx + my * my)) / Math.PI);
        }
      }
    }
    const A = Matrix.sub(Matrix.eye(N), K.mmul(Matrix.diag(slope)));
    const P = Matrix.add(Matrix.mul(G.mmul(G.transpose()), 0.8), Matrix.mul(Matrix.eye(N), 0.2));
    const root = Matrix.diag(D.map(Math.sqrt));
    const Q = Matrix.mul(root.mmul(P).mmul(root), 2 * dt);
    const M = Matrix.sub(Matrix.eye(N), Matrix.mul(A, dt));
    // C = Σ_k M^k Q M^kᵀ, summed term by term.
    let C = Q.clone();
    let term = Q.clone();
    for (let k = 0; k < 20000 && term.norm() > 1e-18 * C.norm(); k++) {
      term = M.mmul(term).mmul(M.transpose());
      C = Matrix.add(C, term);
    }
    const B = Matrix.sub(Matrix.eye(N), M.mmul(M));
    const inner = Matrix.add(B.mmul(C).mmul(B.transpose()), M.mmul(Q).mmul(M.transpose()));
    const eprDiscrete = (0.5 * inverse(Q).mmul(inner).trace() - N / 2) / dt;
    expect(eprDiscrete).toBeGreaterThan(0.1);
    expect(rel(t.eprDiscrete!, eprDiscrete)).toBeLessThan(1e-8);
    expect(rel(t.cellVariance!, C.trace() / N)).toBeLessThan(1e-9);
    const AD = A.mmul(Matrix.div(Q, 2 * dt));
    expect(t.equilibriumResidual).toBeCloseTo(Matrix.sub(AD, AD.transpose()).norm() / AD.norm(), 12);
    // σ ≤ σ_dt here, and both vanish only in equilibrium.
    expect(t.eprContinuous!).toBeGreaterThan(0);
    expect(t.eprContinuous!).toBeLessThan(t.eprDiscrete!);
  });

  it('uniform configs: the dense theory with the Fourier one, residual and equilibrium included', () => {
    const config = parseConfig({ ...stripeInput, grid: { n: 8, length: 8 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [1.2, 0.4], radius: 3 }, noise: { amplitude: 0.05 } });
    const f = fourierTheory(config);
    const d = denseTheory(config);
    expect(rel(f.eprDiscrete!, d.eprDiscrete!)).toBeLessThan(1e-10);
    expect(rel(f.eprContinuous!, d.eprContinuous!)).toBeLessThan(1e-10);
    expect(d.equilibrium).toBe(false);
    // The Fourier residual from the modes equals the dense one, white and correlated noise.
    for (const c of [config, parseConfig({ ...config, noise: { amplitude: 0.05, correlationLength: 1, whiteFraction: 0.2 } })]) {
      const l = linearTheory(c);
      expect(l.method).toBe('fourier');
      expect(l.equilibrium).toBe(false);
      expect(rel(l.equilibriumResidual, denseTheory(c).equilibriumResidual)).toBeLessThan(1e-10);
    }
    // An input map keeps the Fourier theory: it only moves the fixed point.
    const withInput = linearTheory(parseConfig({ ...config, input: { pattern: 'tilt', axis: 'x', base: 0.1, rate: 0.1 } }));
    expect(withInput.method).toBe('fourier');
    expect(withInput.eprDiscrete).toBe(f.eprDiscrete);
  });

  it('reports instability instead of rates: a slope map that is too steep, a dt too coarse', () => {
    const steep = denseTheory(parseConfig({ ...stripeInput, transfer: { type: 'linear', slope: { pattern: 'stripe', axis: 'x', center: 8, width: 8, inside: 1.5, outside: 1.05 } } }));
    expect(steep.stability.continuous.stable).toBe(false);
    expect(steep.stability.discrete.stable).toBe(false);
    expect(steep.eprContinuous).toBeNull();
    expect(steep.eprDiscrete).toBeNull();
    expect(steep.stability.discrete.spectralRadius).toBeGreaterThan(1);
    const coarse = denseTheory(parseConfig({ ...stripeInput, dt: 2.5 }));
    expect(coarse.stability.continuous.stable).toBe(true);
    expect(coarse.eprContinuous).not.toBeNull();
    expect(coarse.stability.discrete.stable).toBe(false);
    expect(coarse.eprDiscrete).toBeNull();
  });

  it('says why there is none beyond 32²', () => {
    expect(() => denseTheory(parseConfig({ ...stripeInput, grid: { n: 64, length: 64 } }))).toThrow(
      /the dense theory of maps needs at most 1024 cells \(32²; got 64², 4096\)/,
    );
  });
});
