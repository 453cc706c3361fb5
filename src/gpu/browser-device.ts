import { GpuError } from './errors.js';
import { describeAdapter, requiredLimits } from './limits.js';
import type { AcquiredDevice, DeviceOptions } from './node-device.js';

/**
 * A WebGPU device in the browser. Chrome without a GPU (headless, SwiftShader)
 * and some mobile browsers offer only compatibility-level adapters; those are
 * asked for when a core one is missing.
 */
export async function requestBrowserDevice(options: DeviceOptions = {}): Promise<AcquiredDevice> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) {
    throw new GpuError(
      'this browser has no WebGPU (navigator.gpu is missing): use a recent Chrome or Edge, or Firefox/Safari with WebGPU enabled, served over https or localhost',
    );
  }
  const adapter =
    (await gpu.requestAdapter({ powerPreference: 'high-performance' })) ??
    (await gpu.requestAdapter({ featureLevel: 'compatibility' } as GPURequestAdapterOptions));
  if (!adapter) throw new GpuError('WebGPU is present but offered no adapter (GPU blocklisted or disabled in this browser)');
  const requiredFeatures: GPUFeatureName[] = options.timestamps && adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter), requiredFeatures });
  return { device, adapter, description: describeAdapter(adapter) };
}
