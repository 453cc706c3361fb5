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

/**
 * The GPU device is gone (a driver reset, memory exhausted, a browser's GPU
 * process restarted, or `device.destroy()`): nothing of the engine on it can
 * be used again. A run can go on from its last snapshot on a new device
 * (src/run/recovery.ts). `reason` and `lostMessage` are WebGPU's (device.lost).
 */
export class DeviceLostError extends GpuError {
  constructor(readonly reason: string, readonly lostMessage: string) {
    super(`WebGPU device lost (${reason}): ${lostMessage || 'no message'}`);
    this.name = 'DeviceLostError';
  }
}

/**
 * How long a failed call waits for `device.lost` before taking its error as
 * not a loss. Dawn resolves `lost` before it rejects the maps pending on the
 * device, and browsers alike; the wait is a margin, paid only on the error path.
 */
const LOSS_SETTLE_MS = 50;

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

/**
 * Watches a device for uncaptured errors and loss; `check()` throws what it
 * saw, a loss first (DeviceLostError), since after it every other error is
 * only its echo.
 */
export class DeviceWatch {
  private problem: string | undefined;
  private lostInfo: { reason: string; message: string } | undefined;

  constructor(readonly device: GPUDevice) {
    device.addEventListener('uncapturederror', (event) => {
      this.problem ??= `WebGPU error: ${(event as GPUUncapturedErrorEvent).error.message}`;
    });
    device.lost.then((info) => {
      this.lostInfo ??= { reason: info.reason ?? 'unknown', message: info.message };
    });
  }

  /** Whether the device is known to be lost. */
  get lost(): boolean {
    return this.lostInfo !== undefined;
  }

  check(): void {
    if (this.lostInfo) throw new DeviceLostError(this.lostInfo.reason, this.lostInfo.message);
    if (this.problem) throw new GpuError(this.problem);
  }

  /**
   * The error to throw for `error`, raised by work on this device: a
   * DeviceLostError where the device is lost, since on a lost device WebGPU
   * fails maps with a bare AbortError ("") and lets everything else pass
   * silently; else `error` itself.
   */
  async explain(error: unknown): Promise<unknown> {
    if (error instanceof DeviceLostError || this.lostInfo) return this.lostError(error);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.device.lost, new Promise((resolve) => (timer = setTimeout(resolve, LOSS_SETTLE_MS)))]);
    clearTimeout(timer);
    // The watch's own handler on `lost` ran before this continuation (registered first).
    return this.lostInfo ? this.lostError(error) : error;
  }

  /**
   * Runs `fn` (work on this device) and rethrows what it throws through
   * `explain`: every await of an engine ends with DeviceLostError once its
   * device is gone, whichever call noticed first.
   */
  async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw await this.explain(e);
    }
  }

  private lostError(error: unknown): DeviceLostError {
    if (error instanceof DeviceLostError) return error;
    return new DeviceLostError(this.lostInfo!.reason, this.lostInfo!.message);
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
