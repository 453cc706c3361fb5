import type { EngineContext } from '../../context.js';
import { bindings, storage, uniform } from '../../layout/bindings.js';
import { cellDispatch, type Dispatch } from '../../layout/tiles.js';
import { GpuFft2 } from '../fft/fft.js';

export const spectralBindings = bindings(0, {
  params: uniform('SimParams'),
  u: storage('array<f32>'),
  spectrum: storage('array<vec2f>', 'read_write'),
  kernelHat: storage('array<vec2f>'),
}, 'spectral');

/** What the filter transforms: f(u) of a field, a real field (a drift), or fresh normals. */
export type SpectralInput = 'to_complex' | 'real_to_complex' | 'draw_complex';

/**
 * One complex buffer and the passes that fill it with IFFT(M_k · FFT(x)):
 * a preparation kernel writes x (f(u), a drift, or fresh normals) into the
 * buffer, then forward FFT, a multiply by the mode multiplier M_k (with
 * 1/(nx·ny) folded in), inverse FFT. The 2-D FFT is over the grid's nx × ny;
 * on a ring (ny = 1) its column transform is the identity and only rows run. The engine uses it three ways: the FFT convolution
 * (M = Ŵ), spectral noise shaping (M = Ĝ) and the inverse noise covariance of
 * the correlated-noise observers (M = 1/q̂). One bind group per input buffer.
 */
export class SpectralFilter {
  private constructor(
    private readonly prepare: GPUComputePipeline,
    private readonly multiply: GPUComputePipeline,
    private readonly fft: GpuFft2,
    private readonly groups: GPUBindGroup[],
    private readonly dispatch: Dispatch,
    readonly output: GPUBuffer,
  ) {}

  /**
   * `spectrum`: the multiplier per mode k (index p + nx·q), real and, when the
   * stencil is not even, imaginary parts (float64; 1/(nx·ny) is folded in here).
   * `inputs`: the fields the filter can read, by index (draw_complex reads none:
   * one stands in for the layout's slot).
   */
  static async create(
    ctx: EngineContext, label: string, input: SpectralInput, spectrum: { re: ArrayLike<number>; im?: ArrayLike<number> }, inputs: GPUBuffer[],
  ): Promise<SpectralFilter> {
    const parts = [ctx.source('transfer'), ctx.source('philox'), ctx.source('spectral')];
    const [prepare, multiply] = await Promise.all([
      ctx.pipeline('spectral.wgsl', spectralBindings, parts, input, ctx.transferConstants),
      ctx.pipeline('spectral.wgsl', spectralBindings, parts, 'multiply_kernel', ctx.transferConstants),
    ]);
    const output = ctx.buffer(label, 2 * ctx.fieldBytes, GPUBufferUsage.STORAGE);
    const kernelHat = ctx.upload(`${label} multiplier`, complexMultiplier(spectrum.re, spectrum.im, ctx.cells));
    const groups = inputs.map((u, i) =>
      spectralBindings.bindGroup(ctx.device, `${label}[${i}]`, { params: ctx.params, u, spectrum: output, kernelHat }),
    );
    const fft = await GpuFft2.create(ctx.device, [ctx.grid.nx, ctx.grid.ny], ctx.replicas, output);
    return new SpectralFilter(prepare, multiply, fft, groups, cellDispatch(ctx.grid, ctx.replicas), output);
  }

  /** Encodes the filter of input `i` into the pass (group 1, the step slot, must be set). */
  encode(pass: GPUComputePassEncoder, i = 0): void {
    pass.setPipeline(this.prepare);
    pass.setBindGroup(0, this.groups[i]);
    pass.dispatchWorkgroups(...this.dispatch);
    this.fft.encode(pass, false);
    pass.setPipeline(this.multiply);
    pass.setBindGroup(0, this.groups[i]);
    pass.dispatchWorkgroups(...this.dispatch);
    this.fft.encode(pass, true);
  }

  destroy(): void {
    this.fft.destroy();
  }
}

/**
 * A complex multiplier (interleaved re, im) from a spectrum of `cells` modes,
 * 1/cells folded in for the unnormalised FFT pair (forward then inverse multiplies by nx·ny).
 */
export function complexMultiplier(re: ArrayLike<number>, im: ArrayLike<number> | undefined, cells: number): Float32Array<ArrayBuffer> {
  if (re.length !== cells || (im && im.length !== cells)) throw new RangeError(`a multiplier of ${re.length} modes for ${cells} cells`);
  const out = new Float32Array(2 * cells);
  for (let c = 0; c < cells; c++) {
    out[2 * c] = re[c] / cells;
    out[2 * c + 1] = im ? im[c] / cells : 0;
  }
  return out;
}
