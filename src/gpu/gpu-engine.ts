import type { Config } from '../config/schema.js';
import type {
  BackendInfo, CellVarianceEstimator, Engine, EngineState, EntropyProductionEstimator,
} from '../engine/engine.js';
import { initialField } from '../engine/initial.js';
import { cellSize, kernelRadiusCells, kernelStencil, noiseRadiusCells, noiseStencil } from '../model/kernels.js';
import { philoxKey } from '../rng/philox.js';
import { GpuError, watchDevice, withErrorScopes, type DeviceWatch } from './errors.js';
import { GpuObservation } from './gpu-observation.js';
import { GpuTimer } from './gpu-timer.js';
import { createKernels, MAX_TILED_RADIUS, STEP_SLOT_BYTES, type ConvolutionPath, type Kernels, type NoiseShaping, type ShaderSources } from './kernels.js';
import { fasterConvolution } from './convolution-choice.js';
import { complexMultiplier, SpectralFilter } from './spectral-filter.js';
import { stencilSpectrum } from '../numeric/fft2.js';
import { noisePower } from '../theory/modes.js';
import { gpuUnsupported } from './capabilities.js';
import { encodeSimParams, SIM_PARAMS_BYTES, type SimParams } from './sim-params.js';

export interface GpuEngineOptions {
  /** Steps encoded into one submission; the host reads totals once per window. */
  windowSteps?: number;
  /** Replacement WGSL by file name (tests plant broken shaders with it). */
  shaders?: ShaderSources;
  /** Destroy the device on dispose(): the engine was given a device of its own. */
  ownsDevice?: boolean;
  /** Time every window's pass with timestamp queries (when the device has them): see `gpuSeconds`. */
  timestamps?: boolean;
  /** The convolution: the stencil, the FFT, or `auto` (the faster on this adapter, measured once). */
  convolution?: ConvolutionPath | 'auto';
  /** Correlated noise from the separable stencil filter (default) or by spectral shaping. */
  noiseShaping?: NoiseShaping;
}

const TILE = 16;
/** drift.wgsl: an 8×16 workgroup covers 32×16 cells when tiled, 8×16 when direct. */
const DRIFT_TILE_X = 32;
const DRIFT_TILE_Y = 16;
const DIRECT_WORKGROUP_X = 8;
const DEFAULT_WINDOW = 128;

/**
 * The WebGPU engine: the model of spec §2–§4 in float32 on the GPU, the same
 * random numbers as the CPU reference, R replicas in each dispatch (along z).
 *
 * One step is a few dispatches, all encoded ahead for a window of steps and
 * submitted at once: [draw ξ, filter x, filter y] (correlated noise) → update
 * u_{n+1} → drift F(u_{n+1}) [with the entropy production and field moments
 * when observed] → [reduce the step's workgroup partials to one row]. The step
 * index reaches the kernels through a uniform bound at a per-step dynamic
 * offset, so nothing waits on the host inside a window.
 */
export class GpuEngine implements Engine {
  readonly backend: BackendInfo;
  private step = 0;
  private cur = 0;
  private readonly cells: number;
  /** Workgroups of the one-cell-per-thread kernels (16×16) and of the drift kernel. */
  private readonly groups: [number, number, number];
  private readonly driftGroups: [number, number, number];
  /** Workgroups of the kernel that observes a step: the drift's, or observe_correlated's (8×16). */
  private readonly observeGroups: [number, number, number];
  private readonly watch: DeviceWatch;
  private readonly buffers: GPUBuffer[] = [];
  private readonly simParams: SimParams;
  private readonly paramsBuffer: GPUBuffer;
  private readonly stepBuffer: GPUBuffer;
  private readonly fields: [GPUBuffer, GPUBuffer];
  private readonly drifts: [GPUBuffer, GPUBuffer];
  private readonly stepGroup: GPUBindGroup;
  private readonly driftBindGroups: [GPUBindGroup, GPUBindGroup];
  private readonly updateGroups: [GPUBindGroup, GPUBindGroup];
  private readonly noiseGroups: [GPUBindGroup, GPUBindGroup, GPUBindGroup] | undefined;
  /** Spectral noise shaping: ξ, then G ξ, in a complex buffer. */
  private readonly noiseShaper: SpectralFilter | undefined;
  private readonly reduceGroup: GPUBindGroup;
  private readonly observation: GpuObservation;
  private readonly timer: GpuTimer | undefined;
  /** The FFT convolution: K f(u) of either field buffer, in a complex buffer. */
  private readonly convolver: SpectralFilter | undefined;
  /** Correlated noise: H F of each drift buffer (complex), and the observing bind groups. */
  private readonly inverseCovariance: { filters: [SpectralFilter, SpectralFilter]; observe: [GPUBindGroup, GPUBindGroup] } | undefined;
  private disposed = false;

