import type { Observer, ObserverLink } from '../../engine/observer.js';
import { deviceAccess, type DeviceSampleSession } from '../../gpu/passes/device-sample.js';
import { DeviceSpectrumSampler, deviceSamplingRefusal, samplesPerWindow } from './device-sampler.js';
import { SpectrumSampler } from './sampler.js';

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

/** The sampler that collects the samples, and how to stop sampling. */
export interface ModeSpectrum {
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

export function modeSpectrum(samples: number, stride: number, options: ModeSpectrumOptions = {}): Observer<ModeSpectrum> {
  if (!(Number.isInteger(samples) && samples >= 1 && Number.isInteger(stride) && stride >= 1)) {
    throw new RangeError(`mode spectrum: samples and stride must be integers ≥ 1 (got ${samples}, ${stride})`);
  }
  return {
    name: options.name ?? 'spectrum',
    width: 0,
    async start(link: ObserverLink): Promise<DeviceSampleSession<ModeSpectrum>> {
      const sampler = new SpectrumSampler(link.config);
      const first = link.stepIndex;
      const wants = (step: number) => step >= first && step - first < samples * stride && (step - first) % stride === stride - 1;
      const access = options.sampling === 'host' ? undefined : deviceAccess(link);
      const capacity = access && samplesPerWindow(access.windowSteps, stride, samples);
      if (access && capacity && !deviceSamplingRefusal(sampler, access, capacity)) {
        const device = await DeviceSpectrumSampler.create(sampler, access, capacity);
        return {
          deviceSample: { wants, encode: (pass, _step, from) => device.encode(pass, from), collect: () => device.collect() },
          handle: {
            sampler,
            where: 'device',
            settle: () => device.settle(),
            detach: () => {
              link.detach();
              device.release();
            },
          },
        };
      }
      return {
        sample: { wants, add: (_step, u, uNext) => sampler.add(u, uNext) },
        handle: { sampler, where: 'host', settle: () => Promise.resolve(), detach: () => link.detach() },
      };
    },
  };
}
