import { GpuFft2 } from './fft.js';
import type { Kernels } from './kernels.js';

/**
 * One complex buffer and the passes that fill it with IFFT(M_k · FFT(x)):
 * a preparation kernel writes x (f(u), a drift, or fresh normals) into the
 * buffer, then forward FFT, a multiply by the mode multiplier M_k (with 1/n²
 * folded in), inverse FFT. The engine uses it three ways: the FFT convolution
 * (M = Ŵ), spectral noise shaping (M = Ĝ) and the inverse noise covariance of
 * the correlated-noise estimator (M = 1/q̂). One bind group per input buffer.
 */
export class SpectralFilter {
  private fft: GpuFft2 | undefined;
  private readonly groups: GPUBindGroup[];

  constructor(
    private readonly device: GPUDevice,
    private readonly kernels: Kernels,
    private readonly prepare: GPUComputePipeline,
    readonly output: GPUBuffer,
    params: GPUBuffer,
    multiplier: GPUBuffer,
    inputs: GPUBuffer[],
    private readonly dispatch: [number, number, number],
    label: string,
  ) {
    this.groups = inputs.map((input, i) =>
      device.createBindGroup({
        label: `${label}[${i}]`,
        layout: kernels.spectralLayout,
        entries: [params, input, output, multiplier].map((buffer, binding) => ({ binding, resource: { buffer } })),
      }),
    );
  }

  async init(n: number, replicas: number): Promise<void> {
    this.fft = await GpuFft2.create(this.device, n, replicas, this.output);
  }

  /** Encodes the filter of input `i` into the pass (group 1, the step params, must be set). */
  encode(pass: GPUComputePassEncoder, i = 0): void {
    const fft = this.fft!;
    pass.setPipeline(this.prepare);
    pass.setBindGroup(0, this.groups[i]);
    pass.dispatchWorkgroups(...this.dispatch);
    fft.encode(pass, false);
    pass.setPipeline(this.kernels.multiplyKernel);
    pass.setBindGroup(0, this.groups[i]);
    pass.dispatchWorkgroups(...this.dispatch);
    fft.encode(pass, true);
  }

  destroy(): void {
    this.fft?.destroy();
  }
}

/** A complex multiplier (interleaved re, im) from a spectrum, 1/n² folded in for the unnormalised FFT pair. */
export function complexMultiplier(re: ArrayLike<number>, im: ArrayLike<number> | undefined, n: number): Float32Array<ArrayBuffer> {
  const out = new Float32Array(2 * n * n);
  for (let c = 0; c < n * n; c++) {
    out[2 * c] = re[c] / (n * n);
    out[2 * c + 1] = im ? im[c] / (n * n) : 0;
  }
  return out;
}
