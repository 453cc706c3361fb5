import { kernelSpectrum } from '../model/kernel-spectrum.js';
import type { Config } from '../config/schema.js';
import { checkStateShape, type BackendInfo, type Engine, type EngineState } from '../engine/engine.js';
import { initialField } from '../engine/initial.js';
import type { Observer } from '../engine/observer.js';
import { stencilSpectrum } from '../numeric/fft2.js';
import { gpuUnsupported } from './capabilities.js';
import { EngineContext } from './context.js';
import { chooseConvolution, type ConvolutionCache, type ConvolutionChoice, type ConvolutionPath, type ConvolutionRequest } from './convolution-choice.js';
import { checkFootprint, FOOTPRINT_WINDOW_STEPS } from './footprint.js';
import type { MemoryBudget } from './memory-budget.js';
import { GpuError, watchDevice, withErrorScopes, type DeviceWatch } from './errors.js';
import { GpuTimer } from './gpu-timer.js';
import { encodeStepSlots, STEP_SLOT_BYTES, stepBindings } from './layout/structs.js';
import { stepWords } from '../rng/philox.js';
import { shapeLabel, type SeparableShape } from './layout/tiles.js';
import { ObservationPlan, runsOnGpu, type AttachedObserver } from './observation/observation.js';
import { DriftPass, driftVariant, type DriftVariant } from './passes/drift/drift.js';
import { NoisePass } from './passes/noise/noise.js';
import { observeKernel } from './passes/observe/observe.js';
import { encodeObserving } from './passes/observing-kernel.js';
import type { DeviceAccess, DeviceLink, DeviceSampleSession } from './passes/device-sample.js';
import { SpectralFilter } from './passes/spectral/spectral.js';
import { UpdatePass } from './passes/update/update.js';
import { chooseTemporal } from './passes/temporal/temporal-choice.js';
import { TemporalBlockPass, temporalFits } from './passes/temporal/temporal.js';
import { gridOf, kernelRadii } from '../config/geometry.js';
import { noiseStencil } from '../model/kernels.js';
import type { ShaderSources } from './shaders.js';
import { batchField, checkBatchable } from './batch.js';

export type { ConvolutionPath, ConvolutionRequest } from './convolution-choice.js';
export type { DriftVariant } from './passes/drift/drift.js';
/** How correlated noise is made: the separable stencil filter, or shaping by FFT. */
export type NoiseShaping = 'stencil' | 'fft';

export interface GpuEngineOptions {
  /** Steps encoded into one submission; the host reads totals once per window. */
  windowSteps?: number;
  /** Replacement WGSL by file name (tests plant broken shaders with it). */
  shaders?: ShaderSources;
  /** Destroy the device on dispose(): the engine was given a device of its own. */
  ownsDevice?: boolean;
  /** Time every window's pass with timestamp queries (when the device has them): see `gpuSeconds`. */
  timestamps?: boolean;
  /**
   * The convolution: the stencil (separable where the kernel factorises), the
   * FFT, `auto` (the faster on this adapter, measured once), or `stencil-2d`
   * (the 2-D stencil even where the separable one is exact: a cross-check).
   */
  convolution?: ConvolutionRequest;
  /** Correlated noise from the separable stencil filter (default) or by spectral shaping. */
  noiseShaping?: NoiseShaping;
  /**
   * The separable column pass's workgroup (layout/tiles.ts: SEPARABLE_SHAPES),
   * forced: `auto` times each with it, tests compare them. Unset, the shape
   * `auto` tuned, else the default.
   */
  separableShape?: SeparableShape;
  /**
   * Take the white-noise update into the separable stencil's row pass (the
   * default, where the drift is the separable stencil on a 2-D grid: one pass
   * and a field's read and write fewer per step), or, false, keep it a pass of
   * its own: a cross-check, the same numbers.
   */
  fuseUpdate?: boolean;
  /** Where `auto` convolution choices are remembered across processes (localStorage, a file). */
  convolutionCache?: ConvolutionCache;
  /** Told what start-up is doing: choosing the convolution, compiling and allocating, uploading. */
  progress?: (stage: string) => void;
  /**
   * The memory all of the engine's buffers (and a run's observers) may take:
   * refused before anything is allocated where they exceed it (footprint.ts).
   * Unset, only the per-buffer limits are checked.
   */
  memoryBudget?: MemoryBudget;
  /**
   * Steps nothing observes (no observer on the GPU, no device sample due) run
   * TEMPORAL_STEPS per dispatch (passes/temporal/): white noise, the 2-D
   * stencil tiled, radii whose halo fits workgroup memory; bit for bit the
   * one-step path. `on` wherever that applies, `auto` where timing shows it
   * ≥ 5% faster on this adapter (once per grid and radius), `off` (the
   * default) never.
   */
  temporalBlocking?: 'auto' | 'off' | 'on';
}

