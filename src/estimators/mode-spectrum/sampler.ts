import { gridOf, type Grid } from '../../config/geometry.js';
import type { Config } from '../../config/schema.js';
import { stepCoefficients } from '../../model/coefficients.js';
import { DriftOperator } from '../../model/drift.js';
import { weightedBatchMean } from '../../numeric/batch-means.js';
import { FFT2 } from '../../numeric/fft2.js';
import type { FourierTheory } from '../../theory/fourier.js';
import { modeShells, type ModeShells } from './shells.js';

/** Batch means keep between SPECTRUM_BATCHES and twice as many batches of consecutive samples. */
export const SPECTRUM_BATCHES = 20;

/** σ(k) by shell of |k| (shells.ts): the data with its standard error, and the theory. */
export interface ShellSpectrum {
  /** The shells that hold modes, by number s: the modes with round(|k|/shellWidth) = s. */
  shell: number[];
  /** Δk = 2π/max(Lx, Ly) (a ring: 2π/L), in inverse units of length. */
  shellWidth: number;
  /** The data's σ(k) summed over the shell (null before any sample). */
  data: (number | null)[];
  /** Its batch-means standard error (null before two samples). */
  stderr: (number | null)[];
  theory: (number | null)[];
  /** Σ_k σ(k) from the data, its standard error (from the per-batch totals: shells are correlated) and σ_dt. */
  total: { data: number | null; stderr: number | null; theory: number | null };
}

/** Everything a SpectrumSampler has summed, for a run's checkpoint (`restore` continues from it exactly). */
export interface SpectrumSamplerState {
  sums: Float64Array;
  modeSums: Float64Array;
  samples: number;
  modesBehind: number;
  batches: Float64Array[];
  batchLength: number;
  current: Float64Array;
  currentCount: number;
}

/**
 * The mode-resolved entropy production from data (docs/model.md §9.8).
 * Parseval splits §4's per-step sum over Fourier modes:
 *   Σ_i s_i = a/(2D) · (1/N) Σ_k [ Re(conj(Δ̂_k)(F̂_k + F̂′_k)) + (dt/2)(|F̂′_k|² − |F̂_k|²) ] / P_k
 * (a the cell area, N = nx·ny the cells, hats the DFT over the nx × ny grid: FFT2(nx, ny))
 * with P_k = (1 − w)|Ĝ_k|² + w the noise spectrum (1 for white noise): the
 * inverse noise covariance H of §9.4 is diagonal in Fourier space, so each
 * mode's summand is divided by its noise power.
 * On the CPU engine (and where asked) sampled steps (u_n, u_{n+1}) are
 * transformed here in float64 (`add`); on the GPU engine the device computes
 * the summands (device-sampler.ts) and hands in per-shell sums per sample and
 * per-mode sums now and then (`addShellSums`, `addModeSums`), and this class
 * keeps the same batches and results. Each mode's summand, averaged over
 * samples and divided by dt, estimates σ_dt(k). Modes are summed in shells of |k| (shells.ts: in
 * units of 2π/L on a square or a ring, 2π/max(Lx, Ly) on a rectangle).
 *
 * Standard errors are batch means over consecutive samples, not the plain
 * error of the mean. One sample's summand is mostly the noise term
 * Re(conj(ξ̂_k)(F̂_k + F̂′_k)), a martingale increment uncorrelated from sample
 * to sample, but the rest follows the slow modes, whose relaxation time
 * 1/Re a_k exceeds the spacing of samples near criticality (1/a_0 = 50 time
 * units at slope 0.98, against one sample per 1.25 time units by default).
 * Batch means cover both. The number of samples is open (the demo samples
 * until stopped), so the batches double in length whenever there are
 * 2·SPECTRUM_BATCHES of them: always between 20 and 40 batches (each sample its
 * own batch below 40 samples), the last one possibly partial and weighted by
 * its length.
 */
