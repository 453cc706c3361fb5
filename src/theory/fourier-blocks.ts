import { fieldValues, type MappedField } from '../config/maps.js';
import { describeGrid, gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { kernelStencil } from '../model/kernels.js';
import { noisePower } from '../model/noise-spectrum.js';
import { cinvert, cmul, cmulHermitian, cpowersVanish, csteinSolve, spectralRadius, type CMatrix } from '../numeric/complex-dense.js';
import { DENSE_MAX_CELLS, EQUILIBRIUM_TOLERANCE, type DenseStability, type DenseTheory } from './dense.js';
import { linearSlope, TheoryNotApplicable } from './modes.js';

/**
 * The exact linear theory of maps that vary along one axis only (docs/model.md §5
 * and §8): a noise-amplitude or slope map that is constant along y (a stripe or a
 * tilt along x, a file that happens to be, or a uniform value) keeps the field
 * translation invariant along y, so a Fourier transform along y splits the N×N
 * problem (N = n²) into n independent n×n blocks, one per wave number q:
 *
 *   (K_q)_{x,x'} = Σ_{my} W[x − x' (periodic), my]·e^{−2πi q my/n},   A_q = (I − K_q·diag(g))/τ
 *   𝒟_q = diag(√D)·P_q·diag(√D)/a,   (P_q)_{x,x'} = (1/n) Σ_p P(p, q)·e^{2πi p (x − x')/n}
 *
 * with P(p, q) the noise spectrum (1 − w)|Ĝ|² + w of docs/model.md §2 (1 for white
 * noise), i.e. (1 − w)|Ĝ_y(q)|² G_x G_xᵀ + w I for the separable filter G = G_x ⊗ G_y.
 * In the unitary basis e_x ⊗ e^{2πi q y/n}/√n, A = ⊕_q A_q, 𝒟 = ⊕_q 𝒟_q and Aᵀ = ⊕_q A_qᴴ,
 * so each block is an independent complex Gaussian chain and every trace of
 * src/theory/dense.ts is a sum over blocks:
 *
 *   C_q = M_q C_q M_qᴴ + Q_q   (M_q = I − dt A_q, Q_q = 2 dt 𝒟_q; Hermitian)
 *   σ_dt = Σ_q −½ Tr(𝒟_q⁻¹ A_q X_q),  X_q = A_q C_q − C_q A_qᴴ
 *   σ likewise with the continuous C_q (A_q C_q + C_q A_qᴴ = 2𝒟_q, through the Cayley transform)
 *   variance per cell = (1/N) Σ_q Tr C_q
 *   ‖A𝒟 − 𝒟Aᵀ‖_F² = Σ_q ‖A_q𝒟_q − 𝒟_q A_qᴴ‖_F²,   ‖A𝒟‖_F² = Σ_q ‖A_q𝒟_q‖_F²
 *
 * A real stencil makes block n − q the complex conjugate of block q: q = 0..n/2 are
 * solved and the others counted twice (as 2·Re). K_q is real when the stencil is
 * symmetric under my → −my (a kernel shifted along x alone, or not at all), and
 * always for q = 0 and n/2; real blocks take the real path, about a third of
 * the complex work. The per-cell local density −½(𝒟⁻¹AX)_ii is the same for the
 * cells of one column (translation invariance): (1/n) Σ_q −½(𝒟_q⁻¹ A_q X_q)_xx.
 * Maps that vary along y instead are handled with x and y exchanged.
 *
 * Each block's two Stein equations (the chain's, and the continuous one through
 * its Cayley transform) are solved by Smith's doubling after one inverse
 * (I + h_q A_q)⁻¹, the chain's in a Möbius-transformed form that needs 3 to 5
 * doublings where M itself needs 8 to 11 (solveBlock). At 256², 129 blocks of
 * 256×256: about 20 s of one core when the kernel is symmetric in y (real blocks),
 * about 70 s when it is not (complex blocks; bench/dense-theory.ts).
 */

/** The largest grid.n of the Fourier-block theory: n/2 + 1 blocks of n×n. */
export const FOURIER_BLOCKS_MAX_N = 256;

/** The maps that enter the rates (the input only moves the fixed point). */
const RATE_FIELDS: MappedField[] = ['noise.amplitude', 'transfer.slope'];

/**
 * The axis along which the config's noise-amplitude and slope maps vary: 'x' when
 * every one is constant along y (the values of a column are equal), 'y' when every
 * one is constant along x, undefined when some map varies along both or they vary
 * along different axes. Uniform fields (and maps with one value) go with either;
 * 'x' is preferred. The input map does not matter: it does not enter σ.
 */
export function mapAxis(config: Config): 'x' | 'y' | undefined {
  const { nx, ny } = gridOf(config);
  let alongX = true;
  let alongY = true;
  for (const field of RATE_FIELDS) {
    if (field === 'transfer.slope' && config.transfer.type !== 'linear') continue;
    const v = fieldValues(config, field);
    if (typeof v === 'number') continue;
    for (let iy = 1; iy < ny && alongX; iy++) for (let ix = 0; ix < nx; ix++) if (v[iy * nx + ix] !== v[ix]) { alongX = false; break; }
    for (let iy = 0; iy < ny && alongY; iy++) for (let ix = 1; ix < nx; ix++) if (v[iy * nx + ix] !== v[iy * nx]) { alongY = false; break; }
  }
  return alongX ? 'x' : alongY ? 'y' : undefined;
}

/** Why the Fourier-block theory does not cover this config, or undefined. */
export function fourierBlocksUnavailable(config: Config): string | undefined {
  const grid = gridOf(config);
  const n = grid.nx;
  // The blocks are written for n × n (one transform length across, one along).
  if (grid.dimensions === 1 || grid.nx !== grid.ny) {
    return `the Fourier-block theory of one-axis maps is written for square grids (got ${describeGrid(grid)}); its dense form covers up to ${DENSE_MAX_CELLS} cells`;
  }
  if (mapAxis(config) === undefined) {
    return 'the Fourier-block theory needs maps that vary along one axis only (all along x or all along y: stripes, tilts)';
  }
  if (n > FOURIER_BLOCKS_MAX_N) {
    return (
      `the Fourier-block theory of one-axis maps needs grid.n ≤ ${FOURIER_BLOCKS_MAX_N} (got ${n}): it solves n/2 + 1 = ${n / 2 + 1} ` +
      `blocks of ${n} × ${n}, each by dense products whose cost grows as n³ (at 256² about 20 s on one core, 70 s with a kernel shifted along the maps' constant axis)`
    );
  }
  return undefined;
}

export interface FourierBlocksTheory extends DenseTheory {
  stability: FourierBlocksStability;
  /** The axis the maps vary along; the blocks are Fourier modes along the other. */
  axis: 'x' | 'y';
  /** localDiscrete along the varying axis (n values; the cells across it share them). */
  profileDiscrete: Float64Array | null;
  /** Blocks solved (q = 0..n/2) and how many of them were real. */
  blocks: { solved: number; real: number };
}

/** What the blocks share: the maps along the varying axis, the folded stencil, the noise spectrum. */
interface Setup {
  n: number;
  tau: number;
  dt: number;
  area: number;
  slope: Float64Array;
  diffusion: Float64Array;
  /** folded[d·(2r+1) + (mt + r)] = Σ_{mv ≡ d (mod n)} W(mv, mt): the stencil wrapped along the varying axis. */
  folded: Float64Array;
  radius: number;
  cos: Float64Array;
  sin: Float64Array;
  /** P(pv, qt) and its inverse with pv along the varying axis; undefined for white noise. */
  power: ((pv: number, qt: number) => number) | undefined;
  inversePower: ((pv: number, qt: number) => number) | undefined;
  /** 1/max_i |A_ii| of the whole A (src/theory/dense.ts's Cayley step): a block's step where Gershgorin bounds nothing (blockStep). */
  cayleyStep: number;
}

/** cos and sin of 2πj/n, exact at multiples of π/2 and odd under j → n − j, so that conjugate blocks are exact conjugates. */
function trigTables(n: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let j = 0; j <= n / 2; j++) {
    let c = Math.cos((2 * Math.PI * j) / n);
    let s = Math.sin((2 * Math.PI * j) / n);
    if (4 * j === n) [c, s] = [0, 1];
    if (2 * j === n) [c, s] = [-1, 0];
    if (j === 0) [c, s] = [1, 0];
    cos[j] = c;
    sin[j] = s;
    if (j > 0 && j < n / 2) {
      cos[n - j] = c;
      sin[n - j] = -s;
    }
  }
  return { cos, sin };
}