const DEFAULT_WINDOW = FOOTPRINT_WINDOW_STEPS;

/** The passes of one engine, made by `create`. */
interface Passes {
  noise: NoisePass | undefined;
  /** Spectral noise shaping: ξ, then G ξ, in a complex buffer. */
  noiseShaper: SpectralFilter | undefined;
  update: UpdatePass;
  /** The update runs in the drift's row pass (white noise, the separable stencil on a 2-D grid), not as `update`. */
  updateInRows: boolean;
  /** The FFT convolution: K f(u) of either field buffer, in a complex buffer. */
  convolver: SpectralFilter | undefined;
  drift: DriftPass;
  /** Correlated noise: H F of each drift buffer (complex), for observers that need the inverse covariance. */
  inverse: [SpectralFilter, SpectralFilter] | undefined;
  /** Several unobserved steps per dispatch (GpuEngineOptions.temporalBlocking), where taken. */
  temporal: TemporalBlockPass | undefined;
}

/**
 * The WebGPU engine: the model of docs/model.md §2–§4 in float32 on the GPU, the same
 * random numbers as the CPU reference, R replicas in each dispatch (along z),
 * on any grid of §7: nx × ny cells, a ring as one row (ny = 1).
 *
 * One step is a few passes (src/gpu/passes/), all encoded ahead for a window
 * of steps and submitted at once: [noise: draw ξ, filter x, filter y (not on
 * a ring)] (correlated noise) → update u_{n+1} → drift F(u_{n+1}) [observing the step
 * when observers are attached: fused for white noise; for correlated noise
 * H F(u_{n+1}) and the observe pass] → [reduce the step's workgroup partials
 * to one row]. The step index reaches the kernels through a uniform bound at
 * a per-step dynamic offset, so nothing waits on the host inside a window.
 * This class allocates the fields, composes the passes, submits windows and
 * reads back; the passes own their pipelines and bind groups.
 */
export class GpuEngine implements Engine {
  readonly backend: BackendInfo;
  private step = 0;
  private cur = 0;
  private readonly watch: DeviceWatch;
  private readonly stepBuffer: GPUBuffer;
  private readonly stepGroup: GPUBindGroup;
  private readonly timer: GpuTimer | undefined;
  private readonly attached: AttachedObserver[] = [];
  /** The latest map buffer of each observer name (kept after detach: the handle still reads it). */
  private readonly maps = new Map<string, GPUBuffer>();
  private plan: ObservationPlan | undefined;
  private planDirty = false;
  /** Whether the inverse filters' output holds H F of the current drift. */
  private inverseCurrent = false;
  private placeholderMap: GPUBuffer | undefined;
  private disposed = false;
  /** What observers made on the device (device-sample.ts), freed with the engine. */
  private readonly disposers: (() => void)[] = [];
  sampleSeconds = 0;

  static async create(
    device: GPUDevice, description: string, config: Config, replicas = 1, options: GpuEngineOptions = {},
  ): Promise<GpuEngine> {
    if (!(Number.isInteger(replicas) && replicas >= 1)) throw new RangeError(`replicas must be an integer ≥ 1 (got ${replicas})`);
    return GpuEngine.build(device, description, [config], replicas, options);
  }

  /**
   * A batch (gpu/batch.ts: checkBatchable): members[m] runs as replicas
   * m·R .. m·R + R − 1 (R = replicasEach) of one engine, each with its own
   * coefficients and its own solo run's Philox draws, so each member's
   * replicas hold exactly what `create(members[m], R)` would (memberSlice
   * cuts a member's share out of a field or map). `config` is members[0]:
   * checkpoints and device-loss recovery rebuild single-config engines, so a
   * batch is not for them.
   */
  static async createBatch(
    device: GPUDevice, description: string, members: Config[], replicasEach = 1, options: GpuEngineOptions = {},
  ): Promise<GpuEngine> {
    if (!(Number.isInteger(replicasEach) && replicasEach >= 1)) throw new RangeError(`replicas must be an integer ≥ 1 (got ${replicasEach})`);
    checkBatchable(members);
    return GpuEngine.build(device, description, members, members.length * replicasEach, options);
  }

