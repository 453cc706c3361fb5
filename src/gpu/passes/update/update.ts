import type { EngineContext } from '../../context.js';
import { bindings, storage, uniform } from '../../layout/bindings.js';
import { cellDispatch, type Dispatch } from '../../layout/tiles.js';

export const updateBindings = bindings(0, {
  params: uniform('SimParams'),
  u: storage('array<f32>'),
  drift: storage('array<f32>'),
  uNext: storage('array<f32>', 'read_write'),
  shaped: storage('array<f32>'),
}, 'update');

/** Where the update's noise comes from: Philox directly, the separable filter, or spectral shaping (complex). */
export type UpdateNoise = 'white' | 'shaped' | 'spectral-shaped';

const ENTRY: Record<UpdateNoise, string> = { white: 'update_white', shaped: 'update_shaped', 'spectral-shaped': 'update_spectral_shaped' };

/** The Euler–Maruyama update (update.wgsl): field p and its drift into field 1 − p. */
export class UpdatePass {
  private constructor(
    private readonly pipeline: GPUComputePipeline,
    private readonly groups: [GPUBindGroup, GPUBindGroup],
    private readonly dispatch: Dispatch,
  ) {}

  /** `shaped`: the noise pass's or the spectral shaper's output (unused for white noise). */
  static async create(
    ctx: EngineContext, noise: UpdateNoise, fields: [GPUBuffer, GPUBuffer], drifts: [GPUBuffer, GPUBuffer], shaped: GPUBuffer | undefined,
  ): Promise<UpdatePass> {
    const pipeline = await ctx.pipeline('update.wgsl', updateBindings, [ctx.source('philox'), ctx.source('update')], ENTRY[noise]);
    // update_white reads no shaped noise; a 4-byte buffer fills the slot.
    const noiseIn = shaped ?? ctx.buffer('no noise', 4, GPUBufferUsage.STORAGE);
    const groups = [0, 1].map((p) =>
      updateBindings.bindGroup(ctx.device, `update[${p}]`, { params: ctx.params, u: fields[p], drift: drifts[p], uNext: fields[1 - p], shaped: noiseIn }),
    ) as [GPUBindGroup, GPUBindGroup];
    return new UpdatePass(pipeline, groups, cellDispatch(ctx.grid, ctx.replicas));
  }

  encode(pass: GPUComputePassEncoder, p: number): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.groups[p]);
    pass.dispatchWorkgroups(...this.dispatch);
  }
}
