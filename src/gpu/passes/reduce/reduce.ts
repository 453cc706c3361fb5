import type { EngineContext } from '../../context.js';
import { bindings, storage, uniform } from '../../layout/bindings.js';
import { ReduceParams } from '../../layout/structs.js';
import { generatedPart } from '../../shaders.js';

export const reduceBindings = bindings(0, {
  reduce: uniform('ReduceParams'),
  partials: storage('array<vec4f>'),
  totals: storage('array<vec4f>', 'read_write'),
}, 'reduce');

/** The generated head of reduce.wgsl: the chunk count and ReduceParams. */
export const reduceHead = (chunks: number) => generatedPart('reduce chunks', `const CHUNKS: u32 = ${chunks}u;\n${ReduceParams.wgsl}`);

/**
 * The second stage of the per-step reduction (reduce.wgsl): a step's
 * workgroup partials, CHUNKS vec4f each, into one row per replica of the
 * window's totals at the step's slot.
 */
export class ReducePass {
  private constructor(private readonly pipeline: GPUComputePipeline, private readonly group: GPUBindGroup, private readonly replicas: number) {}

  /** `reduce`: a uniform of ReduceParams.size bytes, written here. */
  static async create(ctx: EngineContext, chunks: number, partialsPerReplica: number, reduce: GPUBuffer, partials: GPUBuffer, totals: GPUBuffer): Promise<ReducePass> {
    const pipeline = await ctx.pipeline('reduce.wgsl', reduceBindings, [reduceHead(chunks), ctx.source('reduce')], 'reduce_step');
    ctx.device.queue.writeBuffer(reduce, 0, ReduceParams.encode({ partialsPerReplica }));
    return new ReducePass(pipeline, reduceBindings.bindGroup(ctx.device, 'reduce', { reduce, partials, totals }), ctx.replicas);
  }

  encode(pass: GPUComputePassEncoder): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.group);
    pass.dispatchWorkgroups(this.replicas);
  }
}
