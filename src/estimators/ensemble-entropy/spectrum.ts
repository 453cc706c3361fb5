import digamma from '@stdlib/math-base-special-digamma';
import { FFT2 } from '../../numeric/fft2.js';

/**
 * The Shannon entropy of docs/model.md §6 from an ensemble of R replicas of a field
 * whose covariance is circulant (translation-invariant dynamics): S = ½ Σ_k
 * ln(2πe c_k), with each mode variance c_k estimated across replicas.
 *
 * Modes k ≠ 0 have mean zero: ĉ_k = (1/R) Σ_r |û_k|²/N, with ν = 2R degrees of
 * freedom for a complex mode and R for a real one (p, q ∈ {0, n/2}). The
 * uniform mode carries the field's mean: its variance is the sample variance
 * across replicas, ν = R − 1. ln ĉ is biased (E[ln(χ²_ν/ν)] = ψ(ν/2) − ln(ν/2));
 * that bias is subtracted mode by mode. Errors come from the jackknife over
 * replicas: estimates leaving one replica out.
 */
export class EnsembleSpectrum {
  /** |û_k|²/N per replica (replica-major), and û_0/√N per replica. */
  readonly power: Float64Array;
  readonly zero: Float64Array;
  private readonly realMode: Uint8Array;
  /** Σ_r |û_k|²/N over all replicas: leaving one out subtracts its term. */
  private readonly totals: Float64Array;

  constructor(field: Float64Array, readonly n: number, readonly replicas: number) {
    const N = n * n;
    this.power = new Float64Array(replicas * N);
    this.zero = new Float64Array(replicas);
    const fft = new FFT2(n);
    const re = new Float64Array(N);
    const im = new Float64Array(N);
    for (let r = 0; r < replicas; r++) {
      re.set(field.subarray(r * N, (r + 1) * N));
      im.fill(0);
      fft.forward(re, im);
      for (let k = 0; k < N; k++) this.power[r * N + k] = (re[k] * re[k] + im[k] * im[k]) / N;
      this.zero[r] = re[0] / Math.sqrt(N);
    }
    this.realMode = new Uint8Array(N);
    for (const p of [0, n / 2]) for (const q of [0, n / 2]) this.realMode[q * n + p] = 1;
    this.totals = new Float64Array(N);
    for (let r = 0; r < replicas; r++) for (let k = 0; k < N; k++) this.totals[k] += this.power[r * N + k];
  }

  /** The bias-corrected entropy, from all replicas or leaving replica `leaveOut` out. */
  entropy(leaveOut = -1): number {
    const { n, replicas, power, zero } = this;
    const N = n * n;
    const R = leaveOut >= 0 ? replicas - 1 : replicas;
    const keep = (r: number) => r !== leaveOut;
    const bias = (nu: number) => digamma(nu / 2) - Math.log(nu / 2);
    let s = 0;
    for (let k = 1; k < N; k++) {
      const sum = leaveOut >= 0 ? this.totals[k] - power[leaveOut * N + k] : this.totals[k];
      const nu = this.realMode[k] ? R : 2 * R;
      s += 0.5 * (Math.log(2 * Math.PI * Math.E * (sum / R)) - bias(nu));
    }
    let mean = 0;
    for (let r = 0; r < replicas; r++) if (keep(r)) mean += zero[r];
    mean /= R;
    let ss = 0;
    for (let r = 0; r < replicas; r++) if (keep(r)) ss += (zero[r] - mean) ** 2;
    s += 0.5 * (Math.log(2 * Math.PI * Math.E * (ss / (R - 1))) - bias(R - 1));
    return s;
  }
}

/** Jackknife standard error from the leave-one-out estimates. */
export function jackknifeError(leaveOneOut: ArrayLike<number>): number {
  const R = leaveOneOut.length;
  let mean = 0;
  for (let r = 0; r < R; r++) mean += leaveOneOut[r];
  mean /= R;
  let ss = 0;
  for (let r = 0; r < R; r++) ss += (leaveOneOut[r] - mean) ** 2;
  return Math.sqrt(((R - 1) / R) * ss);
}