export class SpectrumSampler {
  /** The host's transforms, made at the first host sample: a sampler fed from the device never needs them. */
  private host: { fft: FFT2; drift: DriftOperator } | undefined;
  private readonly shellOf: Int32Array;
  private readonly shellSet: ModeShells;
  /** Shell indices 0..shells − 1 (some may hold no mode on a rectangle: shells.ts). */
  readonly shells: number;
  private readonly cells: number;
  private readonly sums: Float64Array;
  /** Per mode (index p + nx·q), the same sums before binning. */
  private readonly modeSums: Float64Array;
  samples = 0;
  /** Samples whose shells are in but whose per-mode values are not yet (addShellSums before addModeSums). */
  private modesBehind = 0;
  /** a/(2D): the white-noise weight of §4. */
  private readonly entropyWeight: number;
  /** 1/P_k per mode for correlated noise (docs/model.md §9.2), undefined for white noise. */
  readonly inversePower: Float64Array | undefined;
  /** Complete batches: per shell the sum over the batch's samples, then the total at index `shells`. */
  private batches: Float64Array[] = [];
  private batchLength = 1;
  private current: Float64Array;
  private currentCount = 0;

  readonly grid: Grid;

  constructor(readonly config: Config) {
    if (typeof config.noise.amplitude !== 'number') {
      throw new Error('σ(k) from data needs a uniform noise amplitude: a noise map (docs/model.md §8) couples the modes');
    }
    const grid = gridOf(config);
    this.grid = grid;
    const coefficients = stepCoefficients(config);
    if (typeof coefficients.entropyWeight !== 'number') throw new Error('σ(k) from data needs a uniform noise amplitude');
    this.entropyWeight = coefficients.entropyWeight;
    this.inversePower = coefficients.correlated?.inversePower;
    this.cells = grid.cells;
    this.shellSet = modeShells(grid);
    this.shellOf = this.shellSet.of;
    this.shells = this.shellSet.count;
    this.sums = new Float64Array(this.shells);
    this.modeSums = new Float64Array(grid.cells);
    this.current = new Float64Array(this.shells + 1);
  }

  /** Per mode (index p + nx·q), its shell: what a device-side sampler sums by. */
  get shellOfMode(): Int32Array {
    return this.shellOf;
  }

  /**
   * a/(2D)/(N dt): one mode's σ(k) is this times
   * [Re(conj(Δ̂_k)(F̂_k + F̂′_k)) + (dt/2)(|F̂′_k|² − |F̂_k|²)]/P_k.
   */
  get modeWeight(): number {
    return this.entropyWeight / this.cells / this.config.dt;
  }

  /** Adds one step u → uNext (replica 0), transformed here in float64. */
  add(u: Float64Array, uNext: Float64Array): void {
    const N = this.cells;
    const { fft, drift } = (this.host ??= { fft: new FFT2(this.grid.nx, this.grid.ny), drift: new DriftOperator(this.config) });
    const F = new Float64Array(N);
    const Fn = new Float64Array(N);
    drift.apply(u, F);
    drift.apply(uNext, Fn);
    const transform = (re: Float64Array) => {
      const im = new Float64Array(N);
      fft.forward(re, im);
      return { re, im };
    };
    const d = transform(Float64Array.from(uNext.subarray(0, N), (v, i) => v - u[i]));
    const f = transform(F);
    const fn = transform(Fn);
    const { dt } = this.config;
    const weight = this.modeWeight;
    const inversePower = this.inversePower;
    const sample = new Float64Array(this.shells);
    for (let k = 0; k < N; k++) {
      const cross = d.re[k] * (f.re[k] + fn.re[k]) + d.im[k] * (f.im[k] + fn.im[k]);
      const boundary = (dt / 2) * (fn.re[k] ** 2 + fn.im[k] ** 2 - f.re[k] ** 2 - f.im[k] ** 2);
      const rate = weight * (cross + boundary) * (inversePower ? inversePower[k] : 1);
      sample[this.shellOf[k]] += rate;
      this.modeSums[k] += rate;
    }
    this.addSample(sample);
  }

  /**
   * Adds one sample's σ(k) summed per shell (index 0..shells − 1), computed
   * elsewhere (on the GPU: src/estimators/mode-spectrum/device-sampler.ts); its
   * per-mode values follow through addModeSums.
   */
  addShellSums(shells: Float64Array): void {
    if (shells.length !== this.shells) throw new RangeError(`σ(k): a sample of ${shells.length} shells for ${this.shells}`);
    this.modesBehind++;
    this.addSample(shells);
  }

