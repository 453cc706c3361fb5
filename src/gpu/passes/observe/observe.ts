import type { EngineContext } from '../../context.js';
import { bindings, storage, uniform, type BindingSet, type BufferResource } from '../../layout/bindings.js';
import { directDispatch } from '../../layout/tiles.js';
import type { ObservationCode } from '../../observation/code.js';
import { checkStorageLimit, type ObservingKernel } from '../observing-kernel.js';

/** The observe pass's group 0: the step's fields, drifts and H F of both, then the observation's bindings. */
export function observeBindings(code: ObservationCode): BindingSet {
  return bindings(0, {
    params: uniform('SimParams'),
    u: storage('array<f32>'),
    uPrev: storage('array<f32>'),
    driftPrev: storage('array<f32>'),
    drift: storage('array<f32>'),
    hfPrev: storage('array<vec2f>'),
    hfNext: storage('array<vec2f>'),
    ...code.bindings,
  }, 'observe');
}

/**
 * The observe pass of correlated noise (observe.wgsl), composed with an
 * observer set: for field p (u_{n+1}), u_n and F(u_n) are field and drift
 * 1 − p, H F(u_n) and H F(u_{n+1}) the inverse-covariance filters' outputs.
 */
export async function observeKernel(
  ctx: EngineContext, code: ObservationCode, fields: [GPUBuffer, GPUBuffer], drifts: [GPUBuffer, GPUBuffer], hf: [GPUBuffer, GPUBuffer],
  buffers: Record<string, BufferResource>,
): Promise<ObservingKernel> {
  const layout = observeBindings(code);
  checkStorageLimit(ctx.device, layout, code.slots.map((s) => s.name), ctx.groups);
  const pipeline = await ctx.pipeline('observe.wgsl', layout, [ctx.source('observe'), ...code.parts], 'observe_correlated');
  const groups = [0, 1].map((p) =>
    layout.bindGroup(ctx.device, `observe[${p}]`, {
      params: ctx.params, u: fields[p], uPrev: fields[1 - p], driftPrev: drifts[1 - p], drift: drifts[p], hfPrev: hf[1 - p], hfNext: hf[p], ...buffers,
    }),
  ) as [GPUBindGroup, GPUBindGroup];
  return { pipeline, groups, dispatch: directDispatch(ctx.grid, ctx.replicas), storageBuffers: layout.storageCount };
}
