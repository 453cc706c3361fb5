import type { EngineContext } from '../../context.js';
import { bindings, storage, uniform } from '../../layout/bindings.js';
import { cellDispatch, type Dispatch } from '../../layout/tiles.js';

export const noiseBindings = bindings(0, {
  params: uniform('SimParams'),
  taps: storage('array<f32>'),
  fieldIn: storage('array<f32>', 'read_write'),
  fieldOut: storage('array<f32>', 'read_write'),
}, 'noise');

/**
 * Correlated noise by the separable filter (noise.wgsl): draw ξ into B, filter
 * along x into A, along y into B… ending in `output`, which the update reads.
 * The taps are the coefficients' 1-D factor of G.
 */
export class NoisePass {
  private constructor(
    private readonly ctx: EngineContext,
    private readonly steps: [GPUComputePipeline, GPUBindGroup][],
    private readonly dispatch: Dispatch,
    readonly output: GPUBuffer,
  ) {}

  static async create(ctx: EngineContext): Promise<NoisePass> {
    const correlated = ctx.coefficients.correlated;
    if (!correlated) throw new Error('the noise pass is for correlated noise');
    const parts = [ctx.source('philox'), ctx.source('noise')];
    const [draw, filterX, filterY] = await Promise.all(
      ['draw', 'filter_x', 'filter_y'].map((entry) => ctx.pipeline('noise.wgsl', noiseBindings, parts, entry)),
    );
    const { STORAGE } = GPUBufferUsage;
    const [a, b] = [ctx.buffer('noise A', ctx.fieldBytes, STORAGE), ctx.buffer('noise B', ctx.fieldBytes, STORAGE)];
    const taps = ctx.upload('noise taps', Float32Array.from(correlated.taps));
    const group = (label: string, fieldIn: GPUBuffer, fieldOut: GPUBuffer) =>
      noiseBindings.bindGroup(ctx.device, label, { params: ctx.params, taps, fieldIn, fieldOut });
    return new NoisePass(ctx, [
      [draw, group('draw', b, a)],
      [filterX, group('filter x', a, b)],
      [filterY, group('filter y', b, a)],
    ], cellDispatch(ctx.n, ctx.replicas), a);
  }

  /** Encodes this step's G ξ (group 1, the step slot, must be set). */
  encode(pass: GPUComputePassEncoder): void {
    for (const [pipeline, group] of this.steps) {
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(...this.dispatch);
    }
  }
}
