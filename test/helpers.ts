import type { Observer } from '../src/engine/observer.js';
import { parseConfig } from '../src/config/load.js';
import type { Config, ConfigInput } from '../src/config/schema.js';

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
