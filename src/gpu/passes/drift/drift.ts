import { gridOf, kernelRadii } from '../../../config/geometry.js';
import type { Config } from '../../../config/schema.js';
import type { EngineContext } from '../../context.js';
import type { ConvolutionRequest } from '../../convolution-choice.js';
import type { ShaderPart } from '../../errors.js';
import type { BufferLimits } from '../../buffer-limits.js';
import { bindings, storage, uniform, type BindingSet, type BufferBinding, type BufferResource } from '../../layout/bindings.js';
import { directDispatch, fitsTile, separableColumnDispatch, separableRowDispatch, tiledDispatch, type Dispatch, type SeparableShape } from '../../layout/tiles.js';
import { unobserved, type ObservationCode } from '../../observation/code.js';
import { checkStorageLimit, type ObservingKernel } from '../observing-kernel.js';
import { separableTaps } from './separable-taps.js';
import { SeparableStencil, tapsBinding, termsType, type SeparableForm } from './separable.js';

/**
 * The convolution of the drift: the separable stencil (a pass along x, then
 * one along y, 2(2r + 1) multiply-adds per cell and term; radii ≤
 * MAX_SEPARABLE_RADIUS), the 2-D stencil tiled (both radii ≤
 * MAX_TILED_RADIUS) or direct (wider), or K f(u) from the FFT.
 */
export type DriftVariant = 'separable' | 'tiled' | 'direct' | 'spectral';

/**
 * The variant that runs a convolution path. `stencil` takes the separable
 * stencil wherever it is exact and fits: the kernel factorises into at most
 * two terms (separable-taps.ts), both radii are ≤ MAX_SEPARABLE_RADIUS, and
 * on a 2-D grid the row pass's output (terms × a field) fits one buffer;
 * else the 2-D stencil. `stencil-2d` always takes the 2-D stencil, kept as a
 * cross-check.
 */
export function driftVariant(path: Exclude<ConvolutionRequest, 'auto'>, config: Config, replicas: number, limits: BufferLimits): DriftVariant {
  if (path === 'fft') return 'spectral';
  if (path === 'stencil' && separableFits(config, replicas, limits)) return 'separable';
  return fitsTile(kernelRadii(config)) ? 'tiled' : 'direct';
}

function separableFits(config: Config, replicas: number, limits: BufferLimits): boolean {
  const taps = separableTaps(config);
  if (!taps) return false;
  if (taps.ring) return true;
  const bytes = taps.terms * replicas * gridOf(config).cells * 4;
  return bytes <= limits.maxStorageBufferBindingSize && bytes <= limits.maxBufferSize;
}

/**
 * The drift pass's group 0: its own bindings, then (observing) u_n, F(u_n) and
 * the observation's. `separable`: the separable variant's form (its terms per
 * cell, a ring or not).
 */
export function driftBindings(variant: DriftVariant, code?: ObservationCode, separable?: SeparableForm): BindingSet {
  const source = (): Record<string, BufferBinding> => {
    switch (variant) {
      case 'spectral':
        return { convolved: storage('array<vec2f>') };
      case 'separable':
        if (!separable) throw new Error('the separable drift\'s bindings need its form');
        return separable.ring ? { taps: tapsBinding } : { rows: storage(`array<${termsType(separable)}>`), taps: tapsBinding };
      default:
        return { weights: storage('array<f32>') };
    }
  };
  const own = bindings(0, { params: uniform('SimParams'), u: storage('array<f32>'), drift: storage('array<f32>', 'read_write'), ...source() }, `drift (${variant})`);
  return code ? own.extend({ uPrev: storage('array<f32>'), driftPrev: storage('array<f32>'), ...code.bindings }, `drift (${variant}, observing)`) : own;
}

/**
 * F(u) of field p into drift buffer p (drift.wgsl and the variant's files).
 * Unobserved, its hooks are no-ops; `observing` composes the same kernel with
 * an observer set (white noise: the observation fused into the drift). The
 * separable variant on a 2-D grid runs its row pass first (separable.ts);
 * the drift kernel is its column pass.
 */
export class DriftPass {
  private constructor(
    private readonly ctx: EngineContext,
    readonly variant: DriftVariant,
    readonly dispatch: Dispatch,
    private readonly entryPoint: string,
    private readonly pipeline: GPUComputePipeline,
    private readonly groups: [GPUBindGroup, GPUBindGroup],
    private readonly resources: [Record<string, BufferResource>, Record<string, BufferResource>],
    private readonly separable: SeparableStencil | undefined,
  ) {}