  static async create(
    device: GPUDevice, description: string, config: Config, replicas = 1, options: GpuEngineOptions = {},
  ): Promise<GpuEngine> {
    if (!(Number.isInteger(replicas) && replicas >= 1)) throw new RangeError(`replicas must be an integer ≥ 1 (got ${replicas})`);
    const watch = watchDevice(device);
    const bytes = replicas * config.grid.n ** 2 * 4;
    const limit = device.limits.maxStorageBufferBindingSize;
    if (bytes > limit) {
      throw new GpuError(
        `${config.grid.n}² cells × ${replicas} replica(s) need storage buffers of ${mib(bytes)}; ` +
          `this adapter's maxStorageBufferBindingSize is ${mib(limit)} (fewer replicas or cells)`,
      );
    }
    const requested = options.convolution ?? 'auto';
    const path = requested === 'auto' ? await fasterConvolution(device, description, config) : requested;
    const shaping = options.noiseShaping ?? 'stencil';
    const kernels = await createKernels(device, config, kernelRadiusCells(config), path, shaping, options.shaders);
    const engine = await withErrorScopes(device, 'allocating the engine buffers', () =>
      new GpuEngine(device, watch, { kind: 'gpu', description }, config, replicas, kernels, options.windowSteps ?? DEFAULT_WINDOW, options.ownsDevice ?? false,
        options.timestamps === true && GpuTimer.available(device), path, shaping),
    );
    for (const filter of engine.spectralFilters) await filter.init(config.grid.n, replicas);
    await engine.upload(initialField(config, replicas), 0);
    return engine;
  }

