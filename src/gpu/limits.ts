import { GpuError } from './errors.js';

/**
 * What the engine asks of an adapter. Compatibility-mode adapters (Dawn on
 * OpenGL ES, some browsers) default to 128 invocations per workgroup and four
 * storage buffers per stage; the engine's kernels need more, so the device is
 * requested with these limits, and an adapter that cannot give them is refused
 * by name.
 */
export const ENGINE_NEEDS = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 16,
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
} as const;

/** The limits to request: the engine's needs, and the adapter's largest buffers. */
export function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const [name, need] of Object.entries(ENGINE_NEEDS)) {
    const has = adapter.limits[name as keyof GPUSupportedLimits] as number;
    if (has < need) throw new GpuError(`this WebGPU adapter's ${name} is ${has}; amari-ep's kernels need at least ${need}`);
    limits[name] = need;
  }
  // Observers' maps and coefficient maps each take a storage binding: as many as the adapter allows.
  limits.maxStorageBuffersPerShaderStage = adapter.limits.maxStorageBuffersPerShaderStage;
  limits.maxStorageBufferBindingSize = adapter.limits.maxStorageBufferBindingSize;
  limits.maxBufferSize = adapter.limits.maxBufferSize;
  return limits;
}

/** A readable name for the adapter, from what it reports about itself. */
export function describeAdapter(adapter: GPUAdapter): string {
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length);
  return parts.length ? parts.join(' / ') : 'unnamed WebGPU adapter';
}
