import { GpuError, withErrorScopes } from '../../errors.js';
import { bindings, storage, uniform } from '../../layout/bindings.js';
import { struct } from '../../layout/struct.js';
import { computePipeline } from '../../pipelines.js';
import { generatedPart } from '../../shaders.js';
import { GpuFft2 } from '../fft/fft.js';
import packSource from './pack.wgsl.js';
import shellSource from './shell-sums.wgsl.js';

export const ModeSpectrumParams = struct('ModeSpectrumParams', [
  ['cells', 'u32'],
  ['nx', 'u32'],
  ['ny', 'u32'],
  ['shells', 'u32'],
  ['halfDt', 'f32'],
  ['scale', 'f32'],
] as const, {
  cells: 'nx·ny: replica 0 only',
  shells: 'shell indices 0..shells − 1, one row of that many sums per sample',
  halfDt: 'dt/2 of X = Δ + (dt/2)(F′ − F)',
  scale: 'c of Z = X + i·c·S, a power of two',
});

/** Which row of `rows` a sample writes, bound at a dynamic offset: one slot per sample of a window. */
export const SampleSlot = struct('SampleSlot', [['row', 'u32']] as const);
/** WebGPU's minUniformBufferOffsetAlignment (256 on every adapter). */
const SLOT_BYTES = 256;

const packBindings = bindings(0, {
  spectrum: uniform('ModeSpectrumParams'),
  uPrev: storage('array<f32>'),
  uNext: storage('array<f32>'),
  driftPrev: storage('array<f32>'),
  driftNext: storage('array<f32>'),
  z: storage('array<vec2f>', 'read_write'),
}, 'mode spectrum: pack');

const shellBindings = bindings(0, {
  spectrum: uniform('ModeSpectrumParams'),
  slot: uniform('SampleSlot', { dynamicSize: 4 }),
  z: storage('array<vec2f>'),
  order: storage('array<u32>'),
  offsets: storage('array<u32>'),
  inversePower: storage('array<f32>'),
  modeSums: storage('array<f32>', 'read_write'),
  rows: storage('array<f32>', 'read_write'),
}, 'mode spectrum: shells');

/** The most workgroups along one dispatch dimension (WebGPU's default limit). */
const MAX_WORKGROUPS = 65535;

/** What the σ(k) pass needs to know of the grid and the model. */
export interface ModeSpectrumSetup {
  nx: number;
  ny: number;
  /** Per mode (index p + nx·q), its shell (0..shells − 1). */
  shellOf: Int32Array;
  shells: number;
  /** 1/P_k per mode for correlated noise; undefined for white noise. */
  inversePower: ArrayLike<number> | undefined;
  dt: number;
  /** The most samples encoded between two `takeRows` (one window's). */
  capacity: number;
}

/** The engine's buffers a sample reads: u_n, u_{n+1} and their drifts, by parity (replica 0 first). */
export interface StepBuffers {
  fields: readonly [GPUBuffer, GPUBuffer];
  drifts: readonly [GPUBuffer, GPUBuffer];
}

/** Reads a buffer's first `bytes` bytes back (the engine's read-back, inside its error scopes). */
export type ReadBack = (buffer: GPUBuffer, bytes: number) => Promise<ArrayBuffer>;

/** What the pass's buffers' sizes follow. */
export interface ModeSpectrumSize {
  nx: number;
  ny: number;
  shells: number;
  capacity: number;
  correlated: boolean;
}

/**
 * The bytes of each buffer the pass allocates, for a check against the
 * device's limits before anything is made: Z (complex), the FFT's scratch,
 * the shell listing, 1/P_k, the map, the rows.
 */
export function modeSpectrumBuffers(setup: ModeSpectrumSize): Record<string, number> {
  const cells = setup.nx * setup.ny;
  const fft = GpuFft2.scratchBuffers([setup.nx, setup.ny], 1);
  return {
    'the packed complex field': 8 * cells,
    "the FFT's scratch": fft.scratch,
    "Bluestein's work buffer": fft.work,
    "Bluestein's scratch": fft.workScratch,
    'the modes listed by shell': 4 * cells,
    '1/P_k': setup.correlated ? 4 * cells : 0,
    'the per-mode sums': 4 * cells,
    "a window's rows of shell sums": 4 * setup.capacity * setup.shells,
  };
}

/** Why the pass cannot run on this device (a buffer past its limits), or undefined when it can. */
export function modeSpectrumRefusal(limits: GPUSupportedLimits, setup: ModeSpectrumSize): string | undefined {
  const largest = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  for (const [what, bytes] of Object.entries(modeSpectrumBuffers(setup))) {
    if (bytes > largest) {
      return `σ(k) on the GPU of ${setup.nx}×${setup.ny}: ${what} needs ${(bytes / 2 ** 20).toFixed(0)} MiB, more than this device binds (${(largest / 2 ** 20).toFixed(0)} MiB)`;
    }
  }
  return undefined;
}