  private constructor(
    readonly device: GPUDevice,
    watch: DeviceWatch,
    backend: BackendInfo,
    readonly config: Config,
    readonly replicas: number,
    private readonly kernels: Kernels,
    readonly windowSteps: number,
    private readonly ownsDevice: boolean,
    timestamps: boolean,
    readonly convolution: ConvolutionPath,
    readonly noiseShaping: NoiseShaping,
  ) {
    this.backend = backend;
    this.watch = watch;
    this.timer = timestamps ? new GpuTimer(device) : undefined;
    const n = config.grid.n;
    this.cells = n * n;
    this.groups = [Math.ceil(n / TILE), Math.ceil(n / TILE), replicas];
    const tiled = convolution === 'stencil' && kernelRadiusCells(config) <= MAX_TILED_RADIUS;
    this.driftGroups = [Math.ceil(n / (tiled ? DRIFT_TILE_X : DIRECT_WORKGROUP_X)), Math.ceil(n / DRIFT_TILE_Y), replicas];
    this.observeGroups = config.noise.correlationLength > 0
      ? [Math.ceil(n / DIRECT_WORKGROUP_X), Math.ceil(n / DRIFT_TILE_Y), replicas]
      : this.driftGroups;
    const fieldBytes = replicas * this.cells * 4;
    const [k0, k1] = philoxKey(config.seed);
    const dx = cellSize(config);
    const t = config.transfer;
    this.simParams = {
      n,
      radius: kernelRadiusCells(config),
      noiseRadius: config.noise.correlationLength > 0 ? noiseRadiusCells(config) : 0,
      seedLo: k0,
      seedHi: k1,
      partialsPerReplica: this.observeGroups[0] * this.observeGroups[1],
      dt: config.dt,
      invTau: 1 / config.tau,
      h: config.input,
      gain: t.type === 'linear' ? t.slope : t.gain,
      threshold: t.type === 'linear' ? 0 : t.threshold,
      noiseScale: Math.sqrt(2 * config.noise.amplitude * config.dt) / dx,
      epWeight: (dx * dx) / (2 * config.noise.amplitude),
      halfDt: config.dt / 2,
      reference: 0,
      shapedWeight: Math.sqrt(1 - config.noise.whiteFraction),
      floorWeight: Math.sqrt(config.noise.whiteFraction),
    };
    const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = GPUBufferUsage;
    this.paramsBuffer = this.buffer('sim params', SIM_PARAMS_BYTES, UNIFORM | COPY_DST);
    this.writeParams();
    this.stepBuffer = this.buffer('step params', windowSteps * STEP_SLOT_BYTES, UNIFORM | COPY_DST);
    const weights = this.storage('kernel weights', Float32Array.from(kernelStencil(config).weights).reverse());
    this.fields = [this.buffer('u[0]', fieldBytes, STORAGE | COPY_SRC | COPY_DST), this.buffer('u[1]', fieldBytes, STORAGE | COPY_SRC | COPY_DST)];
    this.drifts = [this.buffer('F[0]', fieldBytes, STORAGE), this.buffer('F[1]', fieldBytes, STORAGE)];
    const white = config.noise.correlationLength === 0;
    const spectralShaping = !white && noiseShaping === 'fft';
    const shaped: [GPUBuffer, GPUBuffer] | undefined = white || spectralShaping
      ? undefined
      : [this.buffer('noise A', fieldBytes, STORAGE), this.buffer('noise B', fieldBytes, STORAGE)];
    this.observation = new GpuObservation(this, fieldBytes, this.simParams.partialsPerReplica * replicas);
    const { density, partials, totals } = this.observation;

    const group = (layout: GPUBindGroupLayout, label: string, resources: GPUBuffer[], dynamicSize?: number) =>
      this.device.createBindGroup({
        label,
        layout,
        entries: resources.map((buffer, binding) => ({ binding, resource: { buffer, size: dynamicSize } })),
      });
    const k = kernels;
    const P = this.paramsBuffer;
    this.stepGroup = group(k.stepLayout, 'step', [this.stepBuffer], 8);
    const [U, F] = [this.fields, this.drifts];
    const filter = (label: string, prepare: GPUComputePipeline, multiplier: Float32Array<ArrayBuffer>, inputs: GPUBuffer[]) =>
      new SpectralFilter(device, k, prepare, this.buffer(label, 2 * fieldBytes, STORAGE), P, this.storage(`${label} multiplier`, multiplier), inputs, this.groups, label);
    if (convolution === 'fft') {
      const { re, im } = stencilSpectrum(n, kernelStencil(config));
      this.convolver = filter('K f(u)', k.toComplex, complexMultiplier(re, im, n), U);
    }
    const convolved = this.convolver?.output ?? this.buffer('no spectrum', 8, STORAGE);
    this.driftBindGroups = [0, 1].map((p) =>
      group(k.driftLayout, `drift[${p}]`, [P, weights, U[p], F[p], U[1 - p], F[1 - p], density, partials, convolved]),
    ) as [GPUBindGroup, GPUBindGroup];
    if (spectralShaping) {
      const { re, im } = stencilSpectrum(n, noiseStencil(config)!);
      // draw_complex reads no input: the first field stands in for the layout's input slot.
      this.noiseShaper = filter('G ξ', k.drawComplex, complexMultiplier(re, im, n), [U[0]]);
    }
    const noiseOut = shaped?.[0] ?? this.noiseShaper?.output ?? this.buffer('no noise', 4, STORAGE);
    this.updateGroups = [0, 1].map((p) =>
      group(k.updateLayout, `update[${p}]`, [P, U[p], F[p], U[1 - p], noiseOut]),
    ) as [GPUBindGroup, GPUBindGroup];
    if (shaped) {
      const taps = this.storage('noise taps', noiseTaps(config));
      this.noiseGroups = [
        group(k.noiseLayout, 'draw', [P, taps, shaped[1], shaped[0]]),
        group(k.noiseLayout, 'filter x', [P, taps, shaped[0], shaped[1]]),
        group(k.noiseLayout, 'filter y', [P, taps, shaped[1], shaped[0]]),
      ];
    }
    this.reduceGroup = group(k.reduceLayout, 'reduce', [P, partials, totals]);
    if (!white) {
      const inverse = complexMultiplier(noisePower(config).map((q) => 1 / q), undefined, n);
      const filters = [0, 1].map((p) => filter(`H F[${p}]`, k.realToComplex, inverse, [F[p]])) as [SpectralFilter, SpectralFilter];
      const hf = filters.map((f) => f.output);
      this.inverseCovariance = {
        filters,
        observe: [0, 1].map((p) =>
          group(k.observeLayout, `observe[${p}]`, [P, U[p], U[1 - p], F[1 - p], F[p], hf[1 - p], hf[p], density, partials]),
        ) as [GPUBindGroup, GPUBindGroup],
      };
    }
  }

