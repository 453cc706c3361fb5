import type { Config } from '../config/schema.js';
import { kernelRadiusCells } from '../model/kernels.js';
import type { ConvolutionPath } from './kernels.js';

/**
 * The faster convolution for an adapter, grid size and stencil radius,
 * measured once (a few timed steps of each path on a throwaway engine) and
 * remembered for the life of the process. Small stencils never lose to the
 * FFT's two transforms per step, so radius ≤ 2 is not measured.
 */
const choices = new Map<string, Promise<ConvolutionPath>>();

export function fasterConvolution(device: GPUDevice, description: string, config: Config): Promise<ConvolutionPath> {
  const radius = kernelRadiusCells(config);
  if (radius <= 2) return Promise.resolve('stencil');
  const key = `${description}|${config.grid.n}|${radius}`;
  let choice = choices.get(key);
  if (!choice) {
    choice = measure(device, description, config);
    choices.set(key, choice);
  }
  return choice;
}

async function measure(device: GPUDevice, description: string, config: Config): Promise<ConvolutionPath> {
  const { GpuEngine } = await import('./gpu-engine.js');
  const seconds: Record<ConvolutionPath, number> = { stencil: Infinity, fft: Infinity };
  for (const path of ['stencil', 'fft'] as const) {
    const engine = await GpuEngine.create(device, description, config, 1, { convolution: path, windowSteps: 4 });
    try {
      await engine.advance(2);
      const t0 = performance.now();
      await engine.advance(4);
      seconds[path] = performance.now() - t0;
    } finally {
      engine.dispose();
    }
  }
  return seconds.fft < seconds.stencil ? 'fft' : 'stencil';
}
