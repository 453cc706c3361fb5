import { fieldValues } from '../config/maps.js';
import type { Config, Transfer } from '../config/schema.js';
import { gridOf, type Grid, type Radii } from '../config/geometry.js';
import { kernelRadii, kernelStencil, noiseRadii, noiseStencil } from './kernels.js';
import { noisePower } from './noise-spectrum.js';
import type { Stencil } from './stencil.js';

/**
 * A coefficient of the step: one number for every cell (a uniform config, the
 * cheap scalar path), or one per cell at the flat index i = iy·n + ix (a map,
 * docs/model.md §8). Engines read it through `cellValue` or branch once on
 * `typeof`.
 */
export type CellCoefficient = number | Float64Array;

export function cellValue(c: CellCoefficient, i: number): number {
  return typeof c === 'number' ? c : c[i];
}

/** Correlated noise (λ > 0): the filter G, its 1-D factor and the noise spectrum. */
export interface CorrelatedNoise {
  /** G of docs/model.md §2 and §7: a·exp(−|r|²/λ²)/(πλ²) on its stencil (a ring: Δx·exp(−r²/λ²)/(√π λ)). */
  stencil: Stencil;
  radii: Radii;
  /**
   * The 1-D factors of G along x and y, Δ·exp(−m²Δ²/λ²)/(√π λ) for m = −r..r:
   * G is their outer product. A ring's y factor is [1] (radius 0).
   */
  tapsX: Float64Array;
  tapsY: Float64Array;
  /** √(1 − w) and √w: the weights of G ξ and of the white floor ξ′ (w = noise.whiteFraction). */
  shapedWeight: number;
  floorWeight: number;
  /** Per mode k (index p + n·q): the normalised noise spectrum (1 − w)|Ĝ_k|² + w, and its inverse. */
  power: Float64Array;
  inversePower: Float64Array;
}

/**
 * Every coefficient the engines and estimators use, computed once from a
 * validated config. Nothing else derives a noise scale, an entropy weight or
 * a filter from the config: the CPU engine, the GPU engine and the estimators
 * read them from here.
 *
 *   u_{n+1} = u_n + dt·F(u_n) + noiseScale_i·(noise)_i,   noiseScale_i = √(2 D_i dt / a)
 *   s_i(n)  = entropyWeight_i·[…],                        entropyWeight_i = a/(2 D_i)
 *
 * With maps (docs/model.md §8) the per-cell coefficients (gain = slope_i of a linear
 * transfer, input h_i, D_i and the two above) are Float64Arrays; a uniform field
 * keeps its number, so uniform configs take exactly the arithmetic they always had.
 */
export interface StepCoefficients {
  /** The grid: nx × ny cells (a ring: ny = 1). */
  grid: Grid;
  cells: number;
  /** The cell area a = Δx·Δy (a ring: Δx). */
  area: number;
  dt: number;
  halfDt: number;
  invTau: number;
  transfer: Transfer;
  /** The transfer's gain: the slope of a linear transfer, β of sigmoid and tanh. */
  gain: CellCoefficient;
  /** θ of sigmoid and tanh (0 for linear). */
  threshold: number;
  input: CellCoefficient;
  /** The noise amplitude D_i (noise.amplitude, or its map). */
  diffusion: CellCoefficient;
  noiseScale: CellCoefficient;
  entropyWeight: CellCoefficient;
  kernel: Stencil;
  kernelRadii: Radii;
  /** Undefined for white noise. */
  correlated: CorrelatedNoise | undefined;
}

const cache = new WeakMap<Config, StepCoefficients>();

/** The coefficients of a config (computed once per config object). */
export function stepCoefficients(config: Config): StepCoefficients {
  let c = cache.get(config);
  if (!c) {
    c = computeCoefficients(config);
    cache.set(config, c);
  }
  return c;
}

function computeCoefficients(config: Config): StepCoefficients {
  const grid = gridOf(config);
  const a = grid.area;
  const t = config.transfer;
  const D = fieldValues(config, 'noise.amplitude');
  // A uniform config stays on the scalar path: the same numbers as before maps existed.
  // √(2 D dt / a) is written √(2 D dt)/√a with √a = Δx exactly on square cells, as before.
  const rootArea = grid.dimensions === 2 && grid.dx === grid.dy ? grid.dx : Math.sqrt(a);
  const noiseScale = typeof D === 'number' ? Math.sqrt(2 * D * config.dt) / rootArea : D.map((d) => Math.sqrt(2 * d * config.dt) / rootArea);
  const entropyWeight = typeof D === 'number' ? a / (2 * D) : D.map((d) => a / (2 * d));
  return {
    grid,
    cells: grid.cells,
    area: a,
    dt: config.dt,
    halfDt: config.dt / 2,
    invTau: 1 / config.tau,
    transfer: t,
    gain: t.type === 'linear' ? fieldValues(config, 'transfer.slope') : t.gain,
    threshold: t.type === 'linear' ? 0 : t.threshold,
    input: fieldValues(config, 'input'),
    diffusion: D,
    noiseScale,
    entropyWeight,
    kernel: kernelStencil(config),
    kernelRadii: kernelRadii(config),
    correlated: correlatedNoise(config),
  };
}

function correlatedNoise(config: Config): CorrelatedNoise | undefined {
  const stencil = noiseStencil(config);
  if (!stencil) return undefined;
  const power = noisePower(config);
  const w = config.noise.whiteFraction;
  return {
    stencil,
    radii: noiseRadii(config),
    tapsX: noiseTaps(config, 'x'),
    tapsY: noiseTaps(config, 'y'),
    shapedWeight: Math.sqrt(1 - w),
    floorWeight: Math.sqrt(w),
    power,
    inversePower: power.map((p) => 1 / p),
  };
}

/** The 1-D factor of the noise filter along an axis: Δ·exp(−m²Δ²/λ²)/(√π λ), m = −r..r; [1] across a ring. */
function noiseTaps(config: Config, axis: 'x' | 'y'): Float64Array {
  const grid = gridOf(config);
  if (axis === 'y' && grid.dimensions === 1) return Float64Array.of(1);
  const d = axis === 'x' ? grid.dx : grid.dy;
  const lambda = config.noise.correlationLength;
  const r = noiseRadii(config)[axis];
  return Float64Array.from({ length: 2 * r + 1 }, (_, k) => {
    const m = k - r;
    return (d * Math.exp(-(m * m * d * d) / (lambda * lambda))) / (Math.sqrt(Math.PI) * lambda);
  });
}
