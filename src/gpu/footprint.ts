import type { Config } from '../config/schema.js';
import { GpuError } from './errors.js';

/** The two adapter limits one buffer must fit. */
export type BufferLimits = Pick<GPUSupportedLimits, 'maxStorageBufferBindingSize' | 'maxBufferSize'>;

export interface FootprintPlan {
  /** The convolution asked for: the FFT's complex buffers are twice a field's size. */
  convolution: 'stencil' | 'fft' | 'auto';
  noiseShaping: 'stencil' | 'fft';
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** The side of the largest square grid whose field of `replicas` (f32 per cell) fits one buffer of this adapter. */
export function largestGrid(limits: BufferLimits, replicas = 1): number {
  return Math.floor(Math.sqrt(Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize) / (4 * replicas)));
}

/**
 * Why a buffer of `bytes` does not fit this adapter (the limit by name), or
 * undefined. Every storage buffer is bound whole, so the binding limit
 * applies as well as the buffer limit.
 */
function tooLarge(limits: BufferLimits, bytes: number, what: string): string | undefined {
  for (const name of ['maxStorageBufferBindingSize', 'maxBufferSize'] as const) {
    if (bytes > limits[name]) return `${what} need storage buffers of ${mib(bytes)}; this adapter's ${name} is ${mib(limits[name])}`;
  }
  return undefined;
}

/**
 * Checks, before anything is allocated, that the engine's largest buffers
 * fit: a field of every replica in f32 (the fields, drifts, noise and
 * per-cell maps), and complex fields of twice that for the FFT convolution,
 * spectral noise shaping and the inverse noise covariance of correlated
 * noise. Throws naming the limit, the size and what would fit. Returns
 * whether the FFT convolution fits (`auto` then falls back to the stencil).
 */
export function checkFootprint(limits: BufferLimits, config: Config, replicas: number, plan: FootprintPlan): { fftFits: boolean } {
  const n = config.grid.n;
  const field = replicas * n * n * 4;
  const grid = `${n}² cells × ${replicas} replica(s)`;
  const largestN = largestGrid(limits, replicas);
  const refuse = (problem: string, factor: number) => {
    throw new GpuError(`${problem} (at most ${Math.floor(largestN / Math.sqrt(factor))}² cells with ${replicas} replica(s) here; fewer replicas or cells)`);
  };
  const plain = tooLarge(limits, field, grid);
  if (plain) refuse(plain, 1);
  const correlated = config.noise.correlationLength > 0;
  const complex = tooLarge(limits, 2 * field, `${grid} in complex form`);
  if (complex && correlated) refuse(`correlated noise: ${complex} (its inverse covariance is applied by FFT)`, 2);
  if (complex && plan.noiseShaping === 'fft' && correlated) refuse(`noise shaping by FFT: ${complex}`, 2);
  if (complex && plan.convolution === 'fft') refuse(`the FFT convolution: ${complex} (--convolution stencil needs half)`, 2);
  return { fftFits: complex === undefined };
}
