import type { Config, ConfigInput } from '../src/config/schema.js';
import { bumpProfile } from '../src/model/profiles.js';
import { kernelStencil, cellSize } from '../src/model/kernels.js';
import { PeriodicConvolver } from '../src/model/stencil.js';
import { applyTransfer } from '../src/model/transfer.js';
import { weightedBatchMean } from '../src/numeric/batch-means.js';
import { fillNormals, philoxKey, STREAM_NOISE } from '../src/rng/philox.js';
import { initialField } from '../src/engine/initial.js';

/**
 * The pinned-bump preset of issue 10, as it will read once input maps are in
 * the config (docs/model.md §8):
 *
 *   input: { pattern: "bump", center: [8, 8], sigma: 2, base: -1, peak: -0.5 }
 *
 * A sigmoid field with a symmetric mexican hat holds one bump; the input map
 * (h = −1 plus a bump of 0.5) pins it where the torus would let it drift.
 * Until maps land, `input` is the map's base and PIN adds the rest.
 */
export const pinnedBump = {
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'sigmoid', gain: 3, threshold: 0.5 },
  kernel: {
    type: 'mexican-hat',
    excitation: { amplitude: 8, sigma: 1.5 },
    inhibition: { amplitude: 6.4, sigma: 3 },
    shift: [0, 0],
    radius: 7,
  },
  input: -1,
  noise: { amplitude: 0.05 },
  dt: 0.05,
  seed: 1,
  initial: { type: 'bump', center: [8, 8], width: 2, amplitude: 3, base: -1 },
} satisfies ConfigInput;

/** The pinning map: h(x) = base + (peak − base)·exp(−r²/(2 sigma²)), r the periodic distance to the centre. */
export const PIN = { center: [8, 8] as [number, number], sigma: 2, base: -1, peak: -0.5 };

/** The input field of the pinned preset. */
export function pinField(config: Config): Float64Array {
  return bumpProfile(config, { center: PIN.center, width: PIN.sigma, amplitude: PIN.peak - PIN.base, base: PIN.base });
}

/** The same field unpinned with a gentler sigmoid: a bump the grid hardly holds, so its translation is all but neutral. */
export const unpinnedBump = { ...pinnedBump, transfer: { type: 'sigmoid', gain: 1.5, threshold: 0.5 } } satisfies ConfigInput;

/**
 * The bump's edge: cells within the excitation width σe = 1.5 of the contour
 * u* = θ, whose radius r_b is interpolated along the row through the centre (8, 8).
 */
export function edgeBand(u: Float64Array, map: ArrayLike<number>): { inBand: number; bandCells: number; radius: number } {
  const theta = 0.5;
  let radius = NaN;
  for (let x = 8; x > 0; x--) {
    const a = u[8 * 16 + x];
    const b = u[8 * 16 + x - 1];
    if (a >= theta && b < theta) {
      radius = 8 - x + (a - theta) / (a - b);
      break;
    }
  }
  let inBand = 0;
  let bandCells = 0;
  for (let iy = 0; iy < 16; iy++) {
    for (let ix = 0; ix < 16; ix++) {
      if (Math.abs(Math.hypot(ix - 8, iy - 8) - radius) <= 1.5) {
        inBand += map[iy * 16 + ix];
        bandCells++;
      }
    }
  }
  return { inBand, bandCells, radius };
}

/**
 * TEMPORARY PATH, until input maps are in the config (docs/model.md §8; a
 * colleague's branch adds `input: { pattern: "bump", … }`): the CPU engine's
 * chain, step for step the same arithmetic and the same Philox noise as
 * src/cpu/cpu-engine.ts with white noise and one replica, but with an input
 * FIELD h(x), and the §4 estimator with its per-cell map. Once maps land, the
 * tests that use it run `simulate(new CpuEngine(pinnedBumpConfig))` instead;
 * test/theory/bump-statistics.test.ts checks that for a uniform h this chain
 * and the CPU engine give the same numbers.
 */
export interface ChainResult {
  /** Entropy production rate (nats per unit time) and its batch-means error. */
  estimate: number;
  stderr: number;
  /** Per cell, the time-averaged rate per unit area (as the run's epr-density.npy). */
  density: Float64Array;
  /** The field at the end. */
  field: Float64Array;
}

export function runPinnedChain(config: Config, input: Float64Array, plan: { steps: number; burnIn: number; blocks: number }): ChainResult {
  if (config.noise.correlationLength !== 0) throw new Error('the temporary chain is for white noise only');
  const n = config.grid.n;
  const N = n * n;
  const dx = cellSize(config);
  const area = dx * dx;
  const { dt, tau } = config;
  const D = config.noise.amplitude;
  const noiseScale = Math.sqrt(2 * D * dt) / dx;
  const weight = area / (2 * D);
  const half = dt / 2;
  const inv = 1 / tau;
  const conv = new PeriodicConvolver(n, kernelStencil(config));
  const transferred = new Float64Array(N);
  const drift = (u: Float64Array, out: Float64Array) => {
    applyTransfer(config.transfer, u, transferred, 0, 0, N);
    conv.apply(transferred, out);
    for (let i = 0; i < N; i++) out[i] = (out[i] - u[i] + input[i]) * inv;
  };
  let u: Float64Array = initialField(config, 1);
  let uNext: Float64Array = new Float64Array(N);
  let F = new Float64Array(N);
  let FNext = new Float64Array(N);
  drift(u, F);
  const normals = new Float64Array(N);
  const words = new Uint32Array(4);
  const key = philoxKey(config.seed);
  const map = new Float64Array(N);
  const blockSteps = Math.ceil(plan.steps / plan.blocks);
  const sums: number[] = [];
  const lengths: number[] = [];
  let blockSum = 0;
  let blockLength = 0;
  for (let step = 0; step < plan.burnIn + plan.steps; step++) {
    fillNormals(normals, step, 0, STREAM_NOISE, key, words);
    for (let i = 0; i < N; i++) uNext[i] = u[i] + dt * F[i] + noiseScale * normals[i];
    drift(uNext, FNext);
    if (step >= plan.burnIn) {
      let total = 0;
      for (let i = 0; i < N; i++) {
        const s = weight * ((uNext[i] - u[i]) * (F[i] + FNext[i]) + half * (FNext[i] * FNext[i] - F[i] * F[i]));
        map[i] += s;
        total += s;
      }
      blockSum += total;
      blockLength++;
      if (blockLength === blockSteps || step === plan.burnIn + plan.steps - 1) {
        sums.push(blockSum / blockLength);
        lengths.push(blockLength);
        blockSum = 0;
        blockLength = 0;
      }
    }
    [u, uNext] = [uNext, u];
    [F, FNext] = [FNext, F];
  }
  const perStep = weightedBatchMean(sums, lengths);
  const scale = 1 / (plan.steps * dt * area);
  return {
    estimate: perStep.mean / dt,
    stderr: perStep.stderr / dt,
    density: map.map((s) => s * scale),
    field: u,
  };
}