  private static async build(
    device: GPUDevice, description: string, members: Config[], replicas: number, options: GpuEngineOptions,
  ): Promise<GpuEngine> {
    const [config] = members;
    const replicasEach = replicas / members.length;
    const watch = watchDevice(device);
    const shaping = options.noiseShaping ?? 'stencil';
    const requested = options.convolution ?? 'auto';
    const progress = options.progress ?? (() => undefined);
    // Refused before anything is allocated or timed, naming the limit: the largest path the choice could take.
    const { fftFits } = checkFootprint(device.limits, config, replicas, {
      convolution: requested, noiseShaping: shaping, budget: options.memoryBudget, windowSteps: options.windowSteps ?? DEFAULT_WINDOW,
    });
    progress('choosing the convolution');
    // `stencil-2d` is the stencil path, run in 2-D (driftVariant below).
    const choice: ConvolutionChoice = requested === 'stencil-2d' ? { path: 'stencil', how: 'as asked, in 2-D' }
      : requested !== 'auto' ? { path: requested, how: 'as asked' }
      : !fftFits ? { path: 'stencil', how: "the FFT's complex buffers exceed this adapter's limits" }
      : await chooseConvolution(description, config, (p, c, limit, shape) => timeConvolution(device, description, c, p, limit, shape), options.convolutionCache);
    const path = choice.path;
    const blocking = await temporalBlocking(device, description, config, replicas, requested === 'stencil-2d' ? requested : path, options);
    progress(`convolution: ${path} (${choice.how}); compiling and allocating`);
    const ctx = new EngineContext(device, config, replicas, options.shaders, members);
    try {
      const engine = await withErrorScopes(device, 'building the engine', async () => {
        const { STORAGE, COPY_SRC, COPY_DST } = GPUBufferUsage;
        const fields: [GPUBuffer, GPUBuffer] = [0, 1].map((p) => ctx.buffer(`u[${p}]`, ctx.fieldBytes, STORAGE | COPY_SRC | COPY_DST)) as [GPUBuffer, GPUBuffer];
        const drifts: [GPUBuffer, GPUBuffer] = [0, 1].map((p) => ctx.buffer(`F[${p}]`, ctx.fieldBytes, STORAGE)) as [GPUBuffer, GPUBuffer];
        const c = ctx.coefficients;
        const correlated = c.correlated;
        const [noise, noiseShaper, convolver, inverse] = await Promise.all([
          correlated && shaping === 'stencil' ? NoisePass.create(ctx) : undefined,
          // draw_complex reads no input: the first field stands in for the layout's input slot.
          correlated && shaping === 'fft' ? SpectralFilter.create(ctx, 'G ξ', 'draw_complex', stencilSpectrum(c.grid, correlated.stencil), [fields[0]]) : undefined,
          path === 'fft' ? SpectralFilter.create(ctx, 'K f(u)', 'to_complex', kernelSpectrum(config), fields) : undefined,
          correlated
            ? Promise.all([0, 1].map((p) => SpectralFilter.create(ctx, `H F[${p}]`, 'real_to_complex', { re: correlated.inversePower }, [drifts[p]])))
            : undefined,
        ]);
        const variant = driftVariant(requested === 'stencil-2d' ? requested : path, config, replicas, device.limits);
        const [update, drift] = await Promise.all([
          UpdatePass.create(ctx, !correlated ? 'white' : shaping === 'fft' ? 'spectral-shaped' : 'shaped', fields, drifts, noise?.output ?? noiseShaper?.output),
          DriftPass.create(ctx, variant, fields, drifts, convolver?.output, options.separableShape ?? choice.shape),
        ]);
        const updateInRows = !correlated && drift.steps && options.fuseUpdate !== false;
        const temporal = blocking ? await TemporalBlockPass.create(ctx, fields, drifts) : undefined;
        const passes: Passes = { noise, noiseShaper, update, updateInRows, convolver, drift, inverse: inverse as [SpectralFilter, SpectralFilter] | undefined, temporal };
        const windowSteps = options.windowSteps ?? DEFAULT_WINDOW;
        const timestamps = options.timestamps === true && GpuTimer.available(device);
        return new GpuEngine(ctx, watch, { kind: 'gpu', description }, passes, fields, drifts, windowSteps, options.ownsDevice ?? false, timestamps, choice, shaping);
      });
      progress('uploading the initial field');
      await engine.upload(batchField(members.map((m) => initialField(m, replicasEach))), 0);
      return engine;
    } catch (e) {
      ctx.destroy();
      throw await watch.explain(e);
    }
  }

