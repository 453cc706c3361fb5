import { compileShader, GpuError, type ShaderPart } from './errors.js';
import type { BindingSet } from './layout/bindings.js';

/**
 * Shader modules and compute pipelines cached per device (webgpu-utils'
 * WeakMap keyed by device): two engines of the same config, or an engine and
 * the throwaway engines that time the convolution paths, share them, and a
 * lost or destroyed device frees them. Keys are the composed WGSL text, the
 * entry point, the override constants and the bind-group layouts. A failed
 * compile or pipeline leaves no entry behind.
 */
const modules = new WeakMap<GPUDevice, Map<string, Promise<GPUShaderModule>>>();
const pipelines = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

function cached<T>(caches: WeakMap<GPUDevice, Map<string, Promise<T>>>, device: GPUDevice, key: string, make: () => Promise<T>): Promise<T> {
  let cache = caches.get(device);
  if (!cache) caches.set(device, (cache = new Map()));
  let entry = cache.get(key);
  if (!entry) {
    entry = make();
    cache.set(key, entry);
    entry.catch(() => cache.delete(key));
  }
  return entry;
}

/** The module of these parts (joined by newlines), compiled once per device. */
export function shaderModule(device: GPUDevice, label: string, parts: ShaderPart[]): Promise<GPUShaderModule> {
  const code = parts.map((p) => p.code).join('\n');
  return cached(modules, device, code, () => compileShader(device, label, parts));
}

export interface PipelineRequest {
  /** Names the module in compiler errors (`update.wgsl:12:5: …`). */
  label: string;
  parts: ShaderPart[];
  entryPoint: string;
  constants?: Record<string, number>;
  /** The bind groups in order, group 0 first. */
  groups: BindingSet[];
}

/** A compute pipeline with an explicit layout of the given binding sets, made once per device. */
export function computePipeline(device: GPUDevice, request: PipelineRequest): Promise<GPUComputePipeline> {
  const { label, parts, entryPoint, constants, groups } = request;
  groups.forEach((g, i) => {
    if (g.group !== i) throw new Error(`pipeline ${entryPoint}: binding set of group ${g.group} given as group ${i}`);
  });
  const code = parts.map((p) => p.code).join('\n');
  const key = [code, entryPoint, JSON.stringify(constants ?? {}), ...groups.map((g) => g.key)].join('\u0000');
  return cached(pipelines, device, key, async () => {
    const module = await shaderModule(device, label, parts);
    try {
      return await device.createComputePipelineAsync({
        label: entryPoint,
        layout: device.createPipelineLayout({ label: entryPoint, bindGroupLayouts: groups.map((g) => g.layout(device)) }),
        compute: { module, entryPoint, constants },
      });
    } catch (e) {
      throw new GpuError(`WebGPU could not create the pipeline ${entryPoint}: ${(e as Error).message}`);
    }
  });
}
