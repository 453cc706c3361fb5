import type { Config } from '../config/schema.js';
import { kernelRadiusCells } from '../model/kernels.js';

/** How the engine convolves: the tiled (or, past MAX_TILED_RADIUS, direct) stencil, or the FFT. */
export type ConvolutionPath = 'stencil' | 'fft';

/** Milliseconds that a few steps take on a throwaway engine of the path (the engine supplies it: no import cycle). */
export type TimeConvolution = (path: ConvolutionPath) => Promise<number>;

/**
 * The faster convolution for an adapter, grid size and stencil radius,
 * measured once (a few timed steps of each path on a throwaway engine) and
 * remembered for the life of the process. Small stencils never lose to the
 * FFT's two transforms per step, so radius ≤ 2 is not measured.
 */
const choices = new Map<string, Promise<ConvolutionPath>>();

export function fasterConvolution(description: string, config: Config, time: TimeConvolution): Promise<ConvolutionPath> {
  const radius = kernelRadiusCells(config);
  if (radius <= 2) return Promise.resolve('stencil');
  const key = `${description}|${config.grid.n}|${radius}`;
  let choice = choices.get(key);
  if (!choice) {
    choice = measure(time);
    choices.set(key, choice);
  }
  return choice;
}

async function measure(time: TimeConvolution): Promise<ConvolutionPath> {
  const seconds: Record<ConvolutionPath, number> = { stencil: Infinity, fft: Infinity };
  for (const path of ['stencil', 'fft'] as const) seconds[path] = await time(path);
  return seconds.fft < seconds.stencil ? 'fft' : 'stencil';
}