  /** Adds `weight`·sums[k] to each mode's sum: the per-mode values of `samples` samples already added by addShellSums. */
  addModeSums(sums: ArrayLike<number>, samples: number, weight = 1): void {
    if (sums.length !== this.cells) throw new RangeError(`σ(k): ${sums.length} per-mode sums for ${this.cells} modes`);
    if (!(Number.isInteger(samples) && samples >= 0 && samples <= this.modesBehind)) {
      throw new RangeError(`σ(k): per-mode sums of ${samples} samples, but ${this.modesBehind} are waiting for theirs`);
    }
    for (let k = 0; k < this.cells; k++) this.modeSums[k] += weight * sums[k];
    this.modesBehind -= samples;
  }

  private addSample(sample: Float64Array): void {
    let total = 0;
    for (let s = 0; s < this.shells; s++) {
      this.sums[s] += sample[s];
      this.current[s] += sample[s];
      total += sample[s];
    }
    this.current[this.shells] += total;
    this.samples++;
    if (++this.currentCount === this.batchLength) this.closeBatch();
  }

  private closeBatch(): void {
    this.batches.push(this.current);
    this.current = new Float64Array(this.shells + 1);
    this.currentCount = 0;
    if (this.batches.length === 2 * SPECTRUM_BATCHES) {
      this.batches = Array.from({ length: SPECTRUM_BATCHES }, (_, b) => this.batches[2 * b].map((v, j) => v + this.batches[2 * b + 1][j]));
      this.batchLength *= 2;
    }
  }

  snapshot(): SpectrumSamplerState {
    return {
      sums: this.sums.slice(),
      modeSums: this.modeSums.slice(),
      samples: this.samples,
      modesBehind: this.modesBehind,
      batches: this.batches.map((b) => b.slice()),
      batchLength: this.batchLength,
      current: this.current.slice(),
      currentCount: this.currentCount,
    };
  }

  /** Continues from a snapshot of a sampler of the same config. */
  restore(state: SpectrumSamplerState): void {
    if (state.sums.length !== this.shells || state.modeSums.length !== this.cells) {
      throw new RangeError(`σ(k): a saved state of ${state.sums.length} shells and ${state.modeSums.length} modes for ${this.shells} and ${this.cells}`);
    }
    this.sums.set(state.sums);
    this.modeSums.set(state.modeSums);
    this.samples = state.samples;
    this.modesBehind = state.modesBehind;
    this.batches = state.batches.map((b) => Float64Array.from(b));
    this.batchLength = state.batchLength;
    this.current = Float64Array.from(state.current);
    this.currentCount = state.currentCount;
  }

  /** Batches the standard errors come from so far, the partial last one included. */
  get batchCount(): number {
    return this.batches.length + (this.currentCount > 0 ? 1 : 0);
  }

  /** Per mode (index p + nx·q): the data's σ(k), averaged over the samples (a device's must be settled first). */
  modes(): Float64Array {
    if (this.modesBehind > 0) {
      throw new Error(`σ(k): the per-mode values of ${this.modesBehind} sample(s) are still on the device (await the handle's settle() first)`);
    }
    return this.modeSums.map((v) => (this.samples ? v / this.samples : NaN));
  }

  /** Per shell that holds modes: the data's σ(k) with its batch-means standard error, and the theory's, summed over the shell. */
  result(theory: FourierTheory | null): ShellSpectrum {
    const shell = [...this.shellSet.numbers];
    const data = shell.map((s) => (this.samples ? this.sums[s] / this.samples : null));
    const batches = this.currentCount > 0 ? [...this.batches, this.current] : this.batches;
    const weights = [...this.batches.map(() => this.batchLength), ...(this.currentCount > 0 ? [this.currentCount] : [])];
    const stderrOf = (j: number) => {
      if (batches.length < 2) return null;
      return weightedBatchMean(batches.map((b, i) => b[j] / weights[i]), weights).stderr;
    };
    const theorySums = new Float64Array(this.shells);
    if (theory) theory.spectrum.discrete.forEach((v, k) => (theorySums[this.shellOf[k]] += v));
    const totalData = this.samples ? this.sums.reduce((a, b) => a + b, 0) / this.samples : null;
    return {
      shell,
      shellWidth: this.shellSet.width,
      data,
      stderr: shell.map(stderrOf),
      theory: shell.map((s) => (theory ? theorySums[s] : null)),
      total: { data: totalData, stderr: stderrOf(this.shells), theory: theory ? theory.eprDiscrete : null },
    };
  }
}
