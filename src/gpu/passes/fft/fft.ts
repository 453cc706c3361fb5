import { GpuError, withErrorScopes } from '../../errors.js';
import { bindings, storage, uniform } from '../../layout/bindings.js';
import { FftParams } from '../../layout/structs.js';
import { computePipeline } from '../../pipelines.js';
import { generatedPart, shaderPart } from '../../shaders.js';

/** Lines up to this length are transformed in workgroup memory (2048 complex floats: 16 KiB). */
export const MAX_SHARED_FFT = 2048;
const THREADS = 256;

export const fftBindings = bindings(0, {
  fft: uniform('FftParams'),
  tw: storage('array<vec2f>'),
  data: storage('array<vec2f>', 'read_write'),
  other: storage('array<vec2f>', 'read_write'),
}, 'fft');

/** The FFT's module: FftParams and its bindings, generated, then fft.wgsl. */
export const fftParts = () => [generatedPart('FftParams and bindings of fft.wgsl', FftParams.wgsl + fftBindings.wgsl), shaderPart('fft')];

/**
 * 2-D complex FFT on the GPU for R replicas of n×n values (n a power of two,
 * 4 to 8192), in place on a buffer of vec2f (fft.wgsl): rows, then columns.
 * Lines of up to 2048 values stay in workgroup memory; longer ones run one
 * Stockham stage per dispatch through a scratch buffer of the same size.
 * Neither direction scales: forward then inverse multiplies by n².
 */
export class GpuFft2 {
  private readonly log2n: number;
  private readonly shared: boolean;
  private readonly buffers: GPUBuffer[] = [];
  private pipelines!: Record<'rows' | 'cols', Record<'forward' | 'inverse', GPUComputePipeline>>;
  private groups!: { data: GPUBindGroup[]; swapped: GPUBindGroup[] };
  private scratch: GPUBuffer | undefined;

  static async create(device: GPUDevice, n: number, replicas: number, data: GPUBuffer, options: { forceGlobal?: boolean } = {}): Promise<GpuFft2> {
    const fft = new GpuFft2(device, n, replicas, options.forceGlobal ?? false);
    await fft.init(data);
    return fft;
  }

  private constructor(private readonly device: GPUDevice, readonly n: number, readonly replicas: number, forceGlobal: boolean) {
    if (!(Number.isInteger(Math.log2(n)) && n >= 4 && n <= 8192)) throw new GpuError(`GPU FFT sizes are powers of two from 4 to 8192 (got ${n})`);
    this.log2n = Math.log2(n);
    this.shared = !forceGlobal && n <= MAX_SHARED_FFT;
  }

  private async init(data: GPUBuffer): Promise<void> {
    const { device, n } = this;
    await withErrorScopes(device, 'creating the FFT pipelines', async () => {
      const entryPoint = this.shared ? 'fft_shared' : 'fft_global_stage';
      const make = (axis: number, inverse: number) =>
        computePipeline(device, { label: 'fft.wgsl', parts: fftParts(), entryPoint, constants: { AXIS: axis, INVERSE: inverse }, groups: [fftBindings] });
      const [rf, ri, cf, ci] = await Promise.all([make(0, 0), make(0, 1), make(1, 0), make(1, 1)]);
      this.pipelines = { rows: { forward: rf, inverse: ri }, cols: { forward: cf, inverse: ci } };
      // Twiddles in float64 on the host: WGSL's sin and cos are good to 2⁻¹¹ only.
      const twiddles = new Float32Array(n);
      for (let m = 0; m < n / 2; m++) {
        twiddles[2 * m] = Math.cos((2 * Math.PI * m) / n);
        twiddles[2 * m + 1] = -Math.sin((2 * Math.PI * m) / n);
      }
      const tw = this.own('fft twiddles', twiddles.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      device.queue.writeBuffer(tw, 0, twiddles);
      this.scratch = this.shared ? undefined : this.own('fft scratch', data.size, GPUBufferUsage.STORAGE);
      // One uniform per stage (the global path's span); the shared path uses the first.
      const stages = this.shared ? 1 : this.log2n;
      const group = (stage: number, from: GPUBuffer, to: GPUBuffer) => {
        const params = this.own('fft params', FftParams.size, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
        device.queue.writeBuffer(params, 0, FftParams.encode({ n, log2n: this.log2n, span: 1 << stage, lines: n }));
        return fftBindings.bindGroup(device, `fft stage ${stage}`, { fft: params, tw, data: from, other: to });
      };
      const other = this.scratch ?? this.own('fft unused', 8, GPUBufferUsage.STORAGE);
      this.groups = {
        data: Array.from({ length: stages }, (_, s) => group(s, data, other)),
        swapped: this.shared ? [] : Array.from({ length: stages }, (_, s) => group(s, other, data)),
      };
    });
  }

  private own(label: string, size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ label, size, usage });
    this.buffers.push(b);
    return b;
  }

  /** Encodes the 2-D transform of the data buffer, in place, into a compute pass. */
  encode(pass: GPUComputePassEncoder, inverse: boolean): void {
    const direction = inverse ? 'inverse' : 'forward';
    // Global stages alternate data → scratch → data → …; rows and columns
    // together take 2·log2(n) stages, an even count, so the result ends in data.
    let stage = 0;
    for (const axis of ['rows', 'cols'] as const) {
      pass.setPipeline(this.pipelines[axis][direction]);
      if (this.shared) {
        pass.setBindGroup(0, this.groups.data[0]);
        pass.dispatchWorkgroups(this.n, this.replicas);
        continue;
      }
      for (let s = 0; s < this.log2n; s++, stage++) {
        pass.setBindGroup(0, stage % 2 === 0 ? this.groups.data[s] : this.groups.swapped[s]);
        pass.dispatchWorkgroups(Math.ceil(this.n / 2 / THREADS), this.n, this.replicas);
      }
    }
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}
