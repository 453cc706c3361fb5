import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inverse, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { fillNormalPairs, philoxKey } from '../../src/rng/philox.js';
import { captureConsole } from '../cli/console.js';

/**
 * The CPU engine and the theory against the discrete system of docs/model.md
 * §2–§3, §5 and §7 written out independently of src/: dense N×N coupling and
 * noise-filter matrices built from the kernel formulas cell pair by cell pair
 * (minimum-image displacement on each side of the torus, or along the ring),
 * the Philox normals of each (cell, step, replica), and the Euler–Maruyama
 * recursion as a plain matrix–vector loop; the entropy-production rates from
 * the chain's covariance, solved densely (Smith's doubling) rather than mode
 * by mode. Grids: sizes that are not powers of two, a rectangle with Δx ≠ Δy,
 * and a ring.
 */
interface DenseSystem {
  N: number;
  /** The coupling K and the noise filter G (G = 0 for white noise). */
  K: Float64Array;
  G: Float64Array;
  /** The cell area a: Δx·Δy, or Δx on a ring. */
  area: number;
}

function denseSystem(input: ConfigInput): DenseSystem {
  const c = parseConfig(input);
  const ring = c.grid.dimensions === 1;
  const [nx, ny] = typeof c.grid.n === 'number' ? (ring ? [c.grid.n, 1] : [c.grid.n, c.grid.n]) : c.grid.n;
  const [lx, ly] = typeof c.grid.length === 'number' ? [c.grid.length, c.grid.length] : c.grid.length;
  const dx = lx / nx;
  const dy = ring ? 0 : ly / ny;
  const area = ring ? dx : dx * dy;
  const N = nx * ny;
  const k = c.kernel;
  if (k.type !== 'gaussian') throw new Error('the reference covers Gaussian kernels');
  const [sx, sy] = typeof k.shift === 'number' ? [k.shift, 0] : k.shift;
  const reach = k.radius ?? Math.hypot(sx, sy) + 4 * k.sigma;
  const lambda = c.noise.correlationLength;
  const noiseReach = (4 * lambda) / Math.SQRT2;
  // Minimum image of a cell offset on a side of m cells.
  const wrap = (d: number, m: number) => ((((d + Math.floor(m / 2)) % m) + m) % m) - Math.floor(m / 2);
  const within = (mx: number, my: number, r: number) =>
    Math.abs(mx) <= Math.ceil(r / dx) && (ring ? my === 0 : Math.abs(my) <= Math.ceil(r / dy));
  const K = new Float64Array(N * N);
  const G = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const mx = wrap((i % nx) - (j % nx), nx);
      const my = wrap(Math.floor(i / nx) - Math.floor(j / nx), ny);
      const [x, y] = [mx * dx - sx, ring ? 0 : my * dy - sy];
      if (within(mx, my, reach)) {
        const norm = ring ? Math.sqrt(2 * Math.PI) * k.sigma : 2 * Math.PI * k.sigma ** 2;
        K[i * N + j] = (area * k.amplitude * Math.exp(-(x * x + y * y) / (2 * k.sigma ** 2))) / norm;
      }
      if (lambda > 0 && within(mx, my, noiseReach)) {
        const norm = ring ? Math.sqrt(Math.PI) * lambda : Math.PI * lambda ** 2;
        G[i * N + j] = (area * Math.exp(-((mx * dx) ** 2 + (ring ? 0 : (my * dy) ** 2)) / lambda ** 2)) / norm;
      }
    }
  }
  return { N, K, G, area };
}

function denseField(input: ConfigInput, steps: number, replicas: number): Float64Array {
  const c = parseConfig(input);
  if (c.transfer.type !== 'linear') throw new Error('the reference covers linear fields');
  const { N, K, G, area } = denseSystem(input);
  const slope = c.transfer.slope as number;
  const lambda = c.noise.correlationLength;
  const w = c.noise.whiteFraction;
  const scale = Math.sqrt((2 * (c.noise.amplitude as number) * c.dt) / area);
  const key = philoxKey(c.seed);
  const out = new Float64Array(replicas * N);
  const xi = new Float64Array(N);
  const floor = new Float64Array(N);
  for (let r = 0; r < replicas; r++) {
    let u = new Float64Array(N);
    for (let s = 0; s < steps; s++) {
      fillNormalPairs(xi, floor, s, r, 0, key);
      const next = new Float64Array(N);
      for (let i = 0; i < N; i++) {
        let conv = 0;
        let shaped = 0;
        for (let j = 0; j < N; j++) {
          conv += K[i * N + j] * slope * u[j];
          shaped += G[i * N + j] * xi[j];
        }
        const noise = lambda > 0 ? Math.sqrt(1 - w) * shaped + Math.sqrt(w) * floor[i] : xi[i];
        next[i] = u[i] + (c.dt * (-u[i] + conv + (c.input as number))) / c.tau + scale * noise;
      }
      u = next;
    }
    out.set(u, r * N);
  }
  return out;
}

// ml-matrix's instance add/sub/mul mutate; these return new matrices.
const plus = (a: Matrix, b: Matrix) => Matrix.add(a, b);
const minus = (a: Matrix, b: Matrix) => Matrix.sub(a, b);
const times = (a: Matrix, v: number) => Matrix.mul(a, v);
const product = (...ms: Matrix[]) => ms.reduce((a, b) => a.mmul(b));

/** C = M C Mᵀ + Q by Smith's doubling (ρ(M) < 1). */
function steadyCovariance(M: Matrix, Q: Matrix): Matrix {
  let C = Q;
  let P = M;
  for (let k = 0; k < 60 && P.norm('frobenius') > 1e-18; k++) {
    C = plus(C, product(P, C, P.transpose()));
    P = P.mmul(P);
  }
  return C;
}

