/**
 * GPU errors are never swallowed. Every batch of GPU work runs inside
 * validation and out-of-memory error scopes whose errors are thrown with
 * WebGPU's own message; errors outside any scope and the loss of the device
 * are recorded by the watch and thrown at the next call.
 */
export class GpuError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GpuError';
  }
}

/** Runs fn inside validation and out-of-memory scopes; throws the first error either caught. */
export async function withErrorScopes<T>(device: GPUDevice, what: string, fn: () => T | Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T;
  try {
    result = await fn();
  } finally {
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    const error = validation ?? memory;
    if (error) {
      const kind = validation ? 'validation error' : 'out of memory';
      throw new GpuError(`WebGPU ${kind} while ${what}: ${error.message}`);
    }
  }
  return result;
}

/** Watches a device for uncaptured errors and loss; `check()` throws what it saw. */
export class DeviceWatch {
  private problem: string | undefined;

  constructor(readonly device: GPUDevice) {
    device.addEventListener('uncapturederror', (event) => {
      this.problem ??= `WebGPU error: ${(event as GPUUncapturedErrorEvent).error.message}`;
    });
    device.lost.then((info) => {
      if (info.reason !== 'destroyed') this.problem ??= `WebGPU device lost (${info.reason}): ${info.message}`;
    });
  }

  check(): void {
    if (this.problem) throw new GpuError(this.problem);
  }
}

/** Compiles a shader module and throws its error messages, with line numbers, if any. */
export async function compileShader(device: GPUDevice, label: string, code: string): Promise<GPUShaderModule> {
  const module = device.createShaderModule({ label, code });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length) {
    const lines = errors.map((m) => `${label}:${m.lineNum}:${m.linePos}: ${m.message}`);
    throw new GpuError(`WGSL compilation failed:\n${lines.join('\n')}`);
  }
  return module;
}
