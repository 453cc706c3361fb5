import type { EngineContext } from '../../context.js';
import { bindings, storage, uniform, type BindingSet, type BufferResource } from '../../layout/bindings.js';
import { directDispatch, tiledDispatch, type Dispatch } from '../../layout/tiles.js';
import { unobserved, type ObservationCode } from '../../observation/code.js';
import { checkStorageLimit, type ObservingKernel } from '../observing-kernel.js';

/** The convolution of the drift: the tiled stencil (both radii ≤ MAX_TILED_RADIUS), the direct stencil, or K f(u) from the FFT. */
export type DriftVariant = 'tiled' | 'direct' | 'spectral';

/** The drift pass's group 0: its own bindings, then (observing) u_n, F(u_n) and the observation's. */
export function driftBindings(variant: DriftVariant, code?: ObservationCode): BindingSet {
  const own = bindings(0, {
    params: uniform('SimParams'),
    u: storage('array<f32>'),
    drift: storage('array<f32>', 'read_write'),
    ...(variant === 'spectral' ? { convolved: storage('array<vec2f>') } : { weights: storage('array<f32>') }),
  }, `drift (${variant})`);
  return code ? own.extend({ uPrev: storage('array<f32>'), driftPrev: storage('array<f32>'), ...code.bindings }, `drift (${variant}, observing)`) : own;
}

/**
 * F(u) of field p into drift buffer p (drift.wgsl and the variant's file).
 * Unobserved, its hooks are no-ops; `observing` composes the same kernel with
 * an observer set (white noise: the observation fused into the drift).
 */
export class DriftPass {
  readonly dispatch: Dispatch;

  private constructor(
    private readonly ctx: EngineContext,
    readonly variant: DriftVariant,
    private readonly pipeline: GPUComputePipeline,
    private readonly groups: [GPUBindGroup, GPUBindGroup],
    private readonly resources: [Record<string, BufferResource>, Record<string, BufferResource>],
  ) {
    this.dispatch = variant === 'tiled' ? tiledDispatch(ctx.grid, ctx.replicas) : directDispatch(ctx.grid, ctx.replicas);
  }

  /** `convolved`: the FFT convolution's output (spectral variant). */
  static async create(
    ctx: EngineContext, variant: DriftVariant, fields: [GPUBuffer, GPUBuffer], drifts: [GPUBuffer, GPUBuffer], convolved?: GPUBuffer,
  ): Promise<DriftPass> {
    const layout = driftBindings(variant);
    const pipeline = await ctx.pipeline(`drift-${variant}.wgsl`, layout, DriftPass.parts(ctx, variant, [unobserved]), `drift_${variant}`, ctx.transferConstants);
    const source: Record<string, BufferResource> = variant === 'spectral'
      ? { convolved: convolved! }
      // Flipped, so that the tiled kernel reads the convolution as a correlation (tiled.wgsl).
      : { weights: ctx.upload('kernel weights', Float32Array.from(ctx.coefficients.kernel.weights).reverse()) };
    const resources = [0, 1].map((p): Record<string, BufferResource> => ({
      params: ctx.params, u: fields[p], drift: drifts[p], ...source, uPrev: fields[1 - p], driftPrev: drifts[1 - p],
    })) as [Record<string, BufferResource>, Record<string, BufferResource>];
    const groups = [0, 1].map((p) => layout.bindGroup(ctx.device, `drift[${p}]`, resources[p])) as [GPUBindGroup, GPUBindGroup];
    return new DriftPass(ctx, variant, pipeline, groups, resources);
  }

  private static parts(ctx: EngineContext, variant: DriftVariant, observation: ReturnType<EngineContext['source']>[]) {
    return [ctx.source('transfer'), ctx.source('drift'), ctx.source(`drift-${variant}`), ...observation];
  }

  /** The drift kernel observing a set of observers; `buffers`: the observation's bindings by name. */
  async observing(code: ObservationCode, buffers: Record<string, BufferResource>): Promise<ObservingKernel> {
    const layout = driftBindings(this.variant, code);
    checkStorageLimit(this.ctx.device, layout, code.slots.map((s) => s.name), this.ctx.groups);
    const pipeline = await this.ctx.pipeline(`drift-${this.variant}.wgsl`, layout, DriftPass.parts(this.ctx, this.variant, code.parts), `drift_${this.variant}`, this.ctx.transferConstants);
    const groups = [0, 1].map((p) =>
      layout.bindGroup(this.ctx.device, `drift[${p}] observing`, { ...this.resources[p], ...buffers }),
    ) as [GPUBindGroup, GPUBindGroup];
    return { pipeline, groups, dispatch: this.dispatch, storageBuffers: layout.storageCount };
  }

  /** F(u) of field p; with `kernel`, the observing variant. */
  encode(pass: GPUComputePassEncoder, p: number, kernel?: ObservingKernel): void {
    pass.setPipeline(kernel?.pipeline ?? this.pipeline);
    pass.setBindGroup(0, (kernel?.groups ?? this.groups)[p]);
    pass.dispatchWorkgroups(...this.dispatch);
  }
}