function setupOf(config: Config, axis: 'x' | 'y'): Setup {
  const n = gridOf(config).nx; // square (fourierBlocksUnavailable)
  // Values along the varying axis: column ix of row 0, or row iy of column 0.
  const along = (field: MappedField): Float64Array => {
    const v = fieldValues(config, field);
    return Float64Array.from({ length: n }, (_, i) => (typeof v === 'number' ? v : axis === 'x' ? v[i] : v[i * n]));
  };
  const stencil = kernelStencil(config);
  const r = stencil.rx; // = ry on a square grid
  const size = stencil.sizeX;
  const W = (mv: number, mt: number) => (axis === 'x' ? stencil.weights[(mt + r) * size + (mv + r)] : stencil.weights[(mv + r) * size + (mt + r)]);
  const folded = new Float64Array(n * size);
  let k00 = 0;
  for (let mv = -r; mv <= r; mv++) {
    const d = ((mv % n) + n) % n;
    for (let mt = -r; mt <= r; mt++) {
      folded[d * size + mt + r] += W(mv, mt);
      if (d === 0 && ((mt % n) + n) % n === 0) k00 += W(mv, mt);
    }
  }
  const slope = along('transfer.slope');
  let maxDiag = 0;
  for (const g of slope) maxDiag = Math.max(maxDiag, Math.abs((1 - k00 * g) / config.tau));
  let power: Setup['power'];
  let inversePower: Setup['inversePower'];
  if (config.noise.correlationLength > 0) {
    const p = noisePower(config);
    const at = (pv: number, qt: number) => (axis === 'x' ? pv + n * qt : qt + n * pv);
    power = (pv, qt) => p[at(pv, qt)];
    inversePower = (pv, qt) => 1 / p[at(pv, qt)];
  }
  return {
    n,
    tau: config.tau,
    dt: config.dt,
    area: gridOf(config).area,
    slope,
    diffusion: along('noise.amplitude'),
    folded,
    radius: r,
    ...trigTables(n),
    power,
    inversePower,
    cayleyStep: 1 / maxDiag,
  };
}

