import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { GpuError } from './errors.js';
import { describeAdapter, requiredLimits } from './limits.js';

/**
 * A WebGPU device in Node through the `webgpu` package (Dawn). Dawn's default
 * backend (Vulkan, Metal, D3D12) comes first: a real GPU where one exists.
 * Without one, Mesa's software OpenGL ES through EGL works on any Linux
 * machine: EGL_PLATFORM=surfaceless, backend=opengles, compatibility level.
 * AMARI_EP_DAWN_BACKEND=opengles|vulkan|... forces one backend.
 *
 * Dawn logs with fprintf(stderr) from native code; no toggle or instance
 * option turns that off, so the terminal stays quiet only by not provoking it:
 * - on Linux the default backend is Vulkan, and Dawn prints "Couldn't load
 *   Vulkan: libvulkan.so.1 ..." when the loader is missing; so that attempt is
 *   skipped when no libvulkan.so.1 is where the dynamic linker would look;
 * - at adapter discovery Dawn caps maxDynamic{Uniform,Storage}Buffers-
 *   PerPipelineLayout at 16 and warns "artificially reduced" whenever the
 *   driver reports more (on Mesa's OpenGL ES, and some Vulkan drivers). No
 *   requested limit avoids it (it happens before the device is requested), so
 *   one line of ours says it is harmless, once, when the adapter shows the cap.
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
  /** Limits to request instead of the engine's defaults (tests ask for a smaller device). */
  limits?: Record<string, number>;
}

/**
 * Whether the Vulkan loader could be dlopen()ed as Dawn does it: from the
 * directory of dawn.node, LD_LIBRARY_PATH, /etc/ld.so.cache, or the usual
 * library folders. Only a cheap look on Linux; true elsewhere or when unsure.
 */
export function vulkanLoaderPresent(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux') return true;
  const name = 'libvulkan.so.1';
  try {
    const dawnDir = dirname(createRequire(import.meta.url).resolve('webgpu'));
    const dirs = [
      join(dawnDir, 'dist', `linux-${process.arch}`),
      ...(env.LD_LIBRARY_PATH ?? '').split(delimiter).filter(Boolean),
      '/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib',
      `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    ];
    if (dirs.some((dir) => existsSync(join(dir, name)))) return true;
    // The cache holds every library name it knows as a NUL-terminated string.
    return existsSync('/etc/ld.so.cache') && readFileSync('/etc/ld.so.cache').includes(`/${name}\0`);
  } catch {
    return true;
  }
}

// Dawn's cap on dynamic buffers per pipeline layout (the kernels bind one).
const DAWN_DYNAMIC_BUFFER_CAP = 16;
let explainedCap = false;

function explainDynamicBufferCap(adapter: GPUAdapter): void {
  const { maxDynamicUniformBuffersPerPipelineLayout: uniform, maxDynamicStorageBuffersPerPipelineLayout: storage } = adapter.limits;
  if (explainedCap || uniform !== DAWN_DYNAMIC_BUFFER_CAP || storage !== DAWN_DYNAMIC_BUFFER_CAP) return;
  explainedCap = true;
  process.stderr.write(`amari-ep: Dawn's "artificially reduced ... to ${DAWN_DYNAMIC_BUFFER_CAP}" warnings can be ignored: amari-ep binds one dynamic buffer per pipeline\n`);
}

export async function requestNodeDevice(options: DeviceOptions = {}): Promise<AcquiredDevice> {
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  const forced = process.env.AMARI_EP_DAWN_BACKEND;
  const tried: string[] = [];
  const attempts: { options: string[]; request: GPURequestAdapterOptions }[] = [];
  if (forced) {
    attempts.push({ options: [`backend=${forced}`], request: forced === 'opengles' ? { featureLevel: 'compatibility' } : {} });
  } else {
    if (vulkanLoaderPresent()) attempts.push({ options: [], request: { powerPreference: 'high-performance' } });
    else tried.push('default backend skipped: no libvulkan.so.1');
    attempts.push({ options: ['backend=opengles'], request: { featureLevel: 'compatibility' } });
  }
  const extra = options.timestamps ? ['disable-dawn-features=timestamp_quantization'] : [];
  for (const attempt of attempts) {
    const gpu = create([...attempt.options, ...extra]);
    instances.push(gpu);
    const adapter = await gpu.requestAdapter(attempt.request);
    tried.push(attempt.options.join(' ') || 'default backend');
    if (!adapter) continue;
    explainDynamicBufferCap(adapter);
    const requiredFeatures: GPUFeatureName[] = options.timestamps && adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
    const device = await adapter.requestDevice({ requiredLimits: { ...requiredLimits(adapter), ...options.limits }, requiredFeatures });
    return { device, adapter, description: describeAdapter(adapter) };
  }
  throw new GpuError(`no WebGPU adapter found (tried Dawn with: ${tried.join('; ')})`);
}
