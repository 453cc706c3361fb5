import { GpuLines } from './lines.js';
import { FFT_THREADS, type LinePlan } from './plan.js';
import type { FftResources, LineLayout } from './resources.js';
import { chirp, chirpKernelSpectrum } from './tables.js';

type BluesteinPlan = Extract<LinePlan, { kind: 'bluestein' }>;

/** Bytes of Bluestein's work buffer (and of its scratch, when its inner FFT runs in stages). */
export function bluesteinWorkBytes(plan: BluesteinPlan, layout: Pick<LineLayout, 'lines' | 'replicas'>): number {
  return 8 * plan.padded * layout.lines * layout.replicas;
}

/**
 * Bluestein's chirp-z transform of every line of a buffer, for lengths with a
 * prime factor above 7 (bluestein.wgsl): chirp in, a cyclic convolution with
 * the chirp kernel by a forward FFT, a multiply and an inverse FFT of the
 * power-of-two padded length (GpuLines on the work buffer), chirp out. The
 * chirp and the kernel's spectrum come from the host in float64 (tables.ts).
 */
export class GpuBluestein {
  private constructor(
    private readonly steps: Record<'chirpIn' | 'chirpOut', Record<'forward' | 'inverse', GPUComputePipeline>> & { multiply: GPUComputePipeline },
    private readonly groups: { chirp: GPUBindGroup; multiply: GPUBindGroup },
    private readonly inner: GpuLines,
    private readonly sizes: { padded: [number, number, number]; line: [number, number, number] },
  ) {}

  /** `work` holds bluesteinWorkBytes; `innerScratch` too when the padded length runs in stages. */
  static async create(
    res: FftResources, plan: BluesteinPlan, layout: LineLayout, data: GPUBuffer, work: GPUBuffer, innerScratch: GPUBuffer | undefined,
  ): Promise<GpuBluestein> {
    const { n, padded } = plan;
    const params = res.params(`bluestein ${n}`, {
      n, padded, lines: layout.lines, stride: layout.stride, pitch: layout.pitch, block: layout.block,
    });
    const w = res.table(`bluestein ${n} chirp`, chirp(n));
    const kernel = res.table(`bluestein ${n} kernel spectrum`, chirpKernelSpectrum(n, padded));
    const workLayout: LineLayout = { lines: layout.lines, replicas: layout.replicas, stride: 1, pitch: padded, block: padded * layout.lines };
    const [chirpIn, multiply, chirpOut, inner] = await Promise.all([
      res.pipelines('bluestein', 'chirp_in'),
      res.pipelines('bluestein', 'chirp_multiply'),
      res.pipelines('bluestein', 'chirp_out'),
      GpuLines.create(res, plan.inner, workLayout, work, innerScratch),
    ]);
    const groups = {
      chirp: res.bindGroup(`bluestein ${n} chirp`, params, w, data, work),
      multiply: res.bindGroup(`bluestein ${n} multiply`, params, kernel, work, res.placeholder),
    };
    const sizes = {
      padded: [Math.ceil(padded / FFT_THREADS), layout.lines, layout.replicas] as [number, number, number],
      line: [Math.ceil(n / FFT_THREADS), layout.lines, layout.replicas] as [number, number, number],
    };
    return new GpuBluestein({ chirpIn, chirpOut, multiply: multiply.forward }, groups, inner, sizes);
  }

  encode(pass: GPUComputePassEncoder, inverse: boolean): void {
    const direction = inverse ? 'inverse' : 'forward';
    pass.setPipeline(this.steps.chirpIn[direction]);
    pass.setBindGroup(0, this.groups.chirp);
    pass.dispatchWorkgroups(...this.sizes.padded);
    this.inner.encode(pass, false);
    pass.setPipeline(this.steps.multiply);
    pass.setBindGroup(0, this.groups.multiply);
    pass.dispatchWorkgroups(...this.sizes.padded);
    this.inner.encode(pass, true);
    pass.setPipeline(this.steps.chirpOut[direction]);
    pass.setBindGroup(0, this.groups.chirp);
    pass.dispatchWorkgroups(...this.sizes.line);
  }
}