/** A_q = (I − K_q·diag(g))/τ; real when K_q is (its odd part in mt vanishes). */
function driftBlock(s: Setup, q: number): CMatrix {
  const { n, folded, radius: r, cos, sin, slope, tau } = s;
  const size = 2 * r + 1;
  // K_q along the varying axis: k[d] = Σ_mt folded[d, mt]·e^{−2πi q mt/n}, the even part of mt for the real part, the odd part for the imaginary.
  const kre = new Float64Array(n);
  const kim = new Float64Array(n);
  for (let d = 0; d < n; d++) {
    let re = 0;
    let im = 0;
    for (let mt = -r; mt <= r; mt++) {
      const j = (((q * mt) % n) + n) % n;
      const a = folded[d * size + mt + r];
      const b = folded[d * size - mt + r];
      re += 0.5 * (a + b) * cos[j];
      im -= 0.5 * (a - b) * sin[j];
    }
    kre[d] = re;
    kim[d] = im;
  }
  const real = kim.every((v) => v === 0);
  const Are = new Float64Array(n * n);
  const Aim = real ? null : new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    for (let xp = 0; xp < n; xp++) {
      const d = (x - xp + n) % n;
      Are[x * n + xp] = ((x === xp ? 1 : 0) - kre[d] * slope[xp]) / tau;
      if (Aim) Aim[x * n + xp] = (-kim[d] * slope[xp]) / tau;
    }
  }
  return { re: Are, im: Aim };
}

