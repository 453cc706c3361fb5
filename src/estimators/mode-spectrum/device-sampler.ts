import type { DeviceAccess } from '../../gpu/passes/device-sample.js';
import { GpuModeSpectrum, modeSpectrumRefusal } from '../../gpu/passes/mode-spectrum/mode-spectrum.js';
import type { SpectrumSampler } from './sampler.js';

/**
 * The device's per-mode sums are float32: they are folded into the host's
 * float64 sums at least every this many samples, so that no float32 sum runs
 * over more (one read-back of a field's size per fold; at most a few over a
 * default run).
 */
export const MODE_FOLD_SAMPLES = 256;

/** The most samples one window of `windowSteps` steps can hold, one every `stride` steps, `samples` in all. */
export function samplesPerWindow(windowSteps: number, stride: number, samples: number): number {
  return Math.max(1, Math.min(samples, Math.ceil(windowSteps / stride)));
}

/**
 * Why σ(k) cannot be sampled on this device (a buffer past its limits), or
 * undefined when it can: the observer then samples on the host instead.
 */
export function deviceSamplingRefusal(sampler: SpectrumSampler, access: DeviceAccess, capacity: number): string | undefined {
  const { nx, ny } = sampler.grid;
  return modeSpectrumRefusal(access.device.limits, { nx, ny, shells: sampler.shells, capacity, correlated: sampler.inversePower !== undefined });
}

/**
 * σ(k) from data on the GPU engine (docs/model.md §9.8): the summands are
 * computed on the device at each sampled step (GpuModeSpectrum), and this host
 * side feeds a SpectrumSampler with what the device leaves, so that the
 * batches, shells and results are the host path's:
 * - after each window, one read-back of that window's rows (per sample, its
 *   per-shell sums, summed as trees of float32 on the device), multiplied by
 *   the weight a/(2D)/(N dt)/c in float64 and added sample by sample;
 * - the per-mode map (float32 sums on the device) folded into the host's
 *   float64 sums every MODE_FOLD_SAMPLES samples and when settled.
 * Whole fields are never read back per sample.
 */
export class DeviceSpectrumSampler {
  /** Samples whose per-mode values are still on the device. */
  private modesOnDevice = 0;

  private constructor(
    readonly sampler: SpectrumSampler,
    private readonly pass: GpuModeSpectrum,
    private readonly access: DeviceAccess,
  ) {}

  /** `sampler`: a fresh one, which this fills. */
  static async create(sampler: SpectrumSampler, access: DeviceAccess, capacity: number): Promise<DeviceSpectrumSampler> {
    const { nx, ny } = sampler.grid;
    const pass = await GpuModeSpectrum.create(
      access.device,
      { nx, ny, shellOf: sampler.shellOfMode, shells: sampler.shells, inversePower: sampler.inversePower, dt: sampler.config.dt, capacity },
      { fields: access.fields, drifts: access.drifts },
    );
    access.onDispose(() => pass.destroy());
    return new DeviceSpectrumSampler(sampler, pass, access);
  }

  /** The device's sums times this are σ(k) (the pass leaves out the weight and divides nothing by its scale c). */
  private get weight(): number {
    return this.sampler.modeWeight / this.pass.scale;
  }

  encode(pass: GPUComputePassEncoder, from: 0 | 1): void {
    this.pass.encode(pass, from);
  }

  /** After a window: its samples' shell sums into the sampler, and the map when it has summed MODE_FOLD_SAMPLES samples. */
  async collect(): Promise<void> {
    const count = this.pass.pending;
    if (count === 0) return;
    const rows = await this.pass.takeRows(this.access.readBuffer);
    const { shells } = this.sampler;
    const weight = this.weight;
    for (let r = 0; r < count; r++) {
      this.sampler.addShellSums(Float64Array.from(rows.subarray(r * shells, (r + 1) * shells), (v) => v * weight));
    }
    this.modesOnDevice += count;
    if (this.modesOnDevice >= MODE_FOLD_SAMPLES) await this.settle();
  }

  /** Folds the per-mode sums still on the device into the sampler. */
  async settle(): Promise<void> {
    if (this.modesOnDevice === 0) return;
    const sums = await this.pass.takeModeSums(this.access.readBuffer);
    this.sampler.addModeSums(sums, this.modesOnDevice, this.weight);
    this.modesOnDevice = 0;
  }

  /** The per-mode float32 sums not yet folded, and how many samples they hold (a checkpoint keeps them as they are: folding early would change the sums). */
  async unfolded(): Promise<{ sums: Float32Array; samples: number }> {
    return { sums: await this.pass.peekModeSums(this.access.readBuffer), samples: this.modesOnDevice };
  }

  /** Puts back what `unfolded` gave, on a fresh sampler. */
  restoreUnfolded(state: { sums: Float32Array; samples: number }): void {
    this.pass.putModeSums(state.sums);
    this.modesOnDevice = state.samples;
  }

  /** No more samples: frees the transform's buffers (the per-mode sums stay until settled and the engine is disposed). */
  release(): void {
    this.pass.releaseTransform();
  }
}
