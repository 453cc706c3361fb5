import type { Config } from '../config/schema.js';
import { gpuUnsupported } from '../gpu/capabilities.js';
import { GpuError } from '../gpu/errors.js';
import { CpuEngine } from '../cpu/cpu-engine.js';
import type { Engine } from '../engine/engine.js';
import type { ConvolutionCache, ConvolutionRequest } from '../gpu/convolution-choice.js';
import { checkHostMemory, nodeGpuBudget } from './host-memory.js';
import { gpuSetupOf } from './checkpoint/checkpoint.js';
import type { SeparableShape } from '../gpu/layout/tiles.js';

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
  /** The separable column pass's workgroup, forced (a resumed run asks for the one its checkpoint ran). */
  separableShape?: SeparableShape;
}

export async function createEngine(config: Config, backend: Backend, replicas = 1, gpuChoices: GpuChoices = {}): Promise<CreatedEngine> {
  // Refused against this machine's memory before the CPU engine allocates (host-memory.ts).
  const cpuEngine = () => {
    checkHostMemory(config, replicas);
    return new CpuEngine(config, replicas);
  };
  if (backend === 'cpu') return { engine: cpuEngine(), note: 'CPU reference, as asked' };
  const unsupported = gpuUnsupported(config);
  if (unsupported) {
    if (backend === 'gpu') throw new GpuError(`${unsupported}; use --backend cpu`);
    return { engine: cpuEngine(), note: `CPU reference: ${unsupported}` };
  }
  const { requestNodeDevice } = await import('../gpu/node-device.js');
  const { GpuEngine } = await import('../gpu/gpu-engine.js');
  let acquired;
  gpuChoices.progress?.('requesting the WebGPU adapter');
  try {
    acquired = await requestNodeDevice();
  } catch (e) {
    if (backend === 'gpu') throw e;
    return { engine: cpuEngine(), note: `CPU reference: ${(e as Error).message}` };
  }
  const memoryBudget = nodeGpuBudget(acquired.adapter);
  let engine;
  try {
    engine = await GpuEngine.create(acquired.device, acquired.description, config, replicas, { ownsDevice: true, memoryBudget, ...gpuChoices });
  } catch (e) {
    // The engine never took the device it was to own (a refusal, a failed build): it goes here.
    acquired.device.destroy();
    throw e;
  }
  return { engine, note: `GPU: ${acquired.description} (convolution: ${engine.convolution}, ${engine.convolutionNote})` };
}

/**
 * A new GPU engine like `lost` on a new Node device (recovery.ts:
 * Recovery.reacquire): the same config and replicas, convolution path, noise
 * shaping and column workgroup, since another set-up rounds differently.
 * `asked2d`: the lost engine ran `--convolution stencil-2d` (its path reads
 * `stencil` either way).
 */
export async function reacquireGpuEngine(lost: Engine, asked2d = false): Promise<Engine> {
  const setup = gpuSetupOf(lost, asked2d);
  if (!setup) throw new GpuError('only a GPU engine can be rebuilt on a new device');
  return (await createEngine(lost.config, 'gpu', lost.replicas, setup)).engine;
}
