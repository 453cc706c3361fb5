import { kernelSpectrum } from '../model/kernel-spectrum.js';
import { gridOf } from '../config/geometry.js';
import type { Plane } from '../model/stencil.js';
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
 * (docs/model.md §5, §7): a_k = (1 − slope·Ŵ_k)/τ for k = 2π(p/Lx, q/Ly),
 * stored at p + nx·q (a ring: q = 0 only, k = 2πp/L).
 */
export interface Modes {
  readonly nx: number;
  readonly ny: number;
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
  const { nx, ny, cells } = gridOf(config);
  const aRe = new Float64Array(cells);
  const aIm = new Float64Array(cells);
  for (let k = 0; k < cells; k++) {
    aRe[k] = (1 - slope * kernel.re[k]) / config.tau;
    aIm[k] = (-slope * kernel.im[k]) / config.tau;
  }
  return { nx, ny, aRe, aIm };
}

export function linearModes(config: Config): Modes {
  return modesForSlope(config, linearSlope(config));
}

/** Signed wave numbers p ∈ (−nx/2, nx/2], q ∈ (−ny/2, ny/2] of the flat mode index p + nx·q. */
export function modeLabel(plane: Plane, k: number): [number, number] {
  const { nx, ny } = plane;
  const p = k % nx;
  const q = Math.floor(k / nx);
  return [p > nx / 2 ? p - nx : p, q > ny / 2 ? q - ny : q];
}

/** Physical wave vector 2π(p/Lx, q/Ly) (a ring: (2πp/L, 0)). */
export function waveVector(config: Config, k: number): [number, number] {
  const grid = gridOf(config);
  const [p, q] = modeLabel(grid, k);
  return [(2 * Math.PI * p) / grid.lx, (2 * Math.PI * q) / grid.ly];
}