  /** `convolved`: the FFT convolution's output (spectral variant); `shape`: the separable column pass's workgroup. */
  static async create(
    ctx: EngineContext, variant: DriftVariant, fields: [GPUBuffer, GPUBuffer], drifts: [GPUBuffer, GPUBuffer], convolved?: GPUBuffer,
    shape?: SeparableShape,
  ): Promise<DriftPass> {
    let separable: SeparableStencil | undefined;
    let source: Record<string, BufferResource>;
    if (variant === 'separable') {
      const taps = separableTaps(ctx.config);
      if (!taps) throw new Error('the separable drift needs a separable kernel within MAX_SEPARABLE_RADIUS');
      separable = await SeparableStencil.create(ctx, taps, fields, drifts, shape);
      source = separable.resources;
    } else if (variant === 'spectral') {
      source = { convolved: convolved! };
    } else {
      // Flipped, so that the tiled kernel reads the convolution as a correlation (tiled.wgsl).
      source = { weights: ctx.upload('kernel weights', Float32Array.from(ctx.coefficients.kernel.weights).reverse()) };
    }
    const layout = driftBindings(variant, undefined, separable?.form);
    const entryPoint = separable?.form.ring ? 'drift_separable_ring' : `drift_${variant}`;
    const pipeline = await ctx.pipeline(`drift-${variant}.wgsl`, layout, DriftPass.parts(ctx, variant, separable, [unobserved]), entryPoint, ctx.transferConstants);
    const resources = [0, 1].map((p): Record<string, BufferResource> => ({
      params: ctx.params, u: fields[p], drift: drifts[p], ...source, uPrev: fields[1 - p], driftPrev: drifts[1 - p],
    })) as [Record<string, BufferResource>, Record<string, BufferResource>];
    const groups = [0, 1].map((p) => layout.bindGroup(ctx.device, `drift[${p}]`, resources[p])) as [GPUBindGroup, GPUBindGroup];
    return new DriftPass(ctx, variant, DriftPass.dispatchOf(ctx, variant, separable), entryPoint, pipeline, groups, resources, separable);
  }

  private static dispatchOf(ctx: EngineContext, variant: DriftVariant, separable: SeparableStencil | undefined): Dispatch {
    if (separable) return separable.form.ring ? separableRowDispatch(ctx.grid, ctx.replicas) : separableColumnDispatch(ctx.grid, ctx.replicas, separable.shape);
    return variant === 'tiled' ? tiledDispatch(ctx.grid, ctx.replicas) : directDispatch(ctx.grid, ctx.replicas);
  }

  private static parts(ctx: EngineContext, variant: DriftVariant, separable: SeparableStencil | undefined, observation: ShaderPart[]): ShaderPart[] {
    const convolution = separable ? separable.parts(ctx) : [ctx.source(`drift-${variant as Exclude<DriftVariant, 'separable'>}`)];
    return [ctx.source('transfer'), ctx.source('drift'), ...convolution, ...observation];
  }

  /** The separable column pass's workgroup, where this drift runs one on a 2-D grid. */
  get separableShape(): SeparableShape | undefined {
    return this.separable && !this.separable.form.ring ? this.separable.shape : undefined;
  }

  /** The drift kernel observing a set of observers; `buffers`: the observation's bindings by name. */
  async observing(code: ObservationCode, buffers: Record<string, BufferResource>): Promise<ObservingKernel> {
    const layout = driftBindings(this.variant, code, this.separable?.form);
    checkStorageLimit(this.ctx.device, layout, code.slots.map((s) => s.name), this.ctx.groups);
    const parts = DriftPass.parts(this.ctx, this.variant, this.separable, code.parts);
    const pipeline = await this.ctx.pipeline(`drift-${this.variant}.wgsl`, layout, parts, this.entryPoint, this.ctx.transferConstants);
    const groups = [0, 1].map((p) =>
      layout.bindGroup(this.ctx.device, `drift[${p}] observing`, { ...this.resources[p], ...buffers }),
    ) as [GPUBindGroup, GPUBindGroup];
    return { pipeline, groups, dispatch: this.dispatch, storageBuffers: layout.storageCount };
  }

  /**
   * Whether this drift can take the step's white-noise update into its row
   * pass (the separable stencil on a 2-D grid): encode(…, stepping) then
   * replaces the update pass.
   */
  get steps(): boolean {
    return this.separable?.steps ?? false;
  }

  /**
   * F(u) of field p (the separable variant's row pass first); with `kernel`,
   * the observing variant. `stepping`: field p is not there yet, the row pass
   * makes it, the white-noise update of field 1 − p (only where `steps`).
   */
  encode(pass: GPUComputePassEncoder, p: number, kernel?: ObservingKernel, stepping = false): void {
    if (stepping) this.separable!.encodeStepping(pass, 1 - p);
    else this.separable?.encode(pass, p);
    pass.setPipeline(kernel?.pipeline ?? this.pipeline);
    pass.setBindGroup(0, (kernel?.groups ?? this.groups)[p]);
    pass.dispatchWorkgroups(...this.dispatch);
  }
}
