import type { Config } from '../config/schema.js';
import type { StepObserver, StepView } from '../engine/cpu-engine.js';
import type { EntropyProductionEstimator } from '../engine/engine.js';
import { cellSize } from '../model/kernels.js';
import { BlockAccumulator } from '../numeric/block-accumulator.js';
import { FFT2 } from '../numeric/fft2.js';
import { noisePower } from '../theory/modes.js';

/**
 * Spec §4 on the CPU: the log-ratio of the forward and time-reversed
 * Euler–Maruyama transition densities, per step and per cell,
 *
 *   s_i(n) = Δx²/(2D) · [ Δ_i (F_i + F′_i) + (dt/2)(F′_i² − F_i²) ]      (white noise)
 *
 * For correlated noise (λ > 0) the weight Δx²/(2D) becomes the inverse noise
 * covariance; with H = (G Gᵀ)⁻¹, applied mode by mode as 1/|Ĝ_k|²,
 *
 *   s_i(n) = Δx²/(2D) · [ Δ_i (H(F + F′))_i + (dt/2)(F′_i (HF′)_i − F_i (HF)_i) ]
 *
 * whose sum over cells is the exact log-ratio; H F′ of one step is kept as the
 * H F of the next.
 */
export class CpuEntropyProduction implements StepObserver, EntropyProductionEstimator {
  private readonly weight: number;
  private readonly perCell: Float64Array;
  private readonly accumulator: BlockAccumulator;
  private readonly replicaTotals: Float64Array;
  private readonly inverseCovariance: InverseCovariance | undefined;
  private detachFn: () => void = () => {};

  constructor(private readonly config: Config, replicas: number, blockSteps: number) {
    const dx = cellSize(config);
    this.weight = (dx * dx) / (2 * config.noise.amplitude);
    this.perCell = new Float64Array(replicas * config.grid.n ** 2);
    this.accumulator = new BlockAccumulator(blockSteps, replicas);
    this.replicaTotals = new Float64Array(replicas);
    if (config.noise.correlationLength > 0) this.inverseCovariance = new InverseCovariance(config, replicas);
  }

  withDetach(detach: () => void): this {
    this.detachFn = detach;
    return this;
  }

  onStep(view: StepView): void {
    const { u, uNext, drift: F, driftNext: Fn, replicas, cells } = view;
    const half = this.config.dt / 2;
    const w = this.weight;
    const density = this.perCell;
    const h = this.inverseCovariance?.apply(view);
    // White noise: H is the identity and the weight alone inverts the covariance.
    const [hF, hFn] = h ? [h.hF, h.hFn] : [F, Fn];
    let total = 0;
    for (let r = 0; r < replicas; r++) {
      let replicaTotal = 0;
      for (let j = r * cells; j < (r + 1) * cells; j++) {
        const s = w * ((uNext[j] - u[j]) * (hF[j] + hFn[j]) + half * (Fn[j] * hFn[j] - F[j] * hF[j]));
        density[j] += s;
        replicaTotal += s;
      }
      this.replicaTotals[r] = replicaTotal;
      total += replicaTotal;
    }
    this.accumulator.add(total, this.replicaTotals);
  }

  async blocks() {
    return this.accumulator.result();
  }

  async density(): Promise<Float64Array> {
    return this.perCell.slice();
  }

  detach(): void {
    this.detachFn();
  }
}

/** H F for the drifts of a step, by FFT, reusing the H F′ of the previous step. */
class InverseCovariance {
  private readonly fft: FFT2;
  private readonly inversePower: Float64Array;
  private hF: Float64Array;
  private hFn: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private cachedStep = -1;

  constructor(config: Config, private readonly replicas: number) {
    const n = config.grid.n;
    this.fft = new FFT2(n);
    this.inversePower = noisePower(config).map((p) => 1 / p);
    this.hF = new Float64Array(replicas * n * n);
    this.hFn = new Float64Array(replicas * n * n);
    this.re = new Float64Array(n * n);
    this.im = new Float64Array(n * n);
  }

  apply(view: StepView): { hF: Float64Array; hFn: Float64Array } {
    if (this.cachedStep !== view.step) this.transform(view.drift, this.hF, view.cells);
    this.transform(view.driftNext, this.hFn, view.cells);
    const result = { hF: this.hF, hFn: this.hFn };
    [this.hF, this.hFn] = [this.hFn, this.hF];
    this.cachedStep = view.step + 1;
    return result;
  }

  private transform(v: Float64Array, out: Float64Array, cells: number): void {
    const { re, im, inversePower } = this;
    for (let r = 0; r < this.replicas; r++) {
      re.set(v.subarray(r * cells, (r + 1) * cells));
      im.fill(0);
      this.fft.forward(re, im);
      for (let k = 0; k < cells; k++) {
        re[k] *= inversePower[k];
        im[k] *= inversePower[k];
      }
      this.fft.inverse(re, im);
      out.set(re, r * cells);
    }
  }
}
