import type { Config } from '../config/schema.js';
import { gpuUnsupported } from '../gpu/capabilities.js';
import { GpuError } from '../gpu/errors.js';
import { CpuEngine } from '../cpu/cpu-engine.js';
import type { Engine } from '../engine/engine.js';
import type { ConvolutionCache, ConvolutionRequest } from '../gpu/convolution-choice.js';

export const BACKENDS = ['auto', 'gpu', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface CreatedEngine {
  engine: Engine;
  /** Why this backend: which adapter `auto` got, or why it fell back to the CPU. */
  note: string;
}

/**
 * One word picks the engine. `gpu` insists on a WebGPU adapter; `auto` takes
 * one when it exists and the GPU engine supports the config, and otherwise
 * says why it runs on the CPU. Dawn is loaded only when a GPU is asked for.
 */
export interface GpuChoices {
  convolution?: ConvolutionRequest;
  noiseShaping?: 'stencil' | 'fft';
  /** Where `auto` remembers its choice across runs (the CLI: a file). */
  convolutionCache?: ConvolutionCache;
  /** Told each stage of the GPU engine's start-up. */
  progress?: (stage: string) => void;
}

export async function createEngine(config: Config, backend: Backend, replicas = 1, gpuChoices: GpuChoices = {}): Promise<CreatedEngine> {
  if (backend === 'cpu') return { engine: new CpuEngine(config, replicas), note: 'CPU reference, as asked' };
  const unsupported = gpuUnsupported(config);
  if (unsupported) {
    if (backend === 'gpu') throw new GpuError(`${unsupported}; use --backend cpu`);
    return { engine: new CpuEngine(config, replicas), note: `CPU reference: ${unsupported}` };
  }
  const { requestNodeDevice } = await import('../gpu/node-device.js');
  const { GpuEngine } = await import('../gpu/gpu-engine.js');
  let acquired;
  gpuChoices.progress?.('requesting the WebGPU adapter');
  try {
    acquired = await requestNodeDevice();
  } catch (e) {
    if (backend === 'gpu') throw e;
    return { engine: new CpuEngine(config, replicas), note: `CPU reference: ${(e as Error).message}` };
  }
  const engine = await GpuEngine.create(acquired.device, acquired.description, config, replicas, { ownsDevice: true, ...gpuChoices });
  return { engine, note: `GPU: ${acquired.description} (convolution: ${engine.convolution}, ${engine.convolutionNote})` };
}
