import type { Config } from '../config/schema.js';
import { gridOf } from '../config/geometry.js';
import { stencilSpectrum } from '../numeric/fft2.js';
import { kernelStencil } from './kernels.js';

export interface Spectrum {
  re: Float64Array;
  im: Float64Array;
}

const cache = new WeakMap<Config, Spectrum>();

/**
 * Ŵ_k, the kernel stencil's DFT on the config's grid (stencilSpectrum), once
 * per config object: the checks before a run, the theory, the GPU's FFT
 * convolution and the linearisation all need it, and at 4096² it costs
 * seconds each time. Callers must not write into it.
 */
export function kernelSpectrum(config: Config): Spectrum {
  let spectrum = cache.get(config);
  if (!spectrum) {
    spectrum = stencilSpectrum(gridOf(config), kernelStencil(config));
    cache.set(config, spectrum);
  }
  return spectrum;
}
