import type { Grid } from '../config/geometry.js';
import type { Config } from '../config/schema.js';
import { stepCoefficients, type StepCoefficients } from '../model/coefficients.js';
import { philoxKey } from '../rng/philox.js';
import { gpuBatchCoefficients, simParamValues, type GpuCoefficients } from './coefficients.js';
import type { ShaderPart } from './errors.js';
import type { BindingSet } from './layout/bindings.js';
import { SimParams, StepParams, stepBindings } from './layout/structs.js';
import { tilesFor, tileWgsl, type TileGeometry } from './layout/tiles.js';
import { computePipeline } from './pipelines.js';
import { generatedPart, shaderPart, type ShaderName, type ShaderSources } from './shaders.js';

const TRANSFER_CODE = { linear: 0, sigmoid: 1, tanh: 2 } as const;

/**
 * What every pass of one engine shares: the device, the coefficients, the
 * SimParams uniform, the bind groups after each pass's own group 0 (the step
 * slot, the coefficient maps), the WGSL prelude, and the engine's buffers
 * (all destroyed with it).
 */
export class EngineContext {
  readonly coefficients: StepCoefficients;
  readonly gpu: GpuCoefficients;
  /** nx × ny cells (a ring: ny = 1); every pass dispatches over it. */
  readonly grid: Grid;
  readonly cells: number;
  /** Bytes of one field of all replicas (f32). */
  readonly fieldBytes: number;
  readonly params: GPUBuffer;
  /** Groups 1.. of every engine pipeline: the step slot, then the coefficient maps when any. */
  readonly groups: BindingSet[];
  /** The pipelines' override constants: the transfer function. */
  readonly transferConstants: Record<string, number>;
  private readonly owned: GPUBuffer[] = [];
  private readonly mapGroup: GPUBindGroup | undefined;

  constructor(
    readonly device: GPUDevice,
    readonly config: Config,
    readonly replicas: number,
    private readonly replacements: ShaderSources = {},
    /**
     * A batch (gpu/batch.ts): the configs run side by side, each as
     * replicas / members.length consecutive replicas; `config` is the first.
     * They differ only in what the coefficient accessors read per replica.
     */
    readonly members: Config[] = [config],
  ) {
    this.coefficients = stepCoefficients(config);
    this.gpu = gpuBatchCoefficients(members.map(stepCoefficients), replicas / members.length, members.map((m) => philoxKey(m.seed)));
    this.grid = this.coefficients.grid;
    this.cells = this.grid.cells;
    this.fieldBytes = replicas * this.cells * 4;
    this.params = this.upload('sim params', SimParams.encode(simParamValues(this.coefficients, this.gpu, philoxKey(config.seed))), GPUBufferUsage.UNIFORM);
    this.groups = this.gpu.maps ? [stepBindings, this.gpu.maps] : [stepBindings];
    this.transferConstants = { TRANSFER: TRANSFER_CODE[config.transfer.type] };
    const maps = this.gpu.maps;
    this.mapGroup = maps && maps.bindGroup(device, 'coefficient maps',
      Object.fromEntries(maps.names.map((name) => [name, this.upload(name, this.gpu.mapValues[name])])));
  }

  /** A buffer the engine owns (its size rounded up to 4 bytes). */
  buffer(label: string, size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
    this.owned.push(b);
    return b;
  }

  /** A buffer holding `data` (storage, read-only to the kernels, unless told otherwise). */
  upload(label: string, data: ArrayBuffer | Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>, usage: number = GPUBufferUsage.STORAGE): GPUBuffer {
    const b = this.buffer(label, data.byteLength, usage | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(b, 0, data);
    return b;
  }

  /** A hand-written WGSL file (or the test's replacement). */
  source(name: ShaderName): ShaderPart {
    return shaderPart(name, this.replacements);
  }

  /**
   * A pipeline of an engine pass: the prelude (tile constants, SimParams,
   * StepParams, the coefficient accessors), the pass's group-0 declarations,
   * then its files; cached per device.
   */
  pipeline(label: string, group0: BindingSet, parts: ShaderPart[], entryPoint: string, constants?: Record<string, number>): Promise<GPUComputePipeline> {
    // The coefficient accessors and the grid helpers read `params`: a pass without SimParams (the reduce) goes without them.
    const withParams = group0.names.includes('params');
    const head = [...prelude(this.gpu, this.groups, tilesFor(this.grid)).filter((p) => withParams || p.file !== '(coefficients, generated)'), ...(withParams ? [this.source('grid')] : [])];
    return computePipeline(this.device, {
      label,
      parts: [...head, generatedPart(`bindings of ${label}`, group0.wgsl), ...parts],
      entryPoint,
      constants,
      groups: [group0, ...this.groups],
    });
  }

  /** Sets the groups after the step slot (the coefficient maps), once per compute pass. */
  bindShared(pass: GPUComputePassEncoder): void {
    if (this.mapGroup) pass.setBindGroup(2, this.mapGroup);
  }

  destroy(): void {
    for (const b of this.owned) b.destroy();
  }
}

/** The generated head of every engine pass's module: the grid's tile constants, the uniforms, the coefficient accessors. */
export function prelude(gpu: GpuCoefficients, groups: BindingSet[], tiles: TileGeometry): ShaderPart[] {
  return [
    generatedPart('tiles', tileWgsl(tiles)),
    generatedPart('uniforms', SimParams.wgsl + StepParams.wgsl + groups.map((g) => g.wgsl).join('')),
    generatedPart('coefficients', gpu.wgsl),
  ];
}
