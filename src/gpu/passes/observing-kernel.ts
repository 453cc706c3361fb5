import { GpuError } from '../errors.js';
import type { BindingSet } from '../layout/bindings.js';
import type { Dispatch } from '../layout/tiles.js';

/**
 * A kernel composed with an observer set: the fused drift (white noise) or the
 * observe pass (correlated noise). Group 0 for field p is groups[p]; each
 * workgroup leaves CHUNKS vec4f of partial sums.
 */
export interface ObservingKernel {
  pipeline: GPUComputePipeline;
  groups: [GPUBindGroup, GPUBindGroup];
  dispatch: Dispatch;
  /** Storage buffers its stage binds (the device allows maxStorageBuffersPerShaderStage). */
  storageBuffers: number;
}

/** Encodes the kernel for field p (group 1, the step slot, must be set). */
export function encodeObserving(pass: GPUComputePassEncoder, kernel: ObservingKernel, p: number): void {
  pass.setPipeline(kernel.pipeline);
  pass.setBindGroup(0, kernel.groups[p]);
  pass.dispatchWorkgroups(...kernel.dispatch);
}

/**
 * Refuses an observer set whose hosting kernel would bind more storage buffers
 * than the device allows: its own group and the groups it shares (the
 * coefficient maps of docs/model.md §8) together.
 */
export function checkStorageLimit(device: GPUDevice, layout: BindingSet, observers: string[], shared: BindingSet[] = []): void {
  const limit = device.limits.maxStorageBuffersPerShaderStage;
  const maps = shared.reduce((sum, g) => sum + g.storageCount, 0);
  const total = layout.storageCount + maps;
  if (total > limit) {
    throw new GpuError(
      `observing ${observers.join(', ')} needs ${total} storage buffers in the ${layout.label} kernel` +
        `${maps ? ` (${maps} of them the config's coefficient maps)` : ''}; ` +
        `this device allows ${limit} per stage (attach fewer observers with cell maps${maps ? ', or use fewer maps' : ''})`,
    );
  }
}
