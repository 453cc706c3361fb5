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

/**
 * Runs fn inside validation and out-of-memory scopes. An error fn throws
 * itself comes first (it is the more specific); otherwise the first error the
 * scopes caught is thrown.
 */
export async function withErrorScopes<T>(device: GPUDevice, what: string, fn: () => T | Promise<T>): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let failure: unknown;
  try {
    result = await fn();
  } catch (e) {
    failure = e;
  }
  const validation = await device.popErrorScope();
  const memory = await device.popErrorScope();
  if (failure !== undefined) throw failure;
  const error = validation ?? memory;
  if (error) {
    const kind = validation ? 'validation error' : 'out of memory';
    throw new GpuError(`WebGPU ${kind} while ${what}: ${error.message}`);
  }
  return result as T;
}

const watches = new WeakMap<GPUDevice, DeviceWatch>();

/** The one watch of a device, shared by every engine on it (a lost device frees it). */
export function watchDevice(device: GPUDevice): DeviceWatch {
  let watch = watches.get(device);
  if (!watch) {
    watch = new DeviceWatch(device);
    watches.set(device, watch);
  }
  return watch;
}

/** Watches a device for uncaptured errors and loss; `check()` throws what it saw. */
export class DeviceWatch {
  private problem: string | undefined;

  constructor(readonly device: GPUDevice) {
    device.addEventListener('uncapturederror', (event) => {
      this.problem ??= `WebGPU error: ${(event as GPUUncapturedErrorEvent).error.message}`;
    });
    device.lost.then((info) => {
      this.problem ??= `WebGPU device lost (${info.reason}): ${info.message || 'no message'}`;
    });
  }

  check(): void {
    if (this.problem) throw new GpuError(this.problem);
  }
}

/** One file of a shader module: the module is the files joined by newlines. */
export interface ShaderPart {
  file: string;
  code: string;
}

/**
 * Compiles a module made of several WGSL files and throws its errors, each
 * with the file and line it came from.
 */
export async function compileShader(device: GPUDevice, label: string, parts: ShaderPart[]): Promise<GPUShaderModule> {
  const starts: { file: string; line: number }[] = [];
  let line = 1;
  for (const part of parts) {
    starts.push({ file: part.file, line });
    line += part.code.split('\n').length;
  }
  const module = device.createShaderModule({ label, code: parts.map((p) => p.code).join('\n') });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length) {
    const where = (lineNum: number) => {
      const part = [...starts].reverse().find((s) => s.line <= lineNum) ?? starts[0];
      return `${part.file}:${lineNum - part.line + 1}`;
    };
    const lines = errors.map((m) => `${where(m.lineNum)}:${m.linePos}: ${m.message}`);
    throw new GpuError(`WGSL compilation failed in ${label}:\n${lines.join('\n')}`);
  }
  return module;
}