/** 𝒟_q and 𝒟_q⁻¹ (real symmetric), or for white noise the diagonal of 𝒟 (the same for every q). */
interface NoiseBlock {
  diag: Float64Array | undefined;
  D: CMatrix;
  Dinv: CMatrix | undefined;
}

function noiseBlock(s: Setup, q: number): NoiseBlock {
  const { n, area, diffusion, cos } = s;
  if (!s.power) {
    const diag = Float64Array.from(diffusion, (v) => v / area);
    const D = new Float64Array(n * n);
    for (let x = 0; x < n; x++) D[x * n + x] = diag[x];
    return { diag, D: { re: D, im: null }, Dinv: undefined };
  }
  // The circulants along the varying axis with the spectra P(·, q) and 1/P(·, q) (even in p: real symmetric).
  const circ = (f: (pv: number, qt: number) => number) => {
    const c = new Float64Array(n);
    for (let d = 0; d < n; d++) {
      let v = 0;
      for (let p = 0; p < n; p++) v += f(p, q) * cos[(p * d) % n];
      c[d] = v / n;
    }
    return c;
  };
  const P = circ(s.power);
  const H = circ(s.inversePower!);
  const root = Float64Array.from(diffusion, Math.sqrt);
  const D = new Float64Array(n * n);
  const Dinv = new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    for (let xp = 0; xp < n; xp++) {
      const d = (x - xp + n) % n;
      D[x * n + xp] = (root[x] * P[d] * root[xp]) / area;
      Dinv[x * n + xp] = (area * H[d]) / (root[x] * root[xp]);
    }
  }
  return { diag: undefined, D: { re: D, im: null }, Dinv: { re: Dinv, im: null } };
}

/** −½ Re(𝒟⁻¹ A X)_xx with X = A C − C Aᴴ = AC − (AC)ᴴ, per x. */
function localRates(n: number, A: CMatrix, noise: NoiseBlock, C: CMatrix): Float64Array {
  const AC = cmul(A, C, n);
  const Y = noiseInverseTimes(n, A, noise);
  const local = new Float64Array(n);
  const ACr = AC.re;
  const ACi = AC.im;
  const Yi = Y.im;
  for (let x = 0; x < n; x++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      s += Y.re[x * n + j] * (ACr[j * n + x] - ACr[x * n + j]);
      if (Yi && ACi) s -= Yi[x * n + j] * (ACi[j * n + x] + ACi[x * n + j]);
    }
    local[x] = -0.5 * s;
  }
  return local;
}

/** The equilibrium residual's parts: ‖A_q𝒟_q − 𝒟_qA_qᴴ‖_F² and ‖A_q𝒟_q‖_F². */
function residualParts(n: number, A: CMatrix, noise: NoiseBlock): { num: number; den: number } {
  const Z = timesNoise(n, A, noise);
  let num = 0;
  let den = 0;
  for (let x = 0; x < n; x++) {
    for (let j = 0; j < n; j++) {
      const a = x * n + j;
      const b = j * n + x;
      const dr = Z.re[a] - Z.re[b];
      const di = Z.im ? Z.im[a] + Z.im[b] : 0;
      num += dr * dr + di * di;
      den += Z.re[a] * Z.re[a] + (Z.im ? Z.im[a] * Z.im[a] : 0);
    }
  }
  return { num, den };
}

/** M = I − dt·A. */
function stepMatrix(n: number, A: CMatrix, dt: number): CMatrix {
  const re = A.re.map((v) => -dt * v);
  for (let i = 0; i < n; i++) re[i * n + i] += 1;
  return { re, im: A.im ? A.im.map((v) => -dt * v) : null };
}

