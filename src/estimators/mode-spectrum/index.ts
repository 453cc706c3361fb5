import type { Observer, ObserverLink, Snapshotting } from '../../engine/observer.js';
import { deviceAccess, type DeviceSampleSession } from '../../gpu/passes/device-sample.js';
import { DeviceSpectrumSampler, deviceSamplingRefusal, samplesPerWindow } from './device-sampler.js';
import { SpectrumSampler, type SpectrumSamplerState } from './sampler.js';

export { SpectrumSampler } from './sampler.js';
export { DeviceSpectrumSampler } from './device-sampler.js';

/**
 * σ(k) from data (docs/model.md §9.8): `samples` steps, one every `stride`
 * steps from the first observed one (the last step of each stride). On the
 * GPU engine each sample is transformed and split over modes on the device,
 * inside the engine's window (device-sampler.ts); on the CPU engine, or where
 * the device cannot hold the transform, or when asked (`sampling: 'host'`),
 * the two fields are handed to the host and transformed in float64.
 */
export interface ModeSpectrumOptions {
  /** 'auto' (default): on the device when the engine has one that can hold it, else on the host. 'host': always on the host. */
  sampling?: 'auto' | 'host';
  /** The observer's name (two attached to one engine need two names). */
  name?: string;
}

/** A checkpoint's copy: the first observed step, the sampler's sums, and the per-mode sums still on the device. */
export interface ModeSpectrumState {
  first: number;
  where: 'device' | 'host';
  sampler: SpectrumSamplerState;
  unfolded?: { sums: Float32Array; samples: number };
}

/** The sampler that collects the samples, and how to stop sampling. */
export interface ModeSpectrum extends Snapshotting<ModeSpectrumState> {
  readonly sampler: SpectrumSampler;
  /** Where the samples are transformed. */
  readonly where: 'device' | 'host';
  /**
   * Brings the per-mode sums still on the device into `sampler` (nothing to do
   * on the host): await it before `sampler.modes()`. Shells and totals are
   * current after every window without it.
   */
  settle(): Promise<void>;
  detach(): void;
}

/** `resume`: a checkpoint's state, to go on sampling from where it was taken. */
export function modeSpectrum(samples: number, stride: number, options: ModeSpectrumOptions = {}, resume?: ModeSpectrumState): Observer<ModeSpectrum> {
  if (!(Number.isInteger(samples) && samples >= 1 && Number.isInteger(stride) && stride >= 1)) {
    throw new RangeError(`mode spectrum: samples and stride must be integers ≥ 1 (got ${samples}, ${stride})`);
  }
  return {
    name: options.name ?? 'spectrum',
    width: 0,
    async start(link: ObserverLink): Promise<DeviceSampleSession<ModeSpectrum>> {
      const sampler = new SpectrumSampler(link.config);
      if (resume) sampler.restore(resume.sampler);
      const first = resume?.first ?? link.stepIndex;
      const wants = (step: number) => step >= first && step - first < samples * stride && (step - first) % stride === stride - 1;
      const access = options.sampling === 'host' ? undefined : deviceAccess(link);
      const capacity = access && samplesPerWindow(access.windowSteps, stride, samples);
      const onDevice = access && capacity && !deviceSamplingRefusal(sampler, access, capacity);
      if (resume && resume.where !== (onDevice ? 'device' : 'host')) {
        throw new Error(`σ(k) was sampled on the ${resume.where} when the checkpoint was taken, and cannot go on on the ${onDevice ? 'device' : 'host'}`);
      }
      if (onDevice) {
        const device = await DeviceSpectrumSampler.create(sampler, access, capacity);
        if (resume?.unfolded) device.restoreUnfolded(resume.unfolded);
        return {
          deviceSample: { wants, encode: (pass, _step, from) => device.encode(pass, from), collect: () => device.collect() },
          handle: {
            sampler,
            where: 'device',
            settle: () => device.settle(),
            snapshot: async () => ({ first, where: 'device', sampler: sampler.snapshot(), unfolded: await device.unfolded() }),
            detach: () => {
              link.detach();
              device.release();
            },
          },
        };
      }
      return {
        sample: { wants, add: (_step, u, uNext) => sampler.add(u, uNext) },
        handle: {
          sampler,
          where: 'host',
          settle: () => Promise.resolve(),
          snapshot: async () => ({ first, where: 'host', sampler: sampler.snapshot() }),
          detach: () => link.detach(),
        },
      };
    },
  };
}
