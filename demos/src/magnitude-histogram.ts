import { withErrorScopes } from '../../src/gpu/errors.js';
import { wgsl } from '../../src/gpu/wgsl.generated.js';

/** Bins of shaders/magnitude-histogram.wgsl: ten bits of |v|'s float pattern (eight exponent, two mantissa). */
export const BINS = 1024;
const WORKGROUP = 256;
/**
 * Workgroups of one dispatch. Each flushes its shared bins into the global
 * histogram once; 256 groups of 256 threads are enough to fill any GPU, and
 * at 4096² leave each thread 256 values.
 */
const MAX_GROUPS = 256;

/** The bounds of histogram bin `b`: [lower, upper), exact (bin edges are floats). */
export function binBounds(b: number): { lower: number; upper: number } {
  const f = new Float32Array(new Uint32Array([b << 21, (b + 1) << 21]).buffer);
  return { lower: f[0], upper: b + 1 >= BINS ? Infinity : f[1] };
}

/** The bin of `index` (0-based, in ascending |v|) among the counts: where the cumulative count passes it. */
export function binOfRank(counts: Uint32Array, index: number): number {
  let seen = 0;
  for (let b = 0; b < counts.length; b++) {
    seen += counts[b];
    if (seen > index) return b;
  }
  return counts.length - 1;
}

/**
 * A percentile of |v| over the first `count` values of a GPU buffer, from a
 * histogram built on the GPU (shaders/magnitude-histogram.wgsl): 4 KiB come
 * back instead of the values. The result brackets the value a sort would give
 * (the element at ⌊q·(count − 1)⌋ of the sorted magnitudes): `lower` ≤ it <
 * `upper`, one bin, at most 25% wide; `value` is the bin's middle.
 */
export class MagnitudeHistogram {
  private pipeline: GPUComputePipeline | undefined;
  private readonly params: GPUBuffer;
  private readonly histogram: GPUBuffer;
  private readonly staging: GPUBuffer;
  private busy = false;

  constructor(private readonly device: GPUDevice) {
    const { UNIFORM, STORAGE, COPY_DST, COPY_SRC, MAP_READ } = GPUBufferUsage;
    this.params = device.createBuffer({ label: 'histogram params', size: 16, usage: UNIFORM | COPY_DST });
    this.histogram = device.createBuffer({ label: 'magnitude histogram', size: BINS * 4, usage: STORAGE | COPY_SRC | COPY_DST });
    this.staging = device.createBuffer({ label: 'histogram readback', size: BINS * 4, usage: MAP_READ | COPY_DST });
  }

  private async compile(): Promise<GPUComputePipeline> {
    return (this.pipeline ??= await withErrorScopes(this.device, 'compiling magnitude-histogram.wgsl', () => {
      const module = this.device.createShaderModule({ label: 'magnitude-histogram.wgsl', code: wgsl['magnitude-histogram'] });
      return this.device.createComputePipelineAsync({ label: 'magnitude histogram', layout: 'auto', compute: { module, entryPoint: 'count_magnitudes' } });
    }));
  }

  /** The counts per bin of |v| over values[0 .. count). */
  async counts(values: GPUBuffer, count: number): Promise<Uint32Array> {
    if (this.busy) throw new Error('MagnitudeHistogram: one read at a time (its staging buffer is shared)');
    this.busy = true;
    try {
      const pipeline = await this.compile();
      const groups = Math.max(1, Math.min(MAX_GROUPS, Math.ceil(count / WORKGROUP)));
      await withErrorScopes(this.device, 'building a magnitude histogram', () => {
        this.device.queue.writeBuffer(this.params, 0, new Uint32Array([count, groups * WORKGROUP, 0, 0]));
        const group = this.device.createBindGroup({
          layout: pipeline.getBindGroupLayout(0),
          entries: [
            { binding: 0, resource: { buffer: this.params } },
            { binding: 1, resource: { buffer: values } },
            { binding: 2, resource: { buffer: this.histogram } },
          ],
        });
        const encoder = this.device.createCommandEncoder({ label: 'magnitude histogram' });
        encoder.clearBuffer(this.histogram);
        const pass = encoder.beginComputePass();
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, group);
        pass.dispatchWorkgroups(groups);
        pass.end();
        encoder.copyBufferToBuffer(this.histogram, 0, this.staging, 0, BINS * 4);
        this.device.queue.submit([encoder.finish()]);
      });
      await this.staging.mapAsync(GPUMapMode.READ);
      const counts = new Uint32Array(this.staging.getMappedRange().slice(0));
      this.staging.unmap();
      return counts;
    } finally {
      this.busy = false;
    }
  }

  /** The q-quantile (0 ≤ q ≤ 1) of |v| over values[0 .. count), to within its histogram bin. */
  async percentile(values: GPUBuffer, count: number, q: number): Promise<{ lower: number; upper: number; value: number }> {
    if (!(count >= 1)) throw new RangeError(`a percentile of ${count} values`);
    const counts = await this.counts(values, count);
    const { lower, upper } = binBounds(binOfRank(counts, Math.floor(q * (count - 1))));
    return { lower, upper, value: Number.isFinite(upper) ? (lower + upper) / 2 : lower };
  }

  destroy(): void {
    for (const b of [this.params, this.histogram, this.staging]) b.destroy();
  }
}
