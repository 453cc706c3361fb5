import { GpuError } from './errors.js';
import { describeAdapter, requiredLimits } from './limits.js';

/**
 * A WebGPU device in Node through the `webgpu` package (Dawn). Dawn's default
 * backend (Vulkan, Metal, D3D12) comes first: a real GPU where one exists.
 * Without one, Mesa's software OpenGL ES through EGL works on any Linux
 * machine: EGL_PLATFORM=surfaceless, backend=opengles, compatibility level.
 * AMARI_EP_DAWN_BACKEND=opengles|vulkan|... forces one backend.
 */
export interface AcquiredDevice {
  device: GPUDevice;
  adapter: GPUAdapter;
  description: string;
}

// The Dawn instances must outlive their devices: held here for the process's life.
const instances: unknown[] = [];

export interface DeviceOptions {
  /** Ask for 'timestamp-query' where the adapter has it, unquantised (for benchmarks). */
  timestamps?: boolean;
}

export async function requestNodeDevice(options: DeviceOptions = {}): Promise<AcquiredDevice> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const forced = process.env.AMARI_EP_DAWN_BACKEND;
  const attempts: { options: string[]; request: GPURequestAdapterOptions }[] = forced
    ? [{ options: [`backend=${forced}`], request: forced === 'opengles' ? { featureLevel: 'compatibility' } : {} }]
    : [
        { options: [], request: { powerPreference: 'high-performance' } },
        { options: ['backend=opengles'], request: { featureLevel: 'compatibility' } },
      ];
  const tried: string[] = [];
  const extra = options.timestamps ? ['disable-dawn-features=timestamp_quantization'] : [];
  for (const attempt of attempts) {
    const gpu = create([...attempt.options, ...extra]);
    instances.push(gpu);
    const adapter = await gpu.requestAdapter(attempt.request);
    tried.push(attempt.options.join(' ') || 'default backend');
    if (!adapter) continue;
    const requiredFeatures: GPUFeatureName[] = options.timestamps && adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
    const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter), requiredFeatures });
    return { device, adapter, description: describeAdapter(adapter) };
  }
  throw new GpuError(`no WebGPU adapter found (tried Dawn with: ${tried.join('; ')})`);
}