/** The Cayley transform (I + hA)⁻¹(I − hA) = 2(I + hA)⁻¹ − I and (I + hA)⁻¹, or null when I + hA is singular. */
function cayley(n: number, A: CMatrix, h: number): { Mc: CMatrix; Binv: CMatrix } | null {
  const re = A.re.map((v) => h * v);
  for (let i = 0; i < n; i++) re[i * n + i] += 1;
  let Binv: CMatrix;
  try {
    Binv = cinvert({ re, im: A.im ? A.im.map((v) => h * v) : null }, n);
  } catch {
    return null;
  }
  const Mre = Binv.re.map((v) => 2 * v);
  for (let i = 0; i < n; i++) Mre[i * n + i] -= 1;
  return { Mc: { re: Mre, im: Binv.im ? Binv.im.map((v) => 2 * v) : null }, Binv };
}

/** The chain's Möbius transform Md = (2 + dt/h) B⁻¹ − (1 + dt/h) I (see solveBlock). */
function mobius(n: number, Binv: CMatrix, h: number, dt: number): CMatrix {
  const Md = scaled(Binv, 2 + dt / h);
  for (let i = 0; i < n; i++) Md.re[i * n + i] -= 1 + dt / h;
  return Md;
}

/** B·𝒟 (𝒟 real; diagonal for white noise). */
function timesNoise(n: number, B: CMatrix, noise: NoiseBlock): CMatrix {
  if (!noise.diag) return cmul(B, noise.D, n);
  const d = noise.diag;
  const re = B.re.slice();
  const im = B.im ? B.im.slice() : null;
  for (let x = 0; x < n; x++) {
    for (let j = 0; j < n; j++) {
      re[x * n + j] *= d[j];
      if (im) im[x * n + j] *= d[j];
    }
  }
  return { re, im };
}

/** 𝒟⁻¹·A (𝒟 real; diagonal for white noise: row x divided by d_x). */
function noiseInverseTimes(n: number, A: CMatrix, noise: NoiseBlock): CMatrix {
  if (!noise.diag) return cmul(noise.Dinv!, A, n);
  const d = noise.diag;
  const re = A.re.slice();
  const im = A.im ? A.im.slice() : null;
  for (let x = 0; x < n; x++) {
    for (let j = 0; j < n; j++) {
      re[x * n + j] /= d[x];
      if (im) im[x * n + j] /= d[x];
    }
  }
  return { re, im };
}

const scaled = (A: CMatrix, f: number): CMatrix => ({ re: A.re.map((v) => f * v), im: A.im ? A.im.map((v) => f * v) : null });

function trace(n: number, A: CMatrix): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += A.re[i * n + i];
  return s;
}

/** Whether A is Hermitian (symmetric when real), exactly: a symmetric stencil along the varying axis with a uniform slope. */
function isHermitian(n: number, A: CMatrix): boolean {
  for (let x = 0; x < n; x++) {
    for (let j = x; j < n; j++) {
      if (A.re[x * n + j] !== A.re[j * n + x]) return false;
      if (A.im && A.im[x * n + j] !== -A.im[j * n + x]) return false;
    }
  }
  return true;
}

/**
 * The block's Cayley step: h = 1/√(λ₋λ₊) from Gershgorin's bounds λ₋ ≤ Re λ and
 * |λ| ≤ λ₊ on A_q's eigenvalues, which brings the slowest and the fastest modes
 * equally far inside the unit disc (for a real spectrum in [λ₋, λ₊] the radius is
 * (√κ − 1)/(√κ + 1), κ = λ₊/λ₋); `fallback` (1/max|A_ii|) when λ₋ ≤ 0. Any h > 0 gives
 * the same solution and the same stability: it sets how many doublings it takes.
 */
