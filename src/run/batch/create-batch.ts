import { gridOf } from '../../config/geometry.js';
import type { Config } from '../../config/schema.js';
import { cellVariance } from '../../estimators/cell-variance/index.js';
import { entropyProduction } from '../../estimators/entropy-production/index.js';
import { reportedObservers } from '../../estimators/reported.js';
import { batchCapacity } from '../../gpu/batch-capacity.js';
import { gpuUnsupported } from '../../gpu/capabilities.js';
import type { FootprintPath } from '../../gpu/engine-footprint.js';
import { FOOTPRINT_WINDOW_STEPS } from '../../gpu/footprint.js';
import type { GpuEngine } from '../../gpu/gpu-engine.js';
import { replicaParamStride } from '../../gpu/observation/code.js';
import type { Backend, GpuChoices } from '../create-engine.js';
import { nodeGpuBudget } from '../host-memory.js';

export interface CreatedBatch {
  engine: GpuEngine;
  /** How many of the configs it runs: the first `members`. */
  members: number;
  /** Which adapter, and the convolution it chose. */
  note: string;
}

/**
 * Cells a batch need not exceed (2²², a 2048² field): past a few million
 * cells per dispatch a GPU is busy anyway, and a larger batch only makes a
 * killed sweep lose more points (a batch's points are written when it ends).
 */
export const BATCH_TARGET_CELLS = 2 ** 22;

/** Bytes of one replica's ObserverParams with the observers simulateBatch attaches. */
function observerParamBytes(): number {
  return replicaParamStride([entropyProduction(1), cellVariance(1), ...reportedObservers.map((r) => r.observer(1))]);
}

/**
 * A GPU engine running the first of `configs` (checked batchable together:
 * src/gpu/batch.ts) as replicas of one dispatch, as many as this adapter's
 * limits and the memory budget hold, or undefined where they run one at a
 * time instead: the CPU asked for, no adapter under `auto`, a config the GPU
 * engine does not support, or room for fewer than two. It takes no more
 * members than BATCH_TARGET_CELLS cells hold. The convolution is
 * chosen as for each alone (the same cache key: grid, kernel, adapter), so
 * each member rounds as its solo run does.
 */
export async function createBatchEngine(configs: Config[], backend: Backend, replicasEach: number, gpuChoices: GpuChoices = {}): Promise<CreatedBatch | undefined> {
  const [config] = configs;
  if (backend === 'cpu' || configs.length < 2 || gpuUnsupported(config)) return undefined;
  const { requestNodeDevice } = await import('../../gpu/node-device.js');
  const { GpuEngine } = await import('../../gpu/gpu-engine.js');
  let acquired;
  try {
    acquired = await requestNodeDevice();
  } catch {
    // Each point then goes its own way (runPoint): `gpu` refuses with the adapter's message, `auto` runs on the CPU.
    return undefined;
  }
  const { device, adapter, description } = acquired;
  const budget = nodeGpuBudget(adapter);
  const noiseShaping = gpuChoices.noiseShaping ?? 'stencil';
  const asked = gpuChoices.convolution ?? 'auto';
  // `auto` may choose either path: counted as the larger.
  const paths: FootprintPath[] = asked === 'auto' ? ['stencil', 'fft'] : [asked];
  const fit = Math.min(
    ...paths.map((path) => batchCapacity(config, replicasEach, configs.length, { path, noiseShaping, windowSteps: FOOTPRINT_WINDOW_STEPS, observers: 'run' }, device.limits, budget.bytes)),
    // Each replica's observer parameters sit in one uniform binding.
    Math.floor(device.limits.maxUniformBufferBindingSize / observerParamBytes() / replicasEach),
    Math.floor(BATCH_TARGET_CELLS / (replicasEach * gridOf(config).cells)),
  );
  if (fit < 2) {
    device.destroy();
    return undefined;
  }
  let engine: GpuEngine;
  try {
    engine = await GpuEngine.createBatch(device, description, configs.slice(0, fit), replicasEach, { ownsDevice: true, memoryBudget: budget, ...gpuChoices });
  } catch (e) {
    device.destroy();
    throw e;
  }
  return { engine, members: fit, note: `GPU: ${description} (convolution: ${engine.convolution}, ${engine.convolutionNote}); ${fit} points as replicas of one dispatch` };
}
