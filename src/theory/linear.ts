import { cellSize } from '../model/kernels.js';
import type { Config } from '../config/schema.js';
import { denseTheory, denseUnavailable, EQUILIBRIUM_TOLERANCE, type DenseStability, type DenseTheory } from './dense.js';
import { fourierTheory, type FourierTheory } from './fourier.js';
import { FOURIER_BLOCKS_MAX_N, fourierBlocksTheory, fourierBlocksUnavailable, mapAxis, type FourierBlocksStability, type FourierBlocksTheory } from './fourier-blocks.js';
import type { Stability } from './stability.js';
import { noisePower } from '../model/noise-spectrum.js';
import { linearSlope, theoryMaps, TheoryNotApplicable, uniformDiffusion } from './modes.js';

/**
 * The closed-form theory of a linear config, whichever applies: the Fourier
 * theory of docs/model.md §5 for uniform configs (an input map included: it only
 * moves the fixed point); the Fourier-block theory for noise-amplitude and slope
 * maps that vary along one axis only (stripes, tilts), up to 256²; the dense
 * theory of §5 and §8 for other maps up to 32². All report whether the stationary
 * state is an equilibrium, A𝒟 = 𝒟Aᵀ, with the relative residual
 * ‖A𝒟 − 𝒟Aᵀ‖_F/‖A𝒟‖_F. Anything else throws TheoryNotApplicable with the reason.
 *
 * One-axis maps take the blocks at every size, 16² included: they give the dense
 * theory's numbers to rounding (test/theory/fourier-blocks.test.ts) in a small
 * fraction of its time.
 */
export type LinearTheory =
  | (Rates & { method: 'fourier'; stability: Stability; fourier: FourierTheory })
  | (Rates & { method: 'fourier-blocks'; stability: FourierBlocksStability; blocks: FourierBlocksTheory })
  | (Rates & { method: 'dense'; stability: DenseStability; dense: DenseTheory });


interface Rates {
  eprContinuous: number | null;
  eprDiscrete: number | null;
  densityContinuous: number | null;
  densityDiscrete: number | null;
  /** Mean stationary variance per cell. */
  cellVariance: number | null;
  equilibrium: boolean;
  equilibriumResidual: number;
  /** The maps that made it dense (noise.amplitude, transfer.slope); empty for Fourier. */
  maps: string[];
  /**
   * Per cell, the stationary mean of the estimator's s_i per unit time and area
   * (the theory's local density, docs/model.md §8): uniform σ_dt/L² for Fourier.
   */
  localDensity(): Float64Array | null;
}

/**
 * The equilibrium residual of a translation-invariant config from its modes:
 * A and 𝒟 are circulant, hence normal and simultaneously diagonal, so
 * A𝒟 − 𝒟Aᵀ has eigenvalues 2i·d_k·Im a_k and A𝒟 has d_k·a_k, d_k = (D/a)·P_k.
 */
export function fourierEquilibriumResidual(config: Config, theory: FourierTheory): number {
  const { aRe, aIm } = theory.modes;
  const d = noisePower(config).map((p) => (uniformDiffusion(config) / cellSize(config) ** 2) * p);
  let num = 0;
  let den = 0;
  for (let k = 0; k < aRe.length; k++) {
    num += 4 * d[k] * d[k] * aIm[k] * aIm[k];
    den += d[k] * d[k] * (aRe[k] * aRe[k] + aIm[k] * aIm[k]);
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}

export function linearTheory(config: Config): LinearTheory {
  const maps = theoryMaps(config);
  const N = config.grid.n ** 2;
  const area = config.grid.length ** 2;
  if (maps.length === 0) {
    const f = fourierTheory(config);
    const residual = fourierEquilibriumResidual(config, f);
    return {
      method: 'fourier',
      stability: f.stability,
      fourier: f,
      eprContinuous: f.eprContinuous,
      eprDiscrete: f.eprDiscrete,
      densityContinuous: f.densityContinuous,
      densityDiscrete: f.densityDiscrete,
      cellVariance: f.cellVariance,
      equilibrium: residual <= EQUILIBRIUM_TOLERANCE,
      equilibriumResidual: residual,
      maps,
      localDensity: () => (f.densityDiscrete === null ? null : new Float64Array(N).fill(f.densityDiscrete)),
    };
  }
  if (config.transfer.type !== 'linear') linearSlope(config);
  const cellArea = cellSize(config) ** 2;
  const named = `${maps.join(' and ')} ${maps.length > 1 ? 'are maps' : 'is a map'}`;
  const axis = mapAxis(config);
  if (axis) {
    const why = fourierBlocksUnavailable(config);
    if (why) throw new TheoryNotApplicable(`${named} along ${axis}, and ${why}`);
    const b = fourierBlocksTheory(config);
    return {
      method: 'fourier-blocks',
      stability: b.stability,
      blocks: b,
      ...ratesOf(b, area, cellArea),
      maps,
    };
  }
  const why = denseUnavailable(config);
  if (why) {
    throw new TheoryNotApplicable(
      `${named} that ${maps.length > 1 ? 'vary' : 'varies'} along both axes (or along different ones), and ${why}; ` +
        `maps that vary along one axis only (stripes, tilts) have the Fourier-block theory up to ${FOURIER_BLOCKS_MAX_N}²`,
    );
  }
  const d = denseTheory(config);
  return {
    method: 'dense',
    stability: d.stability,
    dense: d,
    ...ratesOf(d, area, cellArea),
    maps,
  };
}

/** The rates of a dense or Fourier-block theory, per unit area where a density. */
function ratesOf(d: DenseTheory, area: number, cellArea: number): Omit<Rates, 'maps'> {
  return {
    eprContinuous: d.eprContinuous,
    eprDiscrete: d.eprDiscrete,
    densityContinuous: d.eprContinuous === null ? null : d.eprContinuous / area,
    densityDiscrete: d.eprDiscrete === null ? null : d.eprDiscrete / area,
    cellVariance: d.cellVariance,
    equilibrium: d.equilibrium,
    equilibriumResidual: d.equilibriumResidual,
    localDensity: () => (d.localDiscrete ? d.localDiscrete.map((v) => v / cellArea) : null),
  };
}
