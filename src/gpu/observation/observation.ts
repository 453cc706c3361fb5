import type { Observer, ObserverSession } from '../../engine/observer.js';
import type { EngineContext } from '../context.js';
import { ReduceParams } from '../layout/structs.js';
import { directDispatch } from '../layout/tiles.js';
import type { BufferResource } from '../layout/bindings.js';
import { ReducePass } from '../passes/reduce/reduce.js';
import type { ObservingKernel } from '../passes/observing-kernel.js';
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
    const code = observationCode(observers.map((a) => a.observer), inverse);
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
      const values: Record<string, number> = {};
      for (const { observer, session } of this.observers) {
        const names = observer.params ?? [];
        const given = session.params ?? [];
        if (given.length !== names.length) throw new Error(`observer ${observer.name} declares ${names.length} parameter(s) but its session gives ${given.length}`);
        names.forEach((p, i) => (values[`${observer.name}_${p}`] = given[i]));
      }
      resources.observer_params = own('observer params', code.params.size, UNIFORM | COPY_DST);
      ctx.device.queue.writeBuffer(resources.observer_params as GPUBuffer, 0, code.params.encode(values));
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
