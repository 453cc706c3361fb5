import { describeGrid, gridOf, type Grid } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import type { BufferLimits } from './buffer-limits.js';
import type { ConvolutionRequest } from './convolution-choice.js';
import { GpuError } from './errors.js';
import { engineFootprint, type FootprintOptions, type FootprintPath } from './engine-footprint.js';
import { formatBytes, type MemoryBudget } from './memory-budget.js';
import { memoryFit } from './memory-fit.js';
import { GpuFft2 } from './passes/fft/fft.js';

/** The two adapter limits one buffer must fit (buffer-limits.ts; named here too, where the demo looks). */
export type { BufferLimits };

export interface FootprintPlan {
  /**
   * The convolution asked for: the FFT's complex buffers are twice a field's
   * size. (The separable stencil's row output of a mexican hat is too; where
   * it does not fit, the stencil runs in 2-D instead: passes/drift/drift.ts.)
   */
  convolution: ConvolutionRequest;
  noiseShaping: 'stencil' | 'fft';
  /**
   * The memory all buffers together may take (memory-budget.ts); unset, only
   * the per-buffer limits are checked (the demo, benchmarks, tests).
   */
  budget?: MemoryBudget;
  /** Steps per window (the step slots, the window totals); the engine's default when unset. */
  windowSteps?: number;
  /** What the total counts beside the engine (engine-footprint.ts); `run` when unset. */
  observers?: FootprintOptions['observers'];
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** The most bytes one storage buffer may hold here: both limits apply, since every buffer is bound whole. */
function bufferBytes(limits: BufferLimits): number {
  return Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
}

/** The side of the largest square grid whose field of `replicas` (f32 per cell) fits one buffer of this adapter. */
export function largestGrid(limits: BufferLimits, replicas = 1): number {
  return Math.floor(Math.sqrt(bufferBytes(limits) / (4 * replicas)));
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

/** "64² cells", "24 × 10 cells", "a ring of 64 cells": the grid as the messages name it. */
function cellsOf(grid: Grid): string {
  return grid.dimensions === 1 ? describeGrid(grid) : `${describeGrid(grid)} cells`;
}

/**
 * What would fit where a buffer needs `factor` bytes per byte of a field: a
 * square grid's side (as before rectangles and rings existed), else a count
 * of cells.
 */
function fitting(limits: BufferLimits, grid: Grid, replicas: number, factor: number): string {
  if (grid.dimensions === 2 && grid.nx === grid.ny) return `${Math.floor(largestGrid(limits, replicas) / Math.sqrt(factor))}² cells`;
  const cells = Math.floor(bufferBytes(limits) / (4 * replicas * factor));
  return grid.dimensions === 1 ? `a ring of ${cells} cells` : `${cells} cells`;
}

/**
 * Checks, before anything is allocated, that the engine's largest buffers
 * fit: a field of every replica in f32 (the fields, drifts, noise and
 * per-cell maps), and the FFT's buffers for the FFT convolution, spectral
 * noise shaping and the inverse noise covariance of correlated noise: complex
 * fields of twice that, and, where an axis's length has a prime factor above
 * 7, Bluestein's work buffers of padded lines (up to about four times the
 * complex field). Throws naming the limit, the size and what would fit.
 * With a budget, also all buffers together (engine-footprint.ts): the path
 * asked for must fit it, and `auto` takes the FFT only where it does.
 * Returns whether the FFT convolution fits (`auto` then falls back to the stencil).
 */
export function checkFootprint(limits: BufferLimits, config: Config, replicas: number, plan: FootprintPlan): { fftFits: boolean } {
  const grid = gridOf(config);
  const field = replicas * grid.cells * 4;
  const what = `${cellsOf(grid)} × ${replicas} replica(s)`;
  const refuse = (problem: string, factor: number) => {
    throw new GpuError(`${problem} (at most ${fitting(limits, grid, replicas, factor)} with ${replicas} replica(s) here; fewer replicas or cells)`);
  };
  const plain = tooLarge(limits, field, what);
  if (plain) refuse(plain, 1);
  // The FFT's largest buffer: the complex field (and its scratch of the same size), or Bluestein's work buffer.
  const { work } = GpuFft2.scratchBuffers([grid.nx, grid.ny], replicas);
  const fftBytes = Math.max(2 * field, work);
  const complex = tooLarge(limits, fftBytes, work > 2 * field ? `${what} in complex form, with Bluestein's padded lines,` : `${what} in complex form`);
  const factor = fftBytes / field;
  const correlated = config.noise.correlationLength > 0;
  if (complex && correlated) refuse(`correlated noise: ${complex} (its inverse covariance is applied by FFT)`, factor);
  if (complex && plan.noiseShaping === 'fft' && correlated) refuse(`noise shaping by FFT: ${complex}`, factor);
  const stencilNeeds = work > 2 * field ? `needs ${mib(field)}` : 'needs half';
  if (complex && plan.convolution === 'fft') refuse(`the FFT convolution: ${complex} (--convolution stencil ${stencilNeeds})`, factor);
  const fftFits = complex === undefined && (plan.budget === undefined || withinBudget(limits, config, replicas, plan, 'fft', plan.convolution === 'fft'));
  if (plan.budget && plan.convolution !== 'fft') withinBudget(limits, config, replicas, plan, plan.convolution === 'stencil-2d' ? 'stencil-2d' : 'stencil', true);
  return { fftFits };
}

/** The engine's default window, which the footprint counts when the plan names none. */
export const FOOTPRINT_WINDOW_STEPS = 128;

/**
 * Whether every buffer of the engine on `path` (with the run's observers)
 * fits the plan's budget; where it does not and `refuse` is set, throws one
 * line naming the footprint and its largest parts, the budget and where it
 * comes from, and the largest grid and replica count that would fit.
 */
function withinBudget(limits: BufferLimits, config: Config, replicas: number, plan: FootprintPlan, path: FootprintPath, refuse: boolean): boolean {
  const budget = plan.budget!;
  const options: FootprintOptions = {
    path, noiseShaping: plan.noiseShaping, windowSteps: plan.windowSteps ?? FOOTPRINT_WINDOW_STEPS, observers: plan.observers ?? 'run',
  };
  const need = engineFootprint(config, replicas, options, limits);
  if (need.bytes <= budget.bytes) return true;
  if (!refuse) return false;
  const grid = gridOf(config);
  const fit = memoryFit(config, replicas, options, limits, budget.bytes);
  const largest = need.parts.slice(0, 3).map(([what, bytes]) => `${what} ${formatBytes(bytes)}`).join(', ');
  const onPath = path === 'fft' ? 'the FFT convolution' : 'the stencil convolution';
  const replicasFit = fit.replicas > 0 ? `or ${fit.replicas} replica(s) of ${cellsOf(grid)}` : `and not one replica of ${cellsOf(grid)}`;
  throw new GpuError(
    `${cellsOf(grid)} × ${replicas} replica(s) with ${onPath} need ${formatBytes(need.bytes)} of GPU buffers (${largest}, …), ` +
      `more than the budget of ${formatBytes(budget.bytes)} (${budget.source}); ` +
      `at most ${fit.grid} with ${replicas} replica(s) fit, ${replicasFit}`,
  );
}
