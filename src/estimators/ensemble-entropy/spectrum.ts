import digamma from '@stdlib/math-base-special-digamma';
import type { Plane } from '../../model/stencil.js';
import { FFT2 } from '../../numeric/fft2.js';

/**
 * The Shannon entropy of docs/model.md §6 from an ensemble of R replicas of a field
 * whose covariance is circulant (translation-invariant dynamics): S = ½ Σ_k
 * ln(2πe c_k), with each mode variance c_k estimated across replicas.
 *
 * Modes k ≠ 0 have mean zero: ĉ_k = (1/R) Σ_r |û_k|²/N, with ν = 2R degrees of
 * freedom for a complex mode and R for a real one (p ∈ {0, nx/2}, q ∈ {0, ny/2},
 * a half only along an even side: an odd side has no Nyquist mode, and a ring,
 * ny = 1, has q = 0 only). The
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

  /** The grid's cells N = nx·ny. */
  readonly cells: number;

  /** `field`: R replicas of the nx × ny grid (a ring: ny = 1), replica-major. */
  constructor(field: Float64Array, readonly plane: Plane, readonly replicas: number) {
    const { nx, ny } = plane;
    const N = nx * ny;
    this.cells = N;
    this.power = new Float64Array(replicas * N);
    this.zero = new Float64Array(replicas);
    const fft = new FFT2(nx, ny);
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
    // A mode is its own conjugate when p ≡ −p (mod nx) and q ≡ −q (mod ny).
    const selfConjugate = (m: number) => (m % 2 === 0 ? [0, m / 2] : [0]);
    for (const p of selfConjugate(nx)) for (const q of selfConjugate(ny)) this.realMode[q * nx + p] = 1;
    this.totals = new Float64Array(N);
    for (let r = 0; r < replicas; r++) for (let k = 0; k < N; k++) this.totals[k] += this.power[r * N + k];
  }

  /** The bias-corrected entropy, from all replicas or leaving replica `leaveOut` out. */
  entropy(leaveOut = -1): number {
    const { replicas, power, zero } = this;
    const N = this.cells;
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