function blockStep(n: number, A: CMatrix, fallback: number): number {
  let lo = Infinity;
  let hi = 0;
  for (let x = 0; x < n; x++) {
    let radius = 0;
    for (let j = 0; j < n; j++) if (j !== x) radius += A.im ? Math.hypot(A.re[x * n + j], A.im[x * n + j]) : Math.abs(A.re[x * n + j]);
    const re = A.re[x * n + x];
    const im = A.im ? A.im[x * n + x] : 0;
    lo = Math.min(lo, re - radius);
    hi = Math.max(hi, Math.hypot(re, im) + radius);
  }
  return lo > 0 && hi > 0 ? 1 / Math.sqrt(lo * hi) : fallback;
}

/** The block's two stationary covariances from one inverse (see solveBlock), with the transformed radii. */
interface BlockSolution {
  discrete: { C: CMatrix | null; radius: number };
  continuous: { C: CMatrix | null; radius: number };
}

/**
 * A bound on the spectral radius of a block's M = I − dt·A from that of its
 * Möbius transform Md: μ = g(μ′) = (h + (h + dt)μ′)/((h + dt) + hμ′) maps the disc
 * |μ′| ≤ ρ′ onto the disc on the real diameter [g(−ρ′), g(ρ′)], so |μ| ≤ max |g(±ρ′)|
 * (exact for a real eigenvalue at either end; ρ′ itself is an estimate from powers).
 */
function impliedRadius(rho: number, h: number, dt: number): number {
  let worst = 0;
  for (const mu of [rho, -rho]) {
    const den = h + dt + h * mu;
    worst = Math.max(worst, den > 0 ? Math.abs(1 - (dt * (1 - mu)) / den) : Infinity);
  }
  return worst;
}

/**
 * Both Stein equations of a block through one inverse B⁻¹ = (I + hA)⁻¹:
 *
 *   continuous (Cayley):  C = Mc C Mcᴴ + 4h B⁻¹𝒟B⁻ᴴ,              Mc = 2B⁻¹ − I = B⁻¹(I − hA)
 *   chain (Möbius):       C = Md C Mdᴴ + (4h + 2dt) B⁻¹𝒟B⁻ᴴ,     Md = (2 + dt/h) B⁻¹ − (1 + dt/h) I = B⁻¹(I − (h + dt)A)
 *
 * The second is the chain's C = MCMᴴ + Q (M = I − dt·A, Q = 2dt𝒟) multiplied out as
 * E C Eᴴ − F C Fᴴ = 4κ Q with E = (1 + κ)I + (1 − κ)M = 2B, F = (1 − κ)I + (1 + κ)M,
 * κ = 1 + 2h/dt: the same solution, and Md = E⁻¹F has an eigenvalue inside the unit
 * disc exactly when M has (μ ↦ ((1 − κ) + (1 + κ)μ)/((1 + κ) + (1 − κ)μ) maps the disc onto
 * itself), but far from its edge: M's eigenvalues 1 − dt·λ crowd towards 1 as dt·λ → 0,
 * Md's are (1 − (h + dt)λ)/(1 + hλ), so Smith's doubling needs 3 to 5 steps instead of 8 to 11.
 */
function solveBlock(n: number, A: CMatrix, noise: NoiseBlock, h: number, dt: number): BlockSolution | null {
  const c = cayley(n, A, h);
  if (!c) return null;
  // A Hermitian A makes B⁻¹, Mc and Md Hermitian: their squares take the half product.
  const hermitian = isHermitian(n, A);
  const BDB = cmulHermitian(timesNoise(n, c.Binv, noise), c.Binv, n);
  const d = csteinSolve(mobius(n, c.Binv, h, dt), scaled(BDB, 4 * h + 2 * dt), n, hermitian);
  const cont = csteinSolve(c.Mc, scaled(BDB, 4 * h), n, hermitian);
  return { discrete: { C: d.C, radius: d.spectralRadius }, continuous: { C: cont.C, radius: cont.spectralRadius } };
}

/**
 * Stability of the blocks. The decisions are exact (each block's transformed powers
 * vanish iff its eigenvalues are inside); each block takes its own Cayley step h_q
 * (blockStep), and the radii are estimated from powers, to about 3 digits.
 */
