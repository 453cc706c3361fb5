import { kernelSpectrum } from '../model/kernel-spectrum.js';
import type { Config } from '../config/schema.js';
import { mappedFields } from '../config/maps.js';

/** The closed-form theory covers the linear transfer only; anything else is refused with this. */
export class TheoryNotApplicable extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'TheoryNotApplicable';
  }
}

/**
 * The Fourier modes of the linear, translation-invariant discrete system
 * (docs/model.md §5): a_k = (1 − slope·Ŵ_k)/τ for k = 2π(p, q)/L, stored at p + n·q.
 */
export interface Modes {
  readonly n: number;
  readonly aRe: Float64Array;
  readonly aIm: Float64Array;
}

export function linearSlope(config: Config): number {
  if (config.transfer.type !== 'linear') {
    throw new TheoryNotApplicable(
      `the closed-form theory covers the linear transfer only; this config has transfer.type = "${config.transfer.type}"`,
    );
  }
  const slope = config.transfer.slope;
  if (typeof slope !== 'number') {
    throw new TheoryNotApplicable('transfer.slope is a map: the Fourier theory needs one slope for every cell (maps take the dense theory, docs/model.md §8)');
  }
  return slope;
}

/** The noise amplitude D of a uniform config; a noise map breaks the Fourier diagonalisation. */
export function uniformDiffusion(config: Config): number {
  const D = config.noise.amplitude;
  if (typeof D !== 'number') {
    throw new TheoryNotApplicable('noise.amplitude is a map: the Fourier theory needs one noise amplitude for every cell (maps take the dense theory, docs/model.md §8)');
  }
  return D;
}

/**
 * The maps that break the Fourier theory: a noise-amplitude or slope map. An
 * input map only moves the fixed point, so a linear field's rates and
 * fluctuations keep their Fourier theory.
 */
export function theoryMaps(config: Config): string[] {
  return mappedFields(config).filter((f) => f !== 'input');
}

/** a_k for an explicit slope: the theory module and the stability checks of nonlinear runs share it. */
export function modesForSlope(config: Config, slope: number, kernel = kernelSpectrum(config)): Modes {
  const n = config.grid.n;
  const aRe = new Float64Array(n * n);
  const aIm = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) {
    aRe[k] = (1 - slope * kernel.re[k]) / config.tau;
    aIm[k] = (-slope * kernel.im[k]) / config.tau;
  }
  return { n, aRe, aIm };
}

export function linearModes(config: Config): Modes {
  return modesForSlope(config, linearSlope(config));
}

/** Signed wave numbers (p, q) ∈ (−n/2, n/2] of the flat mode index. */
export function modeLabel(n: number, k: number): [number, number] {
  const p = k % n;
  const q = Math.floor(k / n);
  return [p > n / 2 ? p - n : p, q > n / 2 ? q - n : q];
}

/** Physical wave vector 2π(p, q)/L. */
export function waveVector(config: Config, k: number): [number, number] {
  const [p, q] = modeLabel(config.grid.n, k);
  const scale = (2 * Math.PI) / config.grid.length;
  return [p * scale, q * scale];
}
