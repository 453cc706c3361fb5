import { FFT_THREADS, packRadices, type LinePlan } from './plan.js';
import type { FftResources, LineLayout } from './resources.js';
import { twiddles } from './tables.js';

type Direction = 'forward' | 'inverse';
type Dispatch = { group: GPUBindGroup; swapped?: GPUBindGroup; size: [number, number, number] };

/**
 * The FFT of every line of a buffer, for a line length whose factors are
 * 2, 3, 5, 7 (plan.ts: radix2-shared, mixed-shared or stages), in place.
 * The shared paths are one dispatch; the stages path is one per stage,
 * alternating data → scratch → data (an even count: the result ends in data).
 */
export class GpuLines {
  private constructor(
    private readonly pipelines: Record<Direction, GPUComputePipeline>,
    private readonly dispatches: Dispatch[],
  ) {}

  static async create(
    res: FftResources, plan: LinePlan, layout: LineLayout, data: GPUBuffer, scratch: GPUBuffer | undefined,
  ): Promise<GpuLines> {
    const { n } = plan;
    const tw = res.table(`fft twiddles (${n})`, twiddles(n));
    const at = { lines: layout.lines, stride: layout.stride, pitch: layout.pitch, block: layout.block };
    if (plan.kind === 'radix2-shared' || plan.kind === 'mixed-shared') {
      const shared = plan.kind === 'radix2-shared';
      const params = shared
        ? res.params(`fft ${n}`, { n, log2n: plan.log2n, ...at })
        : res.params(`fft ${n}`, { n, radices: packRadices(plan.radices), stages: plan.radices.length, ...at });
      const pipelines = await res.pipelines('fft', shared ? 'fft_shared' : 'fft_shared_mixed');
      const group = res.bindGroup(`fft ${n}`, params, tw, data, res.placeholder);
      return new GpuLines(pipelines, [{ group, size: [layout.lines, layout.replicas, 1] }]);
    }
    if (plan.kind !== 'stages') throw new Error(`GpuLines cannot run a ${plan.kind} plan`);
    if (!scratch) throw new Error(`the FFT's stages of length ${n} need a scratch buffer`);
    const pipelines = await res.pipelines('fft', 'fft_stage');
    let span = 1;
    const dispatches = plan.radices.map((radix, s) => {
      const params = res.params(`fft ${n} stage ${s}`, { n, span, radix, ...at });
      span *= radix;
      return {
        group: res.bindGroup(`fft ${n} stage ${s}`, params, tw, data, scratch),
        swapped: res.bindGroup(`fft ${n} stage ${s} (swapped)`, params, tw, scratch, data),
        size: [Math.ceil(n / radix / FFT_THREADS), layout.lines, layout.replicas] as [number, number, number],
      };
    });
    return new GpuLines(pipelines, dispatches);
  }

  encode(pass: GPUComputePassEncoder, inverse: boolean): void {
    pass.setPipeline(this.pipelines[inverse ? 'inverse' : 'forward']);
    this.dispatches.forEach((d, s) => {
      pass.setBindGroup(0, s % 2 === 1 && d.swapped ? d.swapped : d.group);
      pass.dispatchWorkgroups(...d.size);
    });
  }
}