export interface FourierBlocksStability extends DenseStability {
  continuous: {
    stable: boolean;
    /** The largest spectral radius of the blocks' Cayley transforms (I + h_q A_q)⁻¹(I − h_q A_q) (stable iff < 1). */
    cayleyRadius: number;
    /** The step h_q of the block with that radius. */
    cayleyStep: number;
  };
  discrete: {
    stable: boolean;
    /**
     * The spectral radius of M = I − dt·A, from the powers of the blocks' M_q
     * whose Möbius transforms imply the largest (see chainRadius).
     */
    spectralRadius: number;
    /** The largest spectral radius of the blocks' Möbius transforms Md (stable iff < 1), whose powers the solver takes. */
    transformedRadius: number;
  };
}

/**
 * The Fourier-block theory of a linear config whose noise-amplitude and slope
 * maps vary along one axis only (see the header): the same quantities as
 * src/theory/dense.ts's denseTheory, to rounding, for grids up to 256².
 */
export function fourierBlocksTheory(config: Config): FourierBlocksTheory {
  // Nonlinear transfers have no closed form: linearSlope refuses them with the reason.
  if (config.transfer.type !== 'linear') linearSlope(config);
  const why = fourierBlocksUnavailable(config);
  if (why) throw new TheoryNotApplicable(why);
  const axis = mapAxis(config)!;
  const s = setupOf(config, axis);
  const { n, dt } = s;
  let num = 0;
  let den = 0;
  let discreteStable = true;
  let transformedRadius = 0;
  const bounds: { q: number; bound: number }[] = [];
  let continuousStable = true;
  let continuousRadius = 0;
  let cayleyStep = s.cayleyStep;
  let eprContinuous = 0;
  let traceC = 0;
  const profile = new Float64Array(n);
  let real = 0;
  for (let q = 0; q <= n / 2; q++) {
    // Block n − q is the conjugate of block q: its traces are the conjugates.
    const weight = q === 0 || 2 * q === n ? 1 : 2;
    const A = driftBlock(s, q);
    if (!A.im) real++;
    const noise = noiseBlock(s, q);
    const r = residualParts(n, A, noise);
    num += weight * r.num;
    den += weight * r.den;
    const h = blockStep(n, A, s.cayleyStep);
    const solved = solveBlock(n, A, noise, h, dt);
    // I + hA singular: an eigenvalue −1/h of A, unstable in both senses.
    const discreteRadius = solved ? solved.discrete.radius : Infinity;
    const cayleyRadius = solved ? solved.continuous.radius : Infinity;
    transformedRadius = Math.max(transformedRadius, discreteRadius);
    bounds.push({ q, bound: impliedRadius(discreteRadius, h, dt) });
    if (cayleyRadius > continuousRadius) {
      continuousRadius = cayleyRadius;
      cayleyStep = h;
    }
    if (!solved?.discrete.C) discreteStable = false;
    if (!solved?.continuous.C) continuousStable = false;
    if (discreteStable && solved?.discrete.C) {
      const local = localRates(n, A, noise, solved.discrete.C);
      for (let x = 0; x < n; x++) profile[x] += weight * local[x];
      traceC += weight * trace(n, solved.discrete.C);
    }
    if (continuousStable && solved?.continuous.C) {
      const local = localRates(n, A, noise, solved.continuous.C);
      for (let x = 0; x < n; x++) eprContinuous += weight * local[x];
    }
  }
  const residual = den > 0 ? Math.sqrt(num / den) : 0;
  const okC = continuousStable;
  const okD = okC && discreteStable;
  let eprDiscrete = 0;
  for (let x = 0; x < n; x++) eprDiscrete += profile[x];
  // Per cell: (1/n) Σ_q of the block's diagonal, the same across the varying axis's columns.
  for (let x = 0; x < n; x++) profile[x] /= n;
  let localDiscrete: Float64Array | null = null;
  if (okD) {
    localDiscrete = new Float64Array(n * n);
    for (let iy = 0; iy < n; iy++) for (let ix = 0; ix < n; ix++) localDiscrete[iy * n + ix] = profile[axis === 'x' ? ix : iy];
  }
  const area = gridOf(config).domain;
  const stability: FourierBlocksStability = {
    continuous: { stable: okC, cayleyRadius: continuousRadius, cayleyStep },
    discrete: { stable: discreteStable, spectralRadius: chainRadius(s, bounds), transformedRadius },
  };
  return {
    axis,
    blocks: { solved: n / 2 + 1, real },
    stability,
    eprContinuous: okC ? eprContinuous : null,
    eprDiscrete: okD ? eprDiscrete : null,
    densityContinuous: okC ? eprContinuous / area : null,
    densityDiscrete: okD ? eprDiscrete / area : null,
    cellVariance: okD ? traceC / (n * n) : null,
    localDiscrete,
    profileDiscrete: okD ? profile : null,
    equilibrium: residual <= EQUILIBRIUM_TOLERANCE,
    equilibriumResidual: residual,
  };
}

