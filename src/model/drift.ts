import { gridOf } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { stepCoefficients } from './coefficients.js';
import { kernelStencil } from './kernels.js';
import { PeriodicConvolver } from './stencil.js';
import { applyTransfer } from './transfer.js';

/**
 * F(u) = (−u + K f(u) + h)/τ of docs/model.md §2, in float64, for fields of R replicas.
 * With maps (docs/model.md §8): F_i = (−u_i + Σ_j K_ij f_j(u_j) + h_i)/τ, f_j(u) = slope_j·u
 * for a linear transfer; slope and input come from stepCoefficients.
 */
export class DriftOperator {
  private readonly kernel: PeriodicConvolver;
  private readonly transferred: Float64Array;

  constructor(readonly config: Config) {
    this.kernel = new PeriodicConvolver(gridOf(config), kernelStencil(config));
    this.transferred = new Float64Array(gridOf(config).cells);
  }

  /** out = F(u) for `replicas` consecutive fields. */
  apply(u: Float64Array, out: Float64Array, replicas = 1): void {
    const N = gridOf(this.config).cells;
    const { tau, transfer } = this.config;
    const { gain, input } = stepCoefficients(this.config);
    const inv = 1 / tau;
    for (let r = 0; r < replicas; r++) {
      const o = r * N;
      applyTransfer(transfer, u, this.transferred, o, 0, N, transfer.type === 'linear' ? gain : undefined);
      this.kernel.apply(this.transferred, out, 0, o);
      if (typeof input === 'number') for (let i = 0; i < N; i++) out[o + i] = (out[o + i] - u[o + i] + input) * inv;
      else for (let i = 0; i < N; i++) out[o + i] = (out[o + i] - u[o + i] + input[i]) * inv;
    }
  }
}
