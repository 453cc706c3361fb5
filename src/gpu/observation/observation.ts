import type { Observer, ObserverSession } from '../../engine/observer.js';
import type { EngineContext } from '../context.js';
import { ReduceParams } from '../layout/structs.js';
import { directDispatch } from '../layout/tiles.js';
import type { BufferResource } from '../layout/bindings.js';
import { ReducePass } from '../passes/reduce/reduce.js';
import type { ObservingKernel } from '../passes/observing-kernel.js';
import { replicaParams } from '../../engine/observer-params.js';
import { GpuError } from '../errors.js';
import type { StructLayout } from '../layout/struct.js';
import { observationCode, type InverseDrift, type ObservationCode } from './code.js';

/** An observer attached to a GPU engine, with its session and its map buffer. */
export interface AttachedObserver {
  observer: Observer<unknown>;
  session: ObserverSession<unknown>;
  map: GPUBuffer | undefined;
}

/** Whether the observer has per-cell arithmetic for the GPU (sums or a map), not only samples. */
export function runsOnGpu(o: Observer<unknown>): boolean {
  return o.width > 0 || o.cellMap === true;
}

/** Builds the kernel that hosts an observation: the fused drift, or the observe pass after H. */
export type KernelFactory = (code: ObservationCode, buffers: Record<string, BufferResource>, inverse: InverseDrift) => Promise<ObservingKernel>;

/**
 * The GPU side of one set of attached observers, rebuilt whenever the set
 * changes. Every observed step, the hosting kernel runs the observers'
 * arithmetic per cell and leaves CHUNKS vec4f per workgroup in `partials`;
 * the reduce pass turns them into one row per replica at the step's slot of
 * `totals`; after the window the host reads the rows once (steps × replicas ×
 * CHUNKS × 4 floats) and hands each observer its sums in float64.
 */
export class ObservationPlan {
  private readonly buffers: GPUBuffer[] = [];

  private constructor(
    readonly observers: AttachedObserver[],
    readonly code: ObservationCode,
    readonly inverse: InverseDrift,
    private readonly rowFloats: number,
    private readonly replicas: number,
  ) {}

  kernel!: ObservingKernel;
  reduce!: ReducePass;
  private totals!: GPUBuffer;
  private totalsRead!: GPUBuffer;

  static async build(ctx: EngineContext, observers: AttachedObserver[], inverse: InverseDrift, windowSteps: number, makeKernel: KernelFactory): Promise<ObservationPlan> {
    const perReplica = observers.some((a) => a.session.replicaParams !== undefined) ? ctx.replicas : undefined;
    const code = observationCode(observers.map((a) => a.observer), inverse, {}, perReplica);
    const plan = new ObservationPlan(observers, code, inverse, ctx.replicas * code.chunks * 4, ctx.replicas);
    try {
      await plan.init(ctx, windowSteps, makeKernel);
    } catch (e) {
      plan.destroy();
      throw e;
    }
    return plan;
  }

  private async init(ctx: EngineContext, windowSteps: number, makeKernel: KernelFactory): Promise<void> {
    const { STORAGE, COPY_SRC, COPY_DST, MAP_READ, UNIFORM } = GPUBufferUsage;
    const own = (label: string, size: number, usage: number) => {
      const b = ctx.device.createBuffer({ label, size, usage });
      this.buffers.push(b);
      return b;
    };
    const { code } = this;
    // Sized for the larger of the hosting geometries: the tiled drift's workgroups are fewer.
    const workgroups = directDispatch(ctx.grid, ctx.replicas).reduce((a, b) => a * b, 1);
    const partials = own('workgroup partials', workgroups * code.chunks * 16, STORAGE);
    const resources: Record<string, BufferResource> = { partials };
    if (code.params) {
      const bytes = observerParamBytes(this.observers, code.params, ctx.replicas, code.replicaParams !== undefined, ctx.device.limits.maxUniformBufferBindingSize);
      const buffer = own('observer params', bytes.byteLength, UNIFORM | COPY_DST);
      ctx.device.queue.writeBuffer(buffer, 0, bytes);
      resources[code.replicaParams !== undefined ? 'observer_params_all' : 'observer_params'] = buffer;
    }
    for (const { observer, map } of this.observers) if (observer.cellMap) resources[`${observer.name}_map`] = map!;
    this.kernel = await makeKernel(code, resources, this.inverse);
    const perReplica = this.kernel.dispatch[0] * this.kernel.dispatch[1];
    this.totals = own('window totals', windowSteps * this.rowFloats * 4, STORAGE | COPY_SRC);
    this.totalsRead = own('window totals (host)', windowSteps * this.rowFloats * 4, MAP_READ | COPY_DST);
    this.reduce = await ReducePass.create(ctx, code.chunks, perReplica, own('reduce params', ReduceParams.size, UNIFORM | COPY_DST), partials, this.totals);
  }

  encodeTotalsCopy(encoder: GPUCommandEncoder, steps: number): void {
    encoder.copyBufferToBuffer(this.totals, 0, this.totalsRead, 0, steps * this.rowFloats * 4);
  }

  /** After the window's submission: each observer's sums of steps first .. first + steps − 1, in step order. */
  async collect(steps: number, first: number): Promise<void> {
    const bytes = steps * this.rowFloats * 4;
    await this.totalsRead.mapAsync(GPUMapMode.READ, 0, bytes);
    const rows = new Float32Array(this.totalsRead.getMappedRange(0, bytes).slice(0));
    this.totalsRead.unmap();
    const R = this.replicas;
    const rowFloats = this.code.chunks * 4;
    for (let s = 0; s < steps; s++) {
      this.observers.forEach(({ session }, i) => {
        const { offset, width } = this.code.slots[i];
        if (width === 0 || !session.add) return;
        const sums = new Float64Array(R * width);
        for (let r = 0; r < R; r++) {
          const row = (s * R + r) * rowFloats + offset;
          for (let j = 0; j < width; j++) sums[r * width + j] = rows[row + j];
        }
        session.add(first + s, sums);
      });
    }
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}

/**
 * The ObserverParams uniform: one struct for every replica, or one per
 * replica (`perReplica`: where a session gives `replicaParams`), refused in
 * one line past the adapter's uniform binding.
 */
function observerParamBytes(observers: AttachedObserver[], layout: StructLayout, replicas: number, perReplica: boolean, maxBytes: number): Uint8Array<ArrayBuffer> {
  const rows = observers.map(({ observer, session }) => replicaParams(observer, session, replicas));
  const structs = perReplica ? replicas : 1;
  if (structs * layout.size > maxBytes) {
    throw new GpuError(`per-replica observer parameters for ${replicas} replicas take ${structs * layout.size} bytes, past this adapter's uniform binding of ${maxBytes}; allowed: at most ${Math.floor(maxBytes / layout.size)} replicas with per-replica parameters`);
  }
  const out = new Uint8Array(new ArrayBuffer(structs * layout.size));
  for (let r = 0; r < structs; r++) {
    const values: Record<string, number> = {};
    for (const field of layout.fields) values[field[0]] = 0;
    observers.forEach(({ observer }, i) => {
      const names = observer.params ?? [];
      names.forEach((p, j) => (values[`${observer.name}_${p}`] = rows[i][r * names.length + j]));
    });
    out.set(new Uint8Array(layout.encode(values)), r * layout.size);
  }
  return out;
}
