import type { ObserverLink, ObserverSession } from '../../engine/observer.js';

/**
 * Sampling on the device: what the GPU engine adds to the observer contract
 * (src/engine/observer.ts) for an observer that measures sampled steps without
 * reading their fields back. A host `sample` costs two whole-field read-backs
 * per sampled step and splits the window there; a `deviceSample` is encoded
 * into the window itself, right after its step, and the host reads only what
 * it leaves (once per window, in `collect`).
 *
 * The engine offers it through `link.gpu` (a DeviceLink); an observer that
 * finds none (the CPU engine) samples on the host as before.
 */
export interface DeviceAccess {
  readonly device: GPUDevice;
  /** Steps per window: at most this many samples are encoded between two `collect`s. */
  readonly windowSteps: number;
  /** The two field buffers and their drifts F(u) (replica-major, replica 0 first), by parity. */
  readonly fields: readonly [GPUBuffer, GPUBuffer];
  readonly drifts: readonly [GPUBuffer, GPUBuffer];
  /** Reads a buffer's first `bytes` bytes back, inside the engine's error scopes. */
  readBuffer(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer>;
  /** Runs `release` when the engine is disposed (frees what the observer made on the device). */
  onDispose(release: () => void): void;
}

/** The link a GPU engine gives its observers. */
export interface DeviceLink extends ObserverLink {
  readonly gpu: DeviceAccess;
}

/** The GPU engine's device, when `link` comes from one. */
export function deviceAccess(link: ObserverLink): DeviceAccess | undefined {
  return 'gpu' in link ? (link as DeviceLink).gpu : undefined;
}

export interface DeviceSample {
  wants(step: number): boolean;
  /**
   * Encodes the measurement of step n into the window's compute pass, right
   * after the step's own passes: u_n and F(u_n) are in fields[from] and
   * drifts[from], u_{n+1} and F(u_{n+1}) in the other buffers. It sets its
   * own pipelines and group 0; the engine rebinds what its next step needs.
   */
  encode(pass: GPUComputePassEncoder, step: number, from: 0 | 1): void;
  /** After every window, once its work has run: reads back what the window's samples left. */
  collect(): Promise<void>;
}

/** A session that samples on the device. */
export interface DeviceSampleSession<Handle> extends ObserverSession<Handle> {
  deviceSample?: DeviceSample;
}
