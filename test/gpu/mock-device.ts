/**
 * A WebGPU device that records instead of running (TypeGPU's GPU-free tests):
 * the engine and its passes build against it, and the tests read back the
 * shader modules, bind-group layouts and pipelines they asked for. Buffers
 * read back as zeros.
 */
export interface RecordedPipeline {
  entryPoint: string;
  code: string;
  constants: Record<string, number> | undefined;
  layouts: GPUBindGroupLayoutDescriptor[];
}

export interface MockDevice {
  device: GPUDevice;
  pipelines: RecordedPipeline[];
  /** Every dispatchWorkgroups(x, y, z) encoded, in order (absent counts are 1, as in WebGPU). */
  dispatches: [number, number, number][];
}

/** Installs the WebGPU constants the engine reads (GPUBufferUsage, GPUMapMode, GPUShaderStage) where Node lacks them. */
export function installWebGpuConstants(): void {
  const g = globalThis as Record<string, unknown>;
  g.GPUBufferUsage ??= { MAP_READ: 1, MAP_WRITE: 2, COPY_SRC: 4, COPY_DST: 8, INDEX: 16, VERTEX: 32, UNIFORM: 64, STORAGE: 128, INDIRECT: 256, QUERY_RESOLVE: 512 };
  g.GPUMapMode ??= { READ: 1, WRITE: 2 };
  g.GPUShaderStage ??= { VERTEX: 1, FRAGMENT: 2, COMPUTE: 4 };
}

export function mockDevice(): MockDevice {
  installWebGpuConstants();
  const pipelines: RecordedPipeline[] = [];
  const dispatches: [number, number, number][] = [];
  const pass = {
    setPipeline() {},
    setBindGroup() {},
    dispatchWorkgroups: (x: number, y = 1, z = 1) => void dispatches.push([x, y, z]),
    end() {},
  };
  const buffer = (d: GPUBufferDescriptor) => ({
    label: d.label, size: d.size, usage: d.usage, destroy() {}, unmap() {},
    async mapAsync() {},
    getMappedRange: (offset = 0, size?: number) => new ArrayBuffer(size ?? d.size - offset),
  });
  const device = {
    limits: { maxStorageBuffersPerShaderStage: 8, maxStorageBufferBindingSize: 2 ** 27, maxBufferSize: 2 ** 28 },
    features: new Set<string>(),
    lost: new Promise(() => {}),
    addEventListener() {},
    pushErrorScope() {},
    popErrorScope: async () => null,
    createBuffer: buffer,
    queue: { writeBuffer() {}, submit() {}, onSubmittedWorkDone: async () => {} },
    createShaderModule: (d: GPUShaderModuleDescriptor) => ({ code: d.code, getCompilationInfo: async () => ({ messages: [] }) }),
    createBindGroupLayout: (d: GPUBindGroupLayoutDescriptor) => ({ descriptor: d }),
    createPipelineLayout: (d: GPUPipelineLayoutDescriptor) => ({ descriptor: d }),
    createBindGroup: (d: GPUBindGroupDescriptor) => ({ descriptor: d }),
    async createComputePipelineAsync(d: GPUComputePipelineDescriptor) {
      const layout = (d.layout as unknown as { descriptor: GPUPipelineLayoutDescriptor }).descriptor;
      pipelines.push({
        entryPoint: d.compute.entryPoint!,
        code: (d.compute.module as unknown as { code: string }).code,
        constants: d.compute.constants as Record<string, number> | undefined,
        layouts: [...layout.bindGroupLayouts].map((l) => (l as unknown as { descriptor: GPUBindGroupLayoutDescriptor }).descriptor),
      });
      return { label: d.label };
    },
    createCommandEncoder: () => ({ beginComputePass: () => pass, copyBufferToBuffer() {}, clearBuffer() {}, resolveQuerySet() {}, finish: () => ({}) }),
    destroy() {},
  };
  return { device: device as unknown as GPUDevice, pipelines, dispatches };
}
