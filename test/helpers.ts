import type { Observer } from '../src/engine/observer.js';
import { parseConfig } from '../src/config/load.js';
import type { Config, ConfigInput } from '../src/config/schema.js';
import { presets } from '../src/config/presets.js';

/** A small linear config for tests; `over` replaces whole top-level keys. */
export function smallLinear(over: Partial<ConfigInput> = {}): Config {
  return parseConfig({
    grid: { n: 8, length: 8 },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [0, 0], radius: 3 },
    input: 0.1,
    noise: { amplitude: 0.05, correlationLength: 0 },
    dt: 0.05,
    seed: 3,
    ...over,
  });
}

/** Kernels that fit the 8×8 test grid (stencil radius 3). */
export const shiftedGaussian: ConfigInput['kernel'] = { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [1.2, 0.4], radius: 3 };
export const shiftedMexicanHat: ConfigInput['kernel'] = {
  type: 'mexican-hat',
  excitation: { amplitude: 2, sigma: 0.6 },
  inhibition: { amplitude: 1.5, sigma: 1.2 },
  shift: [0.7, -0.5],
  radius: 3,
};

/** A shifted linear field on 32² (Δx = 1) for runs compared with the theory and across engines. */
export const statisticsBase: ConfigInput = {
  grid: { n: 32, length: 32 },
  tau: 1,
  transfer: { type: 'linear', slope: 0.8 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [1.5, 0] },
  input: 0.1,
  noise: { amplitude: 0.05, correlationLength: 0 },
  dt: 0.05,
  seed: 7,
  initial: { type: 'fixed-point' },
};

/** An observer that hands every step's fields u_n, u_{n+1} (replica-major copies) to `fn`. */
export function everyStep(fn: (step: number, u: Float64Array, uNext: Float64Array) => void): Observer<{ detach(): void }> {
  return {
    name: 'probe',
    width: 0,
    start: (link) => ({ sample: { wants: () => true, add: fn }, handle: { detach: () => link.detach() } }),
  };
}

/**
 * The pinned-bump preset's field (src/config/presets.ts) without its pin: a
 * uniform input h = −1 and a gentler sigmoid, so that the bump's translation is
 * all but neutral on the torus.
 */
export const unpinnedBump = {
  ...presets['pinned-bump'],
  transfer: { type: 'sigmoid', gain: 1.5, threshold: 0.5 },
  input: -1,
} satisfies ConfigInput;

/**
 * The pinned bump's edge (16², bump at cell (8, 8), threshold θ = 0.5): the cells
 * within the excitation width σe = 1.5 of the contour u* = θ, whose radius r_b is
 * interpolated along the row through the centre; and the sum of `map` over them.
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
