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
 * Correlated noise by the separable filter (noise.wgsl): draw ξ, filter along
 * x, then along y, ping-ponging between two buffers and ending in `output`,
 * which the update reads. The taps are the coefficients' 1-D factors of G,
 * x's then y's, in one buffer. A ring's y factor is [1] (radius 0): its
 * filter would only copy, so it is not run.
 */
export class NoisePass {
  private constructor(
    private readonly steps: [GPUComputePipeline, GPUBindGroup][],
    private readonly dispatch: Dispatch,
    readonly output: GPUBuffer,
  ) {}

  static async create(ctx: EngineContext): Promise<NoisePass> {
    const correlated = ctx.coefficients.correlated;
    if (!correlated) throw new Error('the noise pass is for correlated noise');
    const filters = isIdentity(correlated.tapsY) ? ['filter_x'] : ['filter_x', 'filter_y'];
    const parts = [ctx.source('philox'), ctx.source('noise')];
    const pipelines = await Promise.all(['draw', ...filters].map((entry) => ctx.pipeline('noise.wgsl', noiseBindings, parts, entry)));
    const { STORAGE } = GPUBufferUsage;
    const buffers = [ctx.buffer('noise A', ctx.fieldBytes, STORAGE), ctx.buffer('noise B', ctx.fieldBytes, STORAGE)];
    const taps = ctx.upload('noise taps', Float32Array.from([...correlated.tapsX, ...correlated.tapsY]));
    // Step s reads buffer s % 2 and writes the other (the draw reads nothing: its fieldIn is a stand-in).
    const steps = pipelines.map((pipeline, s): [GPUComputePipeline, GPUBindGroup] => [
      pipeline,
      noiseBindings.bindGroup(ctx.device, s === 0 ? 'draw' : filters[s - 1], {
        params: ctx.params, taps, fieldIn: buffers[s % 2], fieldOut: buffers[(s + 1) % 2],
      }),
    ]);
    return new NoisePass(steps, cellDispatch(ctx.grid, ctx.replicas), buffers[steps.length % 2]);
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

/** A 1-D filter that leaves its input as it is: the single tap 1 (a ring's y factor). */
function isIdentity(taps: Float64Array): boolean {
  return taps.length === 1 && taps[0] === 1;
}
