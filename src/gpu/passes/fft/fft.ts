import { GpuError, withErrorScopes } from '../../errors.js';
import { bluesteinWorkBytes, GpuBluestein } from './bluestein.js';
import { GpuLines } from './lines.js';
import { planLine, type LinePlan } from './plan.js';
import { FftResources, type LineLayout } from './resources.js';

/** One axis's transform, or nothing for a length of 1. */
type AxisTransform = { encode(pass: GPUComputePassEncoder, inverse: boolean): void } | undefined;

/** Rows (values 1 apart, rows nx apart), then columns (values nx apart, columns 1 apart). */
function axisLayouts(nx: number, ny: number, replicas: number): [LineLayout, LineLayout] {
  const block = nx * ny;
  return [
    { lines: ny, replicas, stride: 1, pitch: nx, block },
    { lines: nx, replicas, stride: nx, pitch: 1, block },
  ];
}

/**
 * The scratch buffers' sizes. The two axes never run at once, so they share
 * each buffer, made once at the largest size an axis asks for.
 */
function scratchNeeds(plans: { rows: LinePlan; columns: LinePlan }, layouts: LineLayout[], dataBytes: number) {
  const need = { scratch: 0, work: 0, workScratch: 0 };
  [plans.rows, plans.columns].forEach((plan, i) => {
    if (plan.kind === 'stages') need.scratch = dataBytes;
    if (plan.kind === 'bluestein') {
      need.work = Math.max(need.work, bluesteinWorkBytes(plan, layouts[i]));
      if (plan.inner.kind === 'stages') need.workScratch = Math.max(need.workScratch, bluesteinWorkBytes(plan, layouts[i]));
    }
  });
  return need;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

/** The most workgroups a dispatch may have along one dimension (WebGPU's default limit). */
const MAX_WORKGROUPS = 65535;

/**
 * 2-D complex FFT on the GPU for R replicas of nx×ny values (rows of nx
 * values, row = y, index r·nx·ny + iy·nx + ix), in place on a buffer of
 * vec2f: rows, then columns. Any lengths: each axis has its plan (plan.ts) —
 * powers of two up to 2048 in workgroup memory as radix-2 lines, other lengths
 * whose factors are 2, 3, 5, 7 as mixed-radix Stockham stages (in workgroup
 * memory up to 1024, else one dispatch per stage through a scratch buffer of
 * the data's size), and lengths with a larger prime factor by Bluestein's
 * chirp-z transform (a work buffer of the padded length per line). Neither
 * direction scales: forward then inverse multiplies by nx·ny.
 * `create(device, n, …)` is the n×n grid.
 */
export class GpuFft2 {
  readonly nx: number;
  readonly ny: number;
  /** How each axis is transformed (rows: length nx; columns: length ny). */
  readonly plans: { rows: LinePlan; columns: LinePlan };
  private readonly res: FftResources;
  private axes: AxisTransform[] = [];

  static async create(
    device: GPUDevice, size: number | readonly [number, number], replicas: number, data: GPUBuffer, options: { forceGlobal?: boolean } = {},
  ): Promise<GpuFft2> {
    const fft = new GpuFft2(device, typeof size === 'number' ? [size, size] : size, replicas, options.forceGlobal ?? false);
    try {
      await withErrorScopes(device, 'creating the FFT pipelines', () => fft.init(data));
    } catch (e) {
      fft.destroy();
      throw e;
    }
    return fft;
  }

  private constructor(device: GPUDevice, [nx, ny]: readonly [number, number], readonly replicas: number, forceGlobal: boolean) {
    for (const [axis, n] of [['nx', nx], ['ny', ny]] as const) {
      if (!(Number.isInteger(n) && n >= 1)) throw new GpuError(`GPU FFT: ${axis} must be a positive integer (got ${n})`);
    }
    this.nx = nx;
    this.ny = ny;
    this.plans = { rows: planLine(nx, { forceGlobal }), columns: planLine(ny, { forceGlobal }) };
    // An axis's dispatches count its lines (the other axis's length) and the
    // replicas along one dimension each; the values of a line go along x in
    // workgroups of 256 or fewer. An axis of length 1 dispatches nothing, so
    // a ring (ny = 1) of more than 65535 cells transforms its one row.
    const rowLines = this.plans.rows.kind === 'identity' ? 0 : ny;
    const columnLines = this.plans.columns.kind === 'identity' ? 0 : nx;
    if (rowLines > MAX_WORKGROUPS || columnLines > MAX_WORKGROUPS || replicas > MAX_WORKGROUPS) {
      throw new GpuError(`GPU FFT: ${nx}×${ny} × ${replicas} replicas needs more than ${MAX_WORKGROUPS} workgroups along one dispatch dimension`);
    }
    this.res = new FftResources(device);
  }

  private async init(data: GPUBuffer): Promise<void> {
    const { nx, ny, replicas, res, plans } = this;
    const bytes = 8 * nx * ny * replicas;
    if (data.size < bytes) throw new GpuError(`GPU FFT: the data buffer has ${data.size} bytes; ${nx}×${ny} × ${replicas} complex values need ${bytes}`);
    const layouts = axisLayouts(nx, ny, replicas);
    const need = scratchNeeds(plans, layouts, bytes);
    const limit = res.device.limits.maxStorageBufferBindingSize;
    for (const [what, size] of [['its scratch buffer', need.scratch], ["Bluestein's work buffer", need.work]] as const) {
      if (size > limit) {
        throw new GpuError(`GPU FFT of ${nx}×${ny} × ${replicas} replicas: ${what} needs ${mib(size)} MiB, more than this device binds (${mib(limit)} MiB)`);
      }
    }
    const scratch = (label: string, size: number) => (size > 0 ? res.buffer(label, size, GPUBufferUsage.STORAGE) : undefined);
    const buffers = { scratch: scratch('fft scratch', need.scratch), work: scratch('bluestein work', need.work), workScratch: scratch('bluestein scratch', need.workScratch) };
    this.axes = await Promise.all([plans.rows, plans.columns].map((plan, i): Promise<AxisTransform> => {
      if (plan.kind === 'identity') return Promise.resolve(undefined);
      if (plan.kind === 'bluestein') return GpuBluestein.create(res, plan, layouts[i], data, buffers.work!, buffers.workScratch);
      return GpuLines.create(res, plan, layouts[i], data, buffers.scratch);
    }));
  }

  /**
   * The bytes of each buffer an FFT of this grid allocates beside the data
   * (the scratch of staged lines, Bluestein's work buffer and its scratch; 0
   * where there is none), for a footprint check before anything is allocated.
   * Each is bound whole, so each must fit maxStorageBufferBindingSize.
   */
  static scratchBuffers(size: number | readonly [number, number], replicas: number, options: { forceGlobal?: boolean } = {}): { scratch: number; work: number; workScratch: number } {
    const [nx, ny] = typeof size === 'number' ? [size, size] : size;
    const plans = { rows: planLine(nx, options), columns: planLine(ny, options) };
    return scratchNeeds(plans, axisLayouts(nx, ny, replicas), 8 * nx * ny * replicas);
  }

  /** The bytes of all the buffers an FFT of this grid allocates beside the data (scratchBuffers, summed). */
  static scratchBytes(size: number | readonly [number, number], replicas: number, options: { forceGlobal?: boolean } = {}): number {
    const need = GpuFft2.scratchBuffers(size, replicas, options);
    return need.scratch + need.work + need.workScratch;
  }

  /** Encodes the 2-D transform of the data buffer, in place, into a compute pass. */
  encode(pass: GPUComputePassEncoder, inverse: boolean): void {
    for (const axis of this.axes) axis?.encode(pass, inverse);
  }

  destroy(): void {
    this.res.destroy();
  }
}
