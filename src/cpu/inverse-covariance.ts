import { FFT2 } from '../numeric/fft2.js';
import type { Plane } from '../model/stencil.js';

/**
 * H v for fields of R replicas, H the inverse of the normalised noise
 * covariance (docs/model.md §4): H is circulant, so it is applied mode by
 * mode as 1/q̂_k by FFT, in float64. With a noise-amplitude map (docs/model.md §8)
 * it applies diag(√D)·H·diag(1/√D) instead (`scale` = √D per cell), so that
 * the estimator's per-cell weight stays a/(2 D_i).
 */
export class InverseCovariance {
  private readonly fft: FFT2;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(
    private readonly plane: Plane,
    private readonly inversePower: Float64Array,
    private readonly scale?: Float64Array,
  ) {
    this.fft = new FFT2(plane.nx, plane.ny);
    this.re = new Float64Array(plane.nx * plane.ny);
    this.im = new Float64Array(plane.nx * plane.ny);
  }

  /** out = H v (diag(√D)·H·diag(1/√D) v with a noise map), for `replicas` consecutive fields. */
  apply(v: Float64Array, out: Float64Array, replicas: number): void {
    const { re, im, inversePower } = this;
    const cells = this.plane.nx * this.plane.ny;
    for (let r = 0; r < replicas; r++) {
      re.set(v.subarray(r * cells, (r + 1) * cells));
      const scale = this.scale;
      if (scale) for (let i = 0; i < cells; i++) re[i] /= scale[i];
      im.fill(0);
      this.fft.forward(re, im);
      for (let k = 0; k < cells; k++) {
        re[k] *= inversePower[k];
        im[k] *= inversePower[k];
      }
      this.fft.inverse(re, im);
      if (scale) for (let i = 0; i < cells; i++) re[i] *= scale[i];
      out.set(re, r * cells);
    }
  }
}
