import { bindings, storage, uniform } from '../../layout/bindings.js';
import { FftParams, type FftParamValues } from '../../layout/structs.js';
import { computePipeline } from '../../pipelines.js';
import { generatedPart, shaderPart } from '../../shaders.js';

export const fftBindings = bindings(0, {
  fft: uniform('FftParams'),
  tw: storage('array<vec2f>'),
  data: storage('array<vec2f>', 'read_write'),
  other: storage('array<vec2f>', 'read_write'),
}, 'fft');

const generated = () => generatedPart('FftParams and bindings of fft.wgsl and bluestein.wgsl', FftParams.wgsl + fftBindings.wgsl);

/** The FFT's module: FftParams and its bindings, generated, then fft.wgsl. */
export const fftParts = () => [generated(), shaderPart('fft')];
/** Bluestein's steps: the same declarations, then bluestein.wgsl. */
export const bluesteinParts = () => [generated(), shaderPart('bluestein')];

/** Where the lines of one transform lie in the buffer bound as `data` (FftParams' addressing). */
export interface LineLayout {
  /** Lines per replica. */
  lines: number;
  replicas: number;
  /** Between the values of a line, between lines, between replicas (in vec2f). */
  stride: number;
  pitch: number;
  block: number;
}

/**
 * The buffers, uniforms and pipelines of one GpuFft2, made through one
 * object so that destroy() frees them all.
 */
export class FftResources {
  private readonly buffers: GPUBuffer[] = [];
  private unused: GPUBuffer | undefined;

  constructor(readonly device: GPUDevice) {}

  buffer(label: string, size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ label, size, usage });
    this.buffers.push(b);
    return b;
  }

  /** A uniform of FftParams; fields not given are 0. */
  params(label: string, values: Partial<FftParamValues>): GPUBuffer {
    const zero = Object.fromEntries(FftParams.fields.map(([name]) => [name, 0])) as FftParamValues;
    const b = this.buffer(label, FftParams.size, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(b, 0, FftParams.encode({ ...zero, ...values }));
    return b;
  }

  /** A read-only table (twiddles, a chirp, a kernel spectrum). */
  table(label: string, values: Float32Array<ArrayBuffer>): GPUBuffer {
    const b = this.buffer(label, values.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(b, 0, values);
    return b;
  }

  /** What a kernel that does not use `other` binds there (two read-write bindings may not alias). */
  get placeholder(): GPUBuffer {
    return (this.unused ??= this.buffer('fft unused', 8, GPUBufferUsage.STORAGE));
  }

  bindGroup(label: string, params: GPUBuffer, tw: GPUBuffer, data: GPUBuffer, other: GPUBuffer): GPUBindGroup {
    return fftBindings.bindGroup(this.device, label, { fft: params, tw, data, other });
  }

  /** The forward and inverse pipelines of an entry point. */
  async pipelines(parts: 'fft' | 'bluestein', entryPoint: string): Promise<Record<'forward' | 'inverse', GPUComputePipeline>> {
    const make = (inverse: number) =>
      computePipeline(this.device, {
        label: `${parts}.wgsl`,
        parts: parts === 'fft' ? fftParts() : bluesteinParts(),
        entryPoint,
        constants: { INVERSE: inverse },
        groups: [fftBindings],
      });
    const [forward, inverse] = await Promise.all([make(0), make(1)]);
    return { forward, inverse };
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}