/**
 * The rates of docs/model.md §5 for the linear chain, densely: A = (I − K·slope)/τ,
 * 𝒟 = (D/a)·((1 − w) G Gᵀ + w I) (white noise: (D/a) I).
 * σ_dt = [½ Tr(Q⁻¹((I−M²) C (I−M²)ᵀ + M Q Mᵀ)) − N/2]/dt with M = I − dt A, Q = 2 dt 𝒟, C = M C Mᵀ + Q;
 * σ = Tr(Aᵀ 𝒟⁻¹ A C) − Tr A with A C + C Aᵀ = 2𝒟, solved by its Cayley transform.
 */
function denseRates(input: ConfigInput): { eprDiscrete: number; eprContinuous: number } {
  const c = parseConfig(input);
  const { N, K, G, area } = denseSystem(input);
  const slope = (c.transfer as { slope: number }).slope;
  const I = Matrix.eye(N);
  const A = times(minus(I, times(Matrix.from1DArray(N, N, K), slope)), 1 / c.tau);
  const D = c.noise.amplitude as number;
  const lambda = c.noise.correlationLength;
  const w = c.noise.whiteFraction;
  const Gm = Matrix.from1DArray(N, N, G);
  const shape = lambda > 0 ? plus(times(product(Gm, Gm.transpose()), 1 - w), times(I, w)) : I;
  const diffusion = times(shape, D / area);
  const dt = c.dt;
  const M = minus(I, times(A, dt));
  const Q = times(diffusion, 2 * dt);
  const C = steadyCovariance(M, Q);
  const M2 = minus(I, M.mmul(M));
  const inner = plus(product(M2, C, M2.transpose()), product(M, Q, M.transpose()));
  const eprDiscrete = (0.5 * inverse(Q).mmul(inner).trace() - N / 2) / dt;
  // Cayley: with B = (I + hA)⁻¹, C = (B(I − hA)) C (B(I − hA))ᵀ + B (4h𝒟) Bᵀ.
  const h = 0.5;
  const B = inverse(plus(I, times(A, h)));
  const Mc = B.mmul(minus(I, times(A, h)));
  const Cc = steadyCovariance(Mc, product(B, times(diffusion, 4 * h), B.transpose()));
  const eprContinuous = product(A.transpose(), inverse(diffusion), A, Cc).trace() - A.trace();
  return { eprDiscrete, eprContinuous };
}

const base: ConfigInput = {
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1.1, shift: [1.3, -0.6], radius: 4.5 },
  input: 0.1,
  noise: { amplitude: 0.05 },
  dt: 0.05,
  seed: 12345,
};

const correlated = { amplitude: 0.05, correlationLength: 1.2, whiteFraction: 0.2 };

/** The grids of issue 12: odd and even non-powers of two, a rectangle with Δx ≠ Δy, and a ring. */
const grids: [string, ConfigInput][] = [
  ['12²', { ...base, grid: { n: 12, length: 12 } }],
  ['13²', { ...base, grid: { n: 13, length: 13 } }],
  ['20²', { ...base, grid: { n: 20, length: 16 } }],
  ['a 24 × 10 rectangle', { ...base, grid: { n: [24, 10], length: [18, 10] }, kernel: { ...base.kernel, radius: 3.5 } }],
  [
    'a 64-cell ring',
    { ...base, grid: { n: 64, length: 32, dimensions: 1 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 1.1, shift: 0.9 } },
  ],
];

describe('CPU engine against an independent dense Philox/Euler–Maruyama computation', () => {
  it.each([
    ['16², white noise', base],
    ['16², correlated noise with a white floor', { ...base, noise: correlated }],
    ...grids.map(([name, input]): [string, ConfigInput] => [`${name}, white noise`, input]),
    ...grids.map(([name, input]): [string, ConfigInput] => [`${name}, correlated noise`, { ...input, noise: correlated }]),
  ])('%s: the field after 300 steps from zero agrees to 1e-9', async (_name, input) => {
    const engine = new CpuEngine(parseConfig(input), 2);
    await engine.advance(300);
    const got = await engine.readField();
    const want = denseField(input, 300, 2);
    let scale = 0;
    for (const v of want) scale = Math.max(scale, Math.abs(v));
    expect(scale).toBeGreaterThan(0);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-9 * scale);
  });
});

describe('`theory --json` against the dense rates of the same chain', () => {
  const printed = captureConsole();
  const folder = mkdtempSync(join(tmpdir(), 'amari-ep-dense-'));
  it.each([
    ...grids,
    ['a 24 × 10 rectangle, correlated noise', { ...grids[3][1], noise: correlated }],
    ['a 64-cell ring, correlated noise', { ...grids[4][1], noise: correlated }],
  ])('%s: σ and σ_dt agree to 1e-6', async (name, input) => {
    const file = join(folder, `${name.replace(/\W+/g, '-')}.json`);
    writeFileSync(file, JSON.stringify(input));
    expect(await main(['theory', '--config', file, '--json'])).toBe(0);
    const report = JSON.parse(printed.out.join('\n'));
    const dense = denseRates(input);
    // The shifted kernel is irreversible: the rates are well away from 0, so relative agreement means something.
    expect(dense.eprDiscrete).toBeGreaterThan(1e-3);
    expect(Math.abs(report.eprDiscrete - dense.eprDiscrete)).toBeLessThan(1e-6 * dense.eprDiscrete);
    expect(Math.abs(report.eprContinuous - dense.eprContinuous)).toBeLessThan(1e-6 * dense.eprContinuous);
  });
});