  private constructor(
    private readonly ctx: EngineContext,
    watch: DeviceWatch,
    backend: BackendInfo,
    private readonly passes: Passes,
    private readonly fields: [GPUBuffer, GPUBuffer],
    private readonly drifts: [GPUBuffer, GPUBuffer],
    readonly windowSteps: number,
    private readonly ownsDevice: boolean,
    timestamps: boolean,
    private readonly choice: ConvolutionChoice,
    readonly noiseShaping: NoiseShaping,
  ) {
    this.backend = backend;
    this.watch = watch;
    this.timer = timestamps ? new GpuTimer(ctx.device) : undefined;
    this.stepBuffer = ctx.buffer('step params', windowSteps * STEP_SLOT_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.stepGroup = stepBindings.bindGroup(ctx.device, 'step', { stepParams: this.stepBuffer });
  }

  get device(): GPUDevice {
    return this.ctx.device;
  }

  /** The convolution this engine runs. */
  get convolution(): ConvolutionPath {
    return this.choice.path;
  }

  /** The drift kernel that runs it: the separable or 2-D stencil (tiled, direct), or after the FFT (spectral). */
  get driftVariant(): DriftVariant {
    return this.passes.drift.variant;
  }

  /** Whether the step's update runs inside the separable row pass (GpuEngineOptions.fuseUpdate). */
  get updateFused(): boolean {
    return this.passes.updateInRows;
  }

  /** Steps per dispatch where nothing observes: TEMPORAL_STEPS where temporal blocking was taken, else 1. */
  get blockedSteps(): number {
    return this.passes.temporal?.steps ?? 1;
  }

  /** The separable column pass's workgroup, where the drift runs one (the separable stencil on a 2-D grid). */
  get separableShape(): SeparableShape | undefined {
    return this.passes.drift.separableShape;
  }

  /**
   * How the convolution was chosen: as asked, measured (where, how fast),
   * cached, or not worth measuring; where `auto` tuned the separable column
   * pass (measured or cached), the workgroup it runs.
   */
  get convolutionNote(): string {
    const { how, shape } = this.choice;
    const runs = this.separableShape;
    return shape && runs && !how.includes('column workgroup') ? `${how}; column workgroup ${shapeLabel(runs)}` : how;
  }

  get config(): Config {
    return this.ctx.config;
  }

  get replicas(): number {
    return this.ctx.replicas;
  }

  /** The configs of a batch (createBatch), each run as replicas / members.length consecutive replicas; [config] otherwise. */
  get members(): Config[] {
    return this.ctx.members;
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

  /** The per-cell map of the latest observer of this name (attached or since detached), if it keeps one. */
  mapBuffer(observerName: string): GPUBuffer | undefined {
    return this.maps.get(observerName);
  }

  /** The entropy-production density map; zeros until an entropy observer is attached. */
  get densityBuffer(): GPUBuffer {
    return this.mapBuffer('entropy') ?? (this.placeholderMap ??= this.ctx.buffer('no density', this.ctx.fieldBytes, GPUBufferUsage.STORAGE));
  }

  // Every public await ends in DeviceLostError once the device is gone (errors.ts: DeviceWatch.guard).
  observe<Handle>(observer: Observer<Handle>): Promise<Handle> {
    return this.watch.guard(() => this.attachObserver(observer));
  }

  private async attachObserver<Handle>(observer: Observer<Handle>): Promise<Handle> {
    this.checkUsable();
    if (observer.inverseCovariance && this.passes.inverse) {
      const unsupported = gpuUnsupported(this.config);
      if (unsupported) throw new GpuError(unsupported);
    }
    if (this.attached.some((a) => a.observer.name === observer.name)) {
      throw new Error(`an observer named ${observer.name} is already attached to this engine`);
    }
    const { STORAGE, COPY_SRC, COPY_DST } = GPUBufferUsage;
    // A new buffer is zeroed: the map starts empty at attach.
    const map = observer.cellMap ? this.ctx.buffer(`${observer.name} map`, this.ctx.fieldBytes, STORAGE | COPY_SRC | COPY_DST) : undefined;
    const entry = { observer: observer as Observer<unknown>, map } as AttachedObserver;
    const link: DeviceLink = {
      gpu: this.deviceAccess(),
      config: this.config,
      coefficients: this.ctx.coefficients,
      replicas: this.replicas,
      stepIndex: this.step,
      readField: () => this.readField(),
      readMap: async () => {
        if (!map) throw new Error(`observer ${observer.name} keeps no cell map`);
        return Float64Array.from(new Float32Array(await this.readBuffer(map, this.ctx.fieldBytes)));
      },
      writeMap: async (values) => {
        if (!map) throw new Error(`observer ${observer.name} keeps no cell map`);
        this.checkUsable();
        this.device.queue.writeBuffer(map, 0, Float32Array.from(values));
      },
      detach: () => {
        const i = this.attached.indexOf(entry);
        if (i < 0) return;
        this.attached.splice(i, 1);
        if (runsOnGpu(entry.observer)) this.planDirty = true;
      },
    };
    entry.session = await observer.start(link);
    this.attached.push(entry);
    if (runsOnGpu(entry.observer)) {
      this.planDirty = true;
      try {
        await this.preparePlan();
      } catch (e) {
        // Refused (e.g. too many storage buffers): the engine goes on without it.
        link.detach();
        throw e;
      }
    }
    if (map) this.maps.set(observer.name, map);
    return entry.session.handle as Handle;
  }

  /** Rebuilds the observation after the observer set changed, and brings H F up to date where it is needed. */
  private async preparePlan(): Promise<void> {
    if (this.planDirty) {
      this.planDirty = false;
      const old = this.plan;
      this.plan = undefined;
      old?.destroy();
      const observers = this.attached.filter((a) => runsOnGpu(a.observer));
      if (observers.length) {
        const inverse = !this.passes.inverse ? 'identity' : observers.some((a) => a.observer.inverseCovariance) ? 'filtered' : 'none';
        this.plan = await withErrorScopes(this.device, `composing the observation of ${observers.map((a) => a.observer.name).join(', ')}`, () =>
          ObservationPlan.build(this.ctx, observers, inverse, this.windowSteps, (code, buffers, kind) =>
            kind === 'filtered'
              ? observeKernel(this.ctx, code, this.fields, this.drifts, [this.passes.inverse![0].output, this.passes.inverse![1].output], buffers)
              : this.passes.drift.observing(code, buffers),
          ),
        );
      }
    }
    if (this.plan?.inverse === 'filtered' && !this.inverseCurrent) {
      // The first observed step needs H F of the current drift.
      await this.submit('applying the inverse noise covariance', (pass) => this.passes.inverse![this.cur].encode(pass));
      this.inverseCurrent = true;
    }
  }

  advance(steps: number): Promise<void> {
    return this.watch.guard(() => this.advanceSteps(steps));
  }

  private async advanceSteps(steps: number): Promise<void> {
    this.checkUsable();
    for (let left = steps; left > 0; ) {
      const count = Math.min(left, this.windowSteps);
      const sampled = this.firstSampled(this.step, count);
      if (sampled === undefined || sampled > this.step) {
        const run = sampled === undefined ? count : sampled - this.step;
        await this.runWindow(run);
        left -= run;
        continue;
      }
      // Step n is sampled: u_n before it, u_{n+1} after it.
      const n = this.step;
      let t0 = performance.now();
      const u = await this.readField();
      this.sampleSeconds += (performance.now() - t0) / 1000;
      await this.runWindow(1);
      t0 = performance.now();
      const uNext = await this.readField();
      for (const { session } of this.attached) if (session.sample?.wants(n)) session.sample.add(n, u, uNext);
      this.sampleSeconds += (performance.now() - t0) / 1000;
      left -= 1;
    }
  }

  /** The first step of first .. first + count − 1 that an attached observer samples. */
  private firstSampled(first: number, count: number): number | undefined {
    const samplers = this.attached.filter((a) => a.session.sample);
    if (!samplers.length) return undefined;
    for (let n = first; n < first + count; n++) if (samplers.some((a) => a.session.sample!.wants(n))) return n;
    return undefined;
  }

  private async runWindow(count: number): Promise<void> {
    await this.preparePlan();
    const plan = this.plan;
    const first = this.step;
    await withErrorScopes(this.device, `running steps ${first}..${first + count - 1}`, () => {
      this.device.queue.writeBuffer(this.stepBuffer, 0, encodeStepSlots(first, count));
      const encoder = this.device.createCommandEncoder({ label: 'window' });
      const pass = encoder.beginComputePass(this.timer ? { timestampWrites: this.timer.timestampWrites } : {});
      this.ctx.bindShared(pass);
      // Unobserved steps go several per dispatch where temporal blocking was taken; the remainder one by one.
      const blocked = plan || this.deviceSampleDue(first, count) ? undefined : this.passes.temporal;
      for (let s = 0; s < count; ) {
        pass.setBindGroup(1, this.stepGroup, [s * STEP_SLOT_BYTES]);
        if (blocked && s + blocked.steps <= count) {
          blocked.encode(pass, this.cur);
          this.cur = 1 - this.cur;
          s += blocked.steps;
          continue;
        }
        this.encodeStep(pass, plan);
        this.encodeDeviceSamples(pass, first + s);
        s++;
      }
      pass.end();
      this.timer?.resolve(encoder);
      plan?.encodeTotalsCopy(encoder, count);
      this.device.queue.submit([encoder.finish()]);
    });
    this.step += count;
    // H F follows the drift only while an observer needs it.
    this.inverseCurrent = plan?.inverse === 'filtered';
    if (plan) await plan.collect(count, first);
    else await this.device.queue.onSubmittedWorkDone();
    await this.timer?.collect();
    this.watch.check();
    await this.collectDeviceSamples();
  }

  /** What an observer that samples on the device (passes/device-sample.ts) reaches through its link. */
  private deviceAccess(): DeviceAccess {
    return {
      device: this.device,
      windowSteps: this.windowSteps,
      fields: this.fields,
      drifts: this.drifts,
      readBuffer: (buffer, bytes) => this.readBuffer(buffer, bytes),
      onDispose: (release) => this.disposers.push(release),
    };
  }

  /** Whether an attached observer samples any of steps first .. first + count − 1 on the device. */
  private deviceSampleDue(first: number, count: number): boolean {
    return this.attached.some(({ session }) => {
      const sample = (session as DeviceSampleSession<unknown>).deviceSample;
      for (let n = first; sample && n < first + count; n++) if (sample.wants(n)) return true;
      return false;
    });
  }

  /** The device samples of step n, just encoded: u_n is field 1 − cur, u_{n+1} field cur. */
  private encodeDeviceSamples(pass: GPUComputePassEncoder, n: number): void {
    for (const { session } of this.attached) {
      const sample = (session as DeviceSampleSession<unknown>).deviceSample;
      if (sample?.wants(n)) sample.encode(pass, n, (1 - this.cur) as 0 | 1);
    }
  }

  /** After a window: what its device samples left, read back (counted as sampling time). */
  private async collectDeviceSamples(): Promise<void> {
    const t0 = performance.now();
    for (const { session } of this.attached) await (session as DeviceSampleSession<unknown>).deviceSample?.collect();
    this.sampleSeconds += (performance.now() - t0) / 1000;
  }

  /** One step: noise, update into the other field, its drift, and its observation. */
  private encodeStep(pass: GPUComputePassEncoder, plan: ObservationPlan | undefined): void {
    const { noise, noiseShaper, update, updateInRows, convolver, drift, inverse } = this.passes;
    noise?.encode(pass);
    noiseShaper?.encode(pass);
    if (!updateInRows) update.encode(pass, this.cur);
    const next = 1 - this.cur;
    convolver?.encode(pass, next);
    if (plan?.inverse === 'filtered') {
      drift.encode(pass, next);
      inverse![next].encode(pass);
      encodeObserving(pass, plan.kernel, next);
    } else {
      drift.encode(pass, next, plan?.kernel, updateInRows);
    }
    plan?.reduce.encode(pass);
    this.cur = next;
  }

  /** One submission of a compute pass with the step slot 0 and the shared groups bound. */
  private async submit(what: string, encode: (pass: GPUComputePassEncoder) => void): Promise<void> {
    await withErrorScopes(this.device, what, () => {
      const encoder = this.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      this.ctx.bindShared(pass);
      pass.setBindGroup(1, this.stepGroup, [0]);
      encode(pass);
      pass.end();
      this.device.queue.submit([encoder.finish()]);
    });
    await this.device.queue.onSubmittedWorkDone();
    this.watch.check();
  }

  private async upload(field: Float64Array, stepIndex: number): Promise<void> {
    this.device.queue.writeBuffer(this.fields[this.cur], 0, Float32Array.from(field));
    this.step = stepIndex;
    this.inverseCurrent = false;
    // F(u) of the new field (the next update reads it).
    await this.submit('computing the drift', (pass) => {
      this.passes.convolver?.encode(pass, this.cur);
      this.passes.drift.encode(pass, this.cur);
    });
  }

  /** Copies a GPU buffer's first `bytes` bytes back to the host. */
  readBuffer(source: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    return this.watch.guard(() => this.copyBack(source, bytes));
  }

  private async copyBack(source: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
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
    return Float64Array.from(new Float32Array(await this.readBuffer(this.fields[this.cur], this.ctx.fieldBytes)));
  }

  async saveState(): Promise<EngineState> {
    return { stepIndex: this.step, replicas: this.replicas, shape: this.ctx.grid.shape, field: await this.readField() };
  }

  restoreState(state: EngineState): Promise<void> {
    return this.watch.guard(() => this.restore(state));
  }

  private async restore(state: EngineState): Promise<void> {
    checkStateShape(state, this.replicas, this.ctx.grid.shape);
    stepWords(state.stepIndex); // refuses, before anything changes, an index the Philox counter cannot hold
    await this.upload(state.field, state.stepIndex);
  }

  private checkUsable(): void {
    if (this.disposed) throw new GpuError('this GPU engine has been disposed');
    this.watch.check();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const release of this.disposers) release();
    this.plan?.destroy();
    this.ctx.destroy();
    this.timer?.destroy();
    const { noiseShaper, convolver, inverse } = this.passes;
    for (const f of [noiseShaper, convolver, ...(inverse ?? [])]) f?.destroy();
    if (this.ownsDevice) this.device.destroy();
  }
}

/**
 * Whether an engine takes temporal blocking (GpuEngineOptions.temporalBlocking):
 * white noise, a 2-D grid, the tiled 2-D stencil with a halo that fits
 * (temporal.ts), asked for `on`, or `auto` and measured faster.
 */
async function temporalBlocking(
  device: GPUDevice, description: string, config: Config, replicas: number, path: Exclude<ConvolutionRequest, 'auto'>, options: GpuEngineOptions,
): Promise<boolean> {
  const asked = options.temporalBlocking ?? 'off';
  const radii = kernelRadii(config);
  const grid = gridOf(config);
  const applies = asked !== 'off' && !noiseStencil(config) && grid.dimensions === 2
    && driftVariant(path, config, replicas, device.limits) === 'tiled' && temporalFits(radii);
  if (!applies || asked === 'on') return applies;
  const choice = await chooseTemporal(description, grid, radii, (blocked) =>
    GpuEngine.create(device, description, config, 1, { convolution: path, windowSteps: 64, temporalBlocking: blocked ? 'on' : 'off' }));
  return choice.blocked;
}

/** A timed batch of steps must last this long to rise above the queue's latency on a fast GPU... */
const MIN_TIMED_MS = 50;
/** ...or hold this many steps. */
const MAX_TIMED_STEPS = 256;

/**
 * Milliseconds per step of a path on a throwaway engine of `config` (a small
 * grid: chooseConvolution). One step warms up (compiles, fills caches); then
 * batches of 1, 2, 4 … steps until one lasts MIN_TIMED_MS or holds
 * MAX_TIMED_STEPS. It stops as soon as a step is known to cost more than
 * `limitMs`: on a software adapter one FFT step at 512² takes seconds, and
 * once it has lost to the stencil, timing more of them only delays the run.
 */
async function timeConvolution(
  device: GPUDevice, description: string, config: Config, path: ConvolutionPath, limitMs = Infinity, separableShape?: SeparableShape,
): Promise<number> {
  const engine = await GpuEngine.create(device, description, config, 1, { convolution: path, windowSteps: MAX_TIMED_STEPS, separableShape });
  try {
    await engine.advance(1);
    for (let steps = 1; ; steps *= 2) {
      const t0 = performance.now();
      await engine.advance(steps);
      const perStep = (performance.now() - t0) / steps;
      if (perStep * steps >= MIN_TIMED_MS || steps >= MAX_TIMED_STEPS || perStep > limitMs) return perStep;
    }
  } finally {
    engine.dispose();
  }
}