/** The modes grouped by shell: `order` lists them shell after shell, shell s at offsets[s] .. offsets[s + 1] − 1. */
export function shellListing(shellOf: Int32Array, shells: number): { order: Uint32Array<ArrayBuffer>; offsets: Uint32Array<ArrayBuffer> } {
  const offsets = new Uint32Array(shells + 1);
  for (const s of shellOf) offsets[s + 1]++;
  for (let s = 0; s < shells; s++) offsets[s + 1] += offsets[s];
  const next = offsets.slice(0, shells);
  const order = new Uint32Array(shellOf.length);
  for (let k = 0; k < shellOf.length; k++) order[next[shellOf[k]]++] = k;
  return { order, offsets };
}

/** 2^round(log2(x)): a scale that multiplies without rounding. */
function powerOfTwoNear(x: number): number {
  return 2 ** Math.round(Math.log2(x));
}

/**
 * σ(k) from data on the GPU (docs/model.md §9.8), the device side of
 * src/estimators/mode-spectrum/device-sampler.ts: at a sampled step, encoded
 * into the engine's window right after the step, pack.wgsl folds Δ, F and F′
 * of replica 0 into one complex field, one GpuFft2 over [nx, ny] transforms
 * it, and shell-sums.wgsl adds each mode's summand (without the host's
 * weight a/(2D)/(N dt)/scale) to a per-mode map and writes the sample's
 * per-shell sums as one row. Nothing is read back per sample: the host takes
 * the rows once per window (`takeRows`) and the map now and then
 * (`takeModeSums`).
 */
export class GpuModeSpectrum {
  /** c of Z = X + i·c·S: the host divides by it. */
  readonly scale: number;
  private readonly shells: number;
  private readonly cells: number;
  private readonly buffers: GPUBuffer[] = [];
  private fft: GpuFft2 | undefined;
  private packPipeline!: GPUComputePipeline;
  private shellPipeline!: GPUComputePipeline;
  private packGroups!: [GPUBindGroup, GPUBindGroup];
  private shellGroup!: GPUBindGroup;
  private modeSums!: GPUBuffer;
  private rows!: GPUBuffer;
  /** Samples encoded since the last takeRows: the next sample's row. */
  private encoded = 0;
  private readonly packDispatch: [number, number, number];
  private readonly shellDispatch: [number, number, number];

  private constructor(private readonly device: GPUDevice, private readonly setup: ModeSpectrumSetup) {
    const { nx, ny, shells, capacity } = setup;
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new RangeError(`σ(k) on the GPU: capacity must be an integer ≥ 1 (got ${capacity})`);
    this.cells = nx * ny;
    this.shells = shells;
    this.scale = powerOfTwoNear(setup.dt / 2);
    const groups = Math.ceil(this.cells / 256);
    const x = Math.min(groups, MAX_WORKGROUPS);
    this.packDispatch = [x, Math.ceil(groups / x), 1];
    this.shellDispatch = [Math.min(shells, MAX_WORKGROUPS), 1, 1];
  }

  static async create(device: GPUDevice, setup: ModeSpectrumSetup, step: StepBuffers): Promise<GpuModeSpectrum> {
    const refusal = modeSpectrumRefusal(device.limits, { ...setup, correlated: setup.inversePower !== undefined });
    if (refusal) throw new GpuError(refusal);
    const pass = new GpuModeSpectrum(device, setup);
    try {
      await withErrorScopes(device, 'building the σ(k) pass', () => pass.init(step));
    } catch (e) {
      pass.destroy();
      throw e;
    }
    return pass;
  }

  private buffer(label: string, size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
    this.buffers.push(b);
    return b;
  }

