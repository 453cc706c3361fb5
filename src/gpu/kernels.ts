import type { Config } from '../config/schema.js';
import { compileShader, GpuError, withErrorScopes, type ShaderPart } from './errors.js';
import { simParamsWgsl } from './sim-params.js';
import { wgsl, type ShaderName } from './wgsl.generated.js';

/** Widest stencil the tiled convolution stages in workgroup memory (drift.wgsl). */
export const MAX_TILED_RADIUS = 16;
/** Each step's StepParams slot: the minimum dynamic uniform offset alignment. */
export const STEP_SLOT_BYTES = 256;

export type ShaderSources = Partial<Record<ShaderName, string>>;

/** The compute pipelines of one engine and the bind-group layouts they share. */
export interface Kernels {
  stepLayout: GPUBindGroupLayout;
  driftLayout: GPUBindGroupLayout;
  updateLayout: GPUBindGroupLayout;
  noiseLayout: GPUBindGroupLayout;
  reduceLayout: GPUBindGroupLayout;
  spectralLayout: GPUBindGroupLayout;
  observeLayout: GPUBindGroupLayout;
  drift: GPUComputePipeline;
  driftObserved: GPUComputePipeline;
  update: GPUComputePipeline;
  draw: GPUComputePipeline;
  filterX: GPUComputePipeline;
  filterY: GPUComputePipeline;
  reduce: GPUComputePipeline;
  toComplex: GPUComputePipeline;
  realToComplex: GPUComputePipeline;
  drawComplex: GPUComputePipeline;
  multiplyKernel: GPUComputePipeline;
  observeCorrelated: GPUComputePipeline;
}

/** How the engine convolves: the tiled (or, past MAX_TILED_RADIUS, direct) stencil, or the FFT. */
export type ConvolutionPath = 'stencil' | 'fft';
/** How correlated noise is made: the separable stencil filter, or shaping by FFT. */
export type NoiseShaping = 'stencil' | 'fft';

const TRANSFER_CODE = { linear: 0, sigmoid: 1, tanh: 2 } as const;

function layout(device: GPUDevice, label: string, kinds: GPUBufferBindingType[], dynamic = false): GPUBindGroupLayout {
  return device.createBindGroupLayout({
    label,
    entries: kinds.map((type, binding) => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type, hasDynamicOffset: dynamic },
    })),
  });
}

/**
 * Compiles the WGSL of shaders/ (or replacements, for tests) and builds the
 * pipelines for this config: the transfer is an override constant, the
 * convolution tiled or direct by stencil radius.
 */
export async function createKernels(
  device: GPUDevice,
  config: Config,
  radius: number,
  path: ConvolutionPath,
  shaping: NoiseShaping,
  sources: ShaderSources = {},
): Promise<Kernels> {
  const part = (name: ShaderName | 'sim-params'): ShaderPart =>
    name === 'sim-params'
      ? { file: '(SimParams, generated)', code: simParamsWgsl }
      : { file: `${name}.wgsl`, code: sources[name] ?? wgsl[name] };
  const module = (main: ShaderName, ...libraries: ShaderName[]) =>
    compileShader(device, `${main}.wgsl`, [part('sim-params'), part('step-params'), part(main), ...libraries.map(part)]);
  return withErrorScopes(device, 'creating the compute pipelines', async () => {
    const [driftModule, updateModule, noiseModule, reduceModule, spectralModule, observeModule] = await Promise.all([
      module('drift', 'transfer', 'workgroup-reduce'),
      module('update', 'philox'),
      module('noise', 'philox'),
      module('reduce'),
      module('spectral', 'transfer', 'philox'),
      module('observe-correlated', 'workgroup-reduce'),
    ]);
    const stepLayout = layout(device, 'step params', ['uniform'], true);
    const driftLayout = layout(device, 'drift', [
      'uniform', 'read-only-storage', 'read-only-storage', 'storage',
      'read-only-storage', 'read-only-storage', 'storage', 'storage', 'read-only-storage',
    ]);
    const spectralLayout = layout(device, 'spectral', ['uniform', 'read-only-storage', 'storage', 'read-only-storage']);
    const observeLayout = layout(device, 'observe correlated', [
      'uniform', 'read-only-storage', 'read-only-storage', 'read-only-storage', 'read-only-storage',
      'read-only-storage', 'read-only-storage', 'storage', 'storage',
    ]);
    const updateLayout = layout(device, 'update', ['uniform', 'read-only-storage', 'read-only-storage', 'storage', 'read-only-storage']);
    const noiseLayout = layout(device, 'noise', ['uniform', 'read-only-storage', 'storage', 'storage']);
    const reduceLayout = layout(device, 'reduce', ['uniform', 'read-only-storage', 'storage']);
    const pipeline = (module: GPUShaderModule, group: GPUBindGroupLayout, entryPoint: string, constants?: Record<string, number>) =>
      device
        .createComputePipelineAsync({
          label: entryPoint,
          layout: device.createPipelineLayout({ bindGroupLayouts: [group, stepLayout] }),
          compute: { module, entryPoint, constants },
        })
        .catch((e: Error) => {
          throw new GpuError(`WebGPU could not create the pipeline ${entryPoint}: ${e.message}`);
        });
    const transfer = { TRANSFER: TRANSFER_CODE[config.transfer.type] };
    const driftEntry = path === 'fft' ? 'drift_spectral' : radius <= MAX_TILED_RADIUS ? 'drift_tiled' : 'drift_direct';
    const white = config.noise.correlationLength === 0;
    const [drift, driftObserved, update, draw, filterX, filterY, reduce, toComplex, realToComplex, drawComplex, multiplyKernel, observeCorrelated] = await Promise.all([
      pipeline(driftModule, driftLayout, driftEntry, transfer),
      pipeline(driftModule, driftLayout, `${driftEntry}_observed`, transfer),
      pipeline(updateModule, updateLayout, white ? 'update_white' : shaping === 'fft' ? 'update_spectral_shaped' : 'update_shaped'),
      pipeline(noiseModule, noiseLayout, 'draw'),
      pipeline(noiseModule, noiseLayout, 'filter_x'),
      pipeline(noiseModule, noiseLayout, 'filter_y'),
      pipeline(reduceModule, reduceLayout, 'reduce_step'),
      pipeline(spectralModule, spectralLayout, 'to_complex', transfer),
      pipeline(spectralModule, spectralLayout, 'real_to_complex', transfer),
      pipeline(spectralModule, spectralLayout, 'draw_complex', transfer),
      pipeline(spectralModule, spectralLayout, 'multiply_kernel'),
      pipeline(observeModule, observeLayout, 'observe_correlated'),
    ]);
    return {
      stepLayout, driftLayout, updateLayout, noiseLayout, reduceLayout, spectralLayout, observeLayout,
      drift, driftObserved, update, draw, filterX, filterY, reduce, toComplex, realToComplex, drawComplex, multiplyKernel, observeCorrelated,
    };
  });
}
