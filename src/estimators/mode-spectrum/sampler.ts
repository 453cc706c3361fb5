import type { Config } from '../../config/schema.js';
import { DriftOperator } from '../../model/drift.js';
import { cellSize } from '../../model/kernels.js';
import { FFT2 } from '../../numeric/fft2.js';
import type { FourierTheory } from '../../theory/fourier.js';
import { modeLabel } from '../../theory/modes.js';

/**
 * The mode-resolved entropy production from data (docs/model.md §5, last bullet).
 * Parseval splits §4's per-step sum over Fourier modes:
 *   Σ_i s_i = Δx²/(2D) · (1/n²) Σ_k [ Re(conj(Δ̂_k)(F̂_k + F̂′_k)) + (dt/2)(|F̂′_k|² − |F̂_k|²) ]
 * Sampled steps (u_n, u_{n+1}) read back from the GPU are transformed on the
 * CPU in float64; each mode's summand, averaged over samples and divided by
 * dt, estimates σ_dt(k). Modes are summed in shells of |k| (in units of 2π/L).
 */
export class SpectrumSampler {
  private readonly fft: FFT2;
  private readonly drift: DriftOperator;
  private readonly shellOf: Int32Array;
  readonly shells: number;
  private readonly sums: Float64Array;
  /** Per mode (index p + n·q), the same sums before binning. */
  private readonly modeSums: Float64Array;
  samples = 0;

  constructor(readonly config: Config) {
    if (typeof config.noise.amplitude !== 'number') {
      throw new Error('σ(k) from data needs a uniform noise amplitude: a noise map (docs/model.md §8) couples the modes');
    }
    const n = config.grid.n;
    this.fft = new FFT2(n);
    this.drift = new DriftOperator(config);
    this.shellOf = new Int32Array(n * n);
    let max = 0;
    for (let k = 0; k < n * n; k++) {
      const [p, q] = modeLabel(n, k);
      this.shellOf[k] = Math.round(Math.hypot(p, q));
      max = Math.max(max, this.shellOf[k]);
    }
    this.shells = max + 1;
    this.sums = new Float64Array(this.shells);
    this.modeSums = new Float64Array(n * n);
  }

  /** Adds one step u → uNext (replica 0). */
  add(u: Float64Array, uNext: Float64Array): void {
    const n = this.config.grid.n;
    const N = n * n;
    const F = new Float64Array(N);
    const Fn = new Float64Array(N);
    this.drift.apply(u, F);
    this.drift.apply(uNext, Fn);
    const transform = (re: Float64Array) => {
      const im = new Float64Array(N);
      this.fft.forward(re, im);
      return { re, im };
    };
    const d = transform(Float64Array.from(uNext.subarray(0, N), (v, i) => v - u[i]));
    const f = transform(F);
    const fn = transform(Fn);
    const { dt } = this.config;
    const weight = cellSize(this.config) ** 2 / (2 * (this.config.noise.amplitude as number)) / N;
    for (let k = 0; k < N; k++) {
      const cross = d.re[k] * (f.re[k] + fn.re[k]) + d.im[k] * (f.im[k] + fn.im[k]);
      const boundary = (dt / 2) * (fn.re[k] ** 2 + fn.im[k] ** 2 - f.re[k] ** 2 - f.im[k] ** 2);
      const rate = (weight * (cross + boundary)) / dt;
      this.sums[this.shellOf[k]] += rate;
      this.modeSums[k] += rate;
    }
    this.samples++;
  }

  /** Per mode (index p + n·q): the data's σ(k), averaged over the samples. */
  modes(): Float64Array {
    return this.modeSums.map((v) => (this.samples ? v / this.samples : NaN));
  }

  /** Per shell: the data's σ(k) (null before any sample) and the theory's, summed over the shell. */
  result(theory: FourierTheory | null): { shell: number[]; data: (number | null)[]; theory: (number | null)[] } {
    const shell = Array.from({ length: this.shells }, (_, s) => s);
    const data = shell.map((s) => (this.samples ? this.sums[s] / this.samples : null));
    const theorySums = new Float64Array(this.shells);
    if (theory) theory.spectrum.discrete.forEach((v, k) => (theorySums[this.shellOf[k]] += v));
    return { shell, data, theory: shell.map((s) => (theory ? theorySums[s] : null)) };
  }
}