  private upload(label: string, data: ArrayBuffer | Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>, usage = GPUBufferUsage.STORAGE): GPUBuffer {
    const b = this.buffer(label, data.byteLength, usage | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(b, 0, data);
    return b;
  }

  private async init(step: StepBuffers): Promise<void> {
    const { device, setup, cells, shells } = this;
    const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = GPUBufferUsage;
    const params = this.upload('σ(k) params', ModeSpectrumParams.encode({
      cells, nx: setup.nx, ny: setup.ny, shells, halfDt: setup.dt / 2, scale: this.scale,
    }), UNIFORM);
    const slotValues = new Uint32Array((setup.capacity * SLOT_BYTES) / 4);
    for (let r = 0; r < setup.capacity; r++) slotValues[(r * SLOT_BYTES) / 4] = r;
    const slots = this.upload('σ(k) sample slots', slotValues, UNIFORM);
    const z = this.buffer('σ(k) packed field', 8 * cells, STORAGE);
    const { order, offsets } = shellListing(setup.shellOf, shells);
    const inverse = setup.inversePower;
    this.modeSums = device.createBuffer({ label: 'σ(k) per-mode sums', size: 4 * cells, usage: STORAGE | COPY_SRC | COPY_DST });
    this.rows = this.buffer('σ(k) shell rows', 4 * setup.capacity * shells, STORAGE | COPY_SRC);
    const head = (kind: string, declarations: string) => generatedPart(`σ(k) ${kind}: uniforms and bindings`, ModeSpectrumParams.wgsl + declarations);
    const [pack, shell, fft] = await Promise.all([
      computePipeline(device, { label: 'pack.wgsl', parts: [head('pack', packBindings.wgsl), { file: 'pack.wgsl', code: packSource }], entryPoint: 'pack', groups: [packBindings] }),
      computePipeline(device, {
        label: 'shell-sums.wgsl',
        parts: [head('shells', SampleSlot.wgsl + shellBindings.wgsl), { file: 'shell-sums.wgsl', code: shellSource }],
        entryPoint: 'shell_sums',
        constants: { CORRELATED: inverse ? 1 : 0 },
        groups: [shellBindings],
      }),
      GpuFft2.create(device, [setup.nx, setup.ny], 1, z),
    ]);
    this.fft = fft;
    this.packPipeline = pack;
    this.shellPipeline = shell;
    this.packGroups = [0, 1].map((p) =>
      packBindings.bindGroup(device, `σ(k) pack[${p}]`, {
        spectrum: params, uPrev: step.fields[p], uNext: step.fields[1 - p], driftPrev: step.drifts[p], driftNext: step.drifts[1 - p], z,
      }),
    ) as [GPUBindGroup, GPUBindGroup];
    this.shellGroup = shellBindings.bindGroup(device, 'σ(k) shells', {
      spectrum: params,
      slot: slots,
      z,
      order: this.upload('σ(k) modes by shell', order),
      offsets: this.upload('σ(k) shell offsets', offsets),
      // White noise reads no 1/P_k (CORRELATED = 0): 4 bytes fill the slot.
      inversePower: inverse ? this.upload('σ(k) 1/P_k', Float32Array.from(inverse)) : this.buffer('σ(k) no 1/P_k', 4, STORAGE),
      modeSums: this.modeSums,
      rows: this.rows,
    });
  }

  /** Samples encoded since the last takeRows. */
  get pending(): number {
    return this.encoded;
  }

  /**
   * Encodes one sample into a compute pass, after the engine's step: u_n and
   * F(u_n) are fields[from] and drifts[from], u_{n+1} and F(u_{n+1}) the others.
   * Sets its own pipelines and group 0 (and leaves the engine's groups 1.. as they were).
   */
  encode(pass: GPUComputePassEncoder, from: 0 | 1): void {
    if (!this.fft) throw new GpuError('σ(k) on the GPU: this pass has been destroyed');
    if (this.encoded >= this.setup.capacity) {
      throw new GpuError(`σ(k) on the GPU: more than ${this.setup.capacity} samples in one window (the rows hold that many)`);
    }
    pass.setPipeline(this.packPipeline);
    pass.setBindGroup(0, this.packGroups[from]);
    pass.dispatchWorkgroups(...this.packDispatch);
    this.fft.encode(pass, false);
    pass.setPipeline(this.shellPipeline);
    pass.setBindGroup(0, this.shellGroup, [this.encoded * SLOT_BYTES]);
    pass.dispatchWorkgroups(...this.shellDispatch);
    this.encoded++;
  }

  /** The rows of the samples encoded since the last call (pending × shells float32 sums, oldest first), once their work has run. */
  async takeRows(read: ReadBack): Promise<Float32Array> {
    const count = this.encoded;
    if (count === 0) return new Float32Array(0);
    const rows = new Float32Array(await read(this.rows, 4 * count * this.shells));
    this.encoded = 0;
    return rows;
  }

  /** The per-mode sums since the last call (float32, one per mode), then zeroes them on the device. */
  async takeModeSums(read: ReadBack): Promise<Float32Array> {
    const sums = new Float32Array(await read(this.modeSums, 4 * this.cells));
    await withErrorScopes(this.device, 'clearing the σ(k) per-mode sums', () => {
      const encoder = this.device.createCommandEncoder({ label: 'σ(k) clear' });
      encoder.clearBuffer(this.modeSums);
      this.device.queue.submit([encoder.finish()]);
    });
    return sums;
  }

  /** The per-mode sums since the last take, left on the device (a run's checkpoint copies them exactly). */
  async peekModeSums(read: ReadBack): Promise<Float32Array> {
    return new Float32Array(await read(this.modeSums, 4 * this.cells));
  }

  /** Puts back per-mode sums that peekModeSums gave (a resumed run). */
  putModeSums(sums: Float32Array): void {
    if (sums.length !== this.cells) throw new RangeError(`σ(k) on the GPU: ${sums.length} per-mode sums for ${this.cells} modes`);
    this.device.queue.writeBuffer(this.modeSums, 0, Float32Array.from(sums));
  }

  /** Frees all but the per-mode sums, which may still be taken: no sample can be encoded after it. */
  releaseTransform(): void {
    this.fft?.destroy();
    this.fft = undefined;
    for (const b of this.buffers) b.destroy();
    this.buffers.length = 0;
  }

  destroy(): void {
    this.releaseTransform();
    this.modeSums?.destroy();
  }
}