/**
 * Euler–Maruyama stability of a linear field whose slope map varies along one
 * axis (the preflight check of a run): decided block by block from the powers of
 * the Möbius transforms Md (see solveBlock), which vanish iff those of M do; the
 * radius of M is then estimated on the block that decides.
 */
export function fourierBlocksDiscreteStability(config: Config): { stable: boolean; spectralRadius: number } {
  const why = fourierBlocksUnavailable(config);
  if (why) throw new TheoryNotApplicable(why);
  const s = setupOf(config, mapAxis(config)!);
  const bounds: { q: number; bound: number }[] = [];
  let stable = true;
  for (let q = 0; q <= s.n / 2 && stable; q++) {
    const A = driftBlock(s, q);
    const h = blockStep(s.n, A, s.cayleyStep);
    const c = cayley(s.n, A, h);
    const r = c ? cpowersVanish(mobius(s.n, c.Binv, h, s.dt), s.n, isHermitian(s.n, A)) : { stable: false, spectralRadius: Infinity };
    bounds.push({ q, bound: r.stable ? impliedRadius(r.spectralRadius, h, s.dt) : Infinity });
    stable = r.stable;
  }
  return { stable, spectralRadius: chainRadius(s, bounds) };
}

/** Continuous-time stability (every eigenvalue of every A_q with Re > 0), from the powers of the Cayley transforms. */
export function fourierBlocksContinuousStability(config: Config): { stable: boolean; cayleyRadius: number } {
  const why = fourierBlocksUnavailable(config);
  if (why) throw new TheoryNotApplicable(why);
  const s = setupOf(config, mapAxis(config)!);
  let radius = 0;
  for (let q = 0; q <= s.n / 2; q++) {
    const A = driftBlock(s, q);
    const c = cayley(s.n, A, blockStep(s.n, A, s.cayleyStep));
    if (!c) return { stable: false, cayleyRadius: Infinity };
    const r = cpowersVanish(c.Mc, s.n, isHermitian(s.n, A));
    radius = Math.max(radius, r.spectralRadius);
    if (!r.stable) return { stable: false, cayleyRadius: radius };
  }
  return { stable: true, cayleyRadius: radius };
}

/** The spectral radius of block q's M = I − dt·A_q, from its powers. */
function blockRadius(s: Setup, q: number): number {
  const A = driftBlock(s, q);
  return spectralRadius(stepMatrix(s.n, A, s.dt), s.n, isHermitian(s.n, A));
}

/**
 * The spectral radius of M = I − dt·A, the largest of its blocks': measured
 * (blockRadius) on the blocks in the order of their bounds (impliedRadius) until
 * the next bound is below the largest found, on at most `most` blocks.
 */
function chainRadius(s: Setup, bounds: { q: number; bound: number }[], most = 8): number {
  const order = bounds.slice().sort((a, b) => b.bound - a.bound);
  let radius = 0;
  for (let i = 0; i < Math.min(most, order.length) && order[i].bound > radius; i++) radius = Math.max(radius, blockRadius(s, order[i].q));
  return radius;
}
