import type { Radii } from '../../../config/geometry.js';
import type { EngineContext } from '../../context.js';
import { bindings, storage, uniform } from '../../layout/bindings.js';
import { TEMPORAL_CELLS, TEMPORAL_MAX_STAGED, TEMPORAL_STEPS, TEMPORAL_THREADS, TEMPORAL_TILE, type Dispatch } from '../../layout/tiles.js';
import { generatedPart } from '../../shaders.js';
import temporalSource from './temporal.wgsl.js';

export const temporalBindings = bindings(0, {
  params: uniform('SimParams'),
  u: storage('array<f32>'),
  drift: storage('array<f32>'),
  weights: storage('array<f32>'),
  uNext: storage('array<f32>', 'read_write'),
  driftNext: storage('array<f32>', 'read_write'),
}, 'temporal blocking');

/** Floats of f(u) a block stages: the tile and a halo of `steps`·r cells each side. */
export function temporalStaged(radii: Radii, steps = TEMPORAL_STEPS): number {
  return (TEMPORAL_TILE[0] + 2 * steps * radii.x) * (TEMPORAL_TILE[1] + 2 * steps * radii.y);
}

/** Whether a 2-D stencil of these radii can be blocked: its tile and halo fit workgroup memory. */
export function temporalFits(radii: Radii, steps = TEMPORAL_STEPS): boolean {
  return temporalStaged(radii, steps) <= TEMPORAL_MAX_STAGED;
}

/** The kernel's constants (its generated head). */
function temporalHead(steps: number): string {
  return [
    `const TEMPORAL_STEPS: u32 = ${steps}u;`,
    `const TEMPORAL_TILE_X: u32 = ${TEMPORAL_TILE[0]}u;`,
    `const TEMPORAL_TILE_Y: u32 = ${TEMPORAL_TILE[1]}u;`,
    `const TEMPORAL_THREADS: u32 = ${TEMPORAL_THREADS}u;`,
    `const TEMPORAL_CELLS: u32 = ${TEMPORAL_CELLS}u;`,
    `const TEMPORAL_MAX_STAGED: u32 = ${TEMPORAL_MAX_STAGED}u;`,
  ].join('\n') + '\n';
}

/**
 * TEMPORAL_STEPS white-noise steps of the 2-D stencil in one dispatch
 * (temporal.wgsl): field p and its drift into field 1 − p and its drift,
 * bit for bit what as many one-step updates and tiled drifts leave. The step
 * slot bound at encode time holds the first of the steps.
 */
export class TemporalBlockPass {
  readonly steps = TEMPORAL_STEPS;

  private constructor(
    private readonly pipeline: GPUComputePipeline,
    private readonly groups: [GPUBindGroup, GPUBindGroup],
    private readonly dispatch: Dispatch,
  ) {}

  static async create(ctx: EngineContext, fields: [GPUBuffer, GPUBuffer], drifts: [GPUBuffer, GPUBuffer]): Promise<TemporalBlockPass> {
    const parts = [
      generatedPart('temporal blocking constants', temporalHead(TEMPORAL_STEPS)),
      ctx.source('philox'), ctx.source('transfer'),
      { file: 'temporal.wgsl', code: temporalSource },
    ];
    const pipeline = await ctx.pipeline('temporal.wgsl', temporalBindings, parts, 'temporal_white', ctx.transferConstants);
    // Flipped, as the tiled drift reads them (drift.ts), so that both sum the same products in the same order.
    const weights = ctx.upload('kernel weights (temporal)', Float32Array.from(ctx.coefficients.kernel.weights).reverse());
    const groups = [0, 1].map((p) => temporalBindings.bindGroup(ctx.device, `temporal[${p}]`, {
      params: ctx.params, u: fields[p], drift: drifts[p], weights, uNext: fields[1 - p], driftNext: drifts[1 - p],
    })) as [GPUBindGroup, GPUBindGroup];
    const dispatch: Dispatch = [Math.ceil(ctx.grid.nx / TEMPORAL_TILE[0]), Math.ceil(ctx.grid.ny / TEMPORAL_TILE[1]), ctx.replicas];
    return new TemporalBlockPass(pipeline, groups, dispatch);
  }

  /** The steps from the bound step slot's on, field p into field 1 − p. */
  encode(pass: GPUComputePassEncoder, p: number): void {
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.groups[p]);
    pass.dispatchWorkgroups(...this.dispatch);
  }
}