  private get spectralFilters(): SpectralFilter[] {
    return [this.convolver, this.noiseShaper, ...(this.inverseCovariance?.filters ?? [])].filter((f): f is SpectralFilter => f !== undefined);
  }

  get stepIndex(): number {
    return this.step;
  }

  /** GPU time of all windows so far (timestamp queries), or undefined without them. */
  get gpuSeconds(): number | undefined {
    return this.timer?.seconds;
  }

  /** The buffer holding u_n now (replica-major): what a render pipeline draws. */
  get fieldBuffer(): GPUBuffer {
    return this.fields[this.cur];
  }

  /** Σ over observed steps of s_i(n), per cell (zeroed when an entropy estimator attaches). */
  get densityBuffer(): GPUBuffer {
    return this.observation.density;
  }

  /** A buffer this engine owns and destroys. */
  buffer(label: string, size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(4, Math.ceil(size / 4) * 4), usage });
    this.buffers.push(b);
    return b;
  }

  private storage(label: string, data: Float32Array<ArrayBuffer>): GPUBuffer {
    const b = this.buffer(label, data.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(b, 0, data);
    return b;
  }

  writeParams(): void {
    this.device.queue.writeBuffer(this.paramsBuffer, 0, encodeSimParams(this.simParams));
  }

  /** Sets the shift of the field moments (see GpuObservation). */
  setReference(value: number): void {
    this.simParams.reference = value;
    this.writeParams();
  }

  async attachEntropyProduction(blockSteps: number): Promise<EntropyProductionEstimator> {
    const unsupported = gpuUnsupported(this.config);
    if (unsupported) throw new GpuError(unsupported);
    if (this.inverseCovariance) {
      // The first observed step needs H F of the current drift.
      await withErrorScopes(this.device, 'applying the inverse noise covariance', () => {
        const encoder = this.device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        pass.setBindGroup(1, this.stepGroup, [0]);
        this.inverseCovariance!.filters[this.cur].encode(pass);
        pass.end();
        this.device.queue.submit([encoder.finish()]);
      });
    }
    return this.observation.attachEntropy(blockSteps);
  }

  async attachCellVariance(blockSteps: number): Promise<CellVarianceEstimator> {
    return this.observation.attachVariance(blockSteps);
  }

  async advance(steps: number): Promise<void> {
    this.checkUsable();
    for (let left = steps; left > 0; ) {
      const count = Math.min(left, this.windowSteps);
      await this.runWindow(count);
      left -= count;
    }
  }

  private async runWindow(count: number): Promise<void> {
    const observed = this.observation.active;
    const slots = new Uint32Array((count * STEP_SLOT_BYTES) / 4);
    for (let s = 0; s < count; s++) {
      slots[(s * STEP_SLOT_BYTES) / 4] = (this.step + s) >>> 0;
      slots[(s * STEP_SLOT_BYTES) / 4 + 1] = s;
    }
    await withErrorScopes(this.device, `running steps ${this.step}..${this.step + count - 1}`, () => {
      this.device.queue.writeBuffer(this.stepBuffer, 0, slots);
      const encoder = this.device.createCommandEncoder({ label: 'window' });
      const pass = encoder.beginComputePass(this.timer ? { timestampWrites: this.timer.timestampWrites } : {});
      const k = this.kernels;
      const [gx, gy, gz] = this.groups;
      for (let s = 0; s < count; s++) {
        pass.setBindGroup(1, this.stepGroup, [s * STEP_SLOT_BYTES]);
        if (this.noiseGroups) {
          for (const [pipeline, bg] of [[k.draw, this.noiseGroups[0]], [k.filterX, this.noiseGroups[1]], [k.filterY, this.noiseGroups[2]]] as const) {
            pass.setPipeline(pipeline);
            pass.setBindGroup(0, bg);
            pass.dispatchWorkgroups(gx, gy, gz);
          }
        }
        this.noiseShaper?.encode(pass);
        pass.setPipeline(k.update);
        pass.setBindGroup(0, this.updateGroups[this.cur]);
        pass.dispatchWorkgroups(gx, gy, gz);
        const next = 1 - this.cur;
        if (observed && this.inverseCovariance) {
          this.encodeDrift(pass, next, false);
          this.inverseCovariance.filters[next].encode(pass);
          pass.setPipeline(k.observeCorrelated);
          pass.setBindGroup(0, this.inverseCovariance.observe[next]);
          pass.dispatchWorkgroups(...this.observeGroups);
        } else {
          this.encodeDrift(pass, next, observed);
        }
        if (observed) {
          pass.setPipeline(k.reduce);
          pass.setBindGroup(0, this.reduceGroup);
          pass.dispatchWorkgroups(this.replicas);
        }
        this.cur = next;
      }
      pass.end();
      this.timer?.resolve(encoder);
      if (observed) this.observation.encodeTotalsCopy(encoder, count);
      this.device.queue.submit([encoder.finish()]);
    });
    this.step += count;
    if (observed) await this.observation.collect(count);
    else await this.device.queue.onSubmittedWorkDone();
    await this.timer?.collect();
    this.watch.check();
  }

  /** F(u) of field p (and, observed, the entropy of the step that produced it). */
  private encodeDrift(pass: GPUComputePassEncoder, p: number, observed: boolean): void {
    const k = this.kernels;
    this.convolver?.encode(pass, p);
    pass.setPipeline(observed ? k.driftObserved : k.drift);
    pass.setBindGroup(0, this.driftBindGroups[p]);
    pass.dispatchWorkgroups(...this.driftGroups);
  }

  /** Computes F(u) of the current field: after an upload or a restore. */
  private async refreshDrift(): Promise<void> {
    await withErrorScopes(this.device, 'computing the drift', () => {
      const encoder = this.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setBindGroup(1, this.stepGroup, [0]);
      this.encodeDrift(pass, this.cur, false);
      pass.end();
      this.device.queue.submit([encoder.finish()]);
    });
    await this.device.queue.onSubmittedWorkDone();
    this.watch.check();
  }

  private async upload(field: Float64Array, stepIndex: number): Promise<void> {
    this.device.queue.writeBuffer(this.fields[this.cur], 0, Float32Array.from(field));
    this.step = stepIndex;
    await this.refreshDrift();
  }

  /** Copies a GPU buffer's first `bytes` bytes back to the host. */
  async readBuffer(source: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.checkUsable();
    const staging = this.device.createBuffer({ label: 'readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    try {
      await withErrorScopes(this.device, 'reading back a buffer', () => {
        const encoder = this.device.createCommandEncoder();
        encoder.copyBufferToBuffer(source, 0, staging, 0, bytes);
        this.device.queue.submit([encoder.finish()]);
      });
      await staging.mapAsync(GPUMapMode.READ);
      const copy = staging.getMappedRange().slice(0);
      staging.unmap();
      return copy;
    } finally {
      staging.destroy();
    }
  }

  async readField(): Promise<Float64Array> {
    const bytes = this.replicas * this.cells * 4;
    return Float64Array.from(new Float32Array(await this.readBuffer(this.fields[this.cur], bytes)));
  }

  async saveState(): Promise<EngineState> {
    return { stepIndex: this.step, replicas: this.replicas, n: this.config.grid.n, field: await this.readField() };
  }

  async restoreState(state: EngineState): Promise<void> {
    if (state.replicas !== this.replicas || state.n !== this.config.grid.n) {
      throw new Error(
        `state of ${state.replicas} replica(s) on ${state.n}² cells cannot be restored into an engine of ${this.replicas} on ${this.config.grid.n}²`,
      );
    }
    await this.upload(state.field, state.stepIndex);
  }

  private checkUsable(): void {
    if (this.disposed) throw new GpuError('this GPU engine has been disposed');
    this.watch.check();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.buffers) b.destroy();
    this.timer?.destroy();
    for (const f of this.spectralFilters) f.destroy();
    if (this.ownsDevice) this.device.destroy();
  }
}

/** The 1-D factor of the noise filter: Δx·exp(−m²Δx²/λ²)/(√π λ), m = −r..r. */
function noiseTaps(config: Config): Float32Array<ArrayBuffer> {
  const dx = cellSize(config);
  const lambda = config.noise.correlationLength;
  const r = noiseRadiusCells(config);
  return Float32Array.from({ length: 2 * r + 1 }, (_, k) => {
    const m = k - r;
    return (dx * Math.exp(-(m * m * dx * dx) / (lambda * lambda))) / (Math.sqrt(Math.PI) * lambda);
  });
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
