import type { Observer } from '../../engine/observer.js';
import { SpectrumSampler } from './sampler.js';

export { SpectrumSampler } from './sampler.js';

/**
 * σ(k) from data (docs/model.md §5): `samples` steps, one every `stride`
 * steps from the first observed one (the last step of each stride), read
 * back whole and split over modes on the host in float64.
 */
/** The sampler that collects the samples, and how to stop sampling. */
export interface ModeSpectrum {
  readonly sampler: SpectrumSampler;
  detach(): void;
}

export function modeSpectrum(samples: number, stride: number): Observer<ModeSpectrum> {
  if (!(Number.isInteger(samples) && samples >= 1 && Number.isInteger(stride) && stride >= 1)) {
    throw new RangeError(`mode spectrum: samples and stride must be integers ≥ 1 (got ${samples}, ${stride})`);
  }
  return {
    name: 'spectrum',
    width: 0,
    start(link) {
      const sampler = new SpectrumSampler(link.config);
      const first = link.stepIndex;
      return {
        sample: {
          wants: (step) => step >= first && step - first < samples * stride && (step - first) % stride === stride - 1,
          add: (_step, u, uNext) => sampler.add(u, uNext),
        },
        handle: { sampler, detach: () => link.detach() },
      };
    },
  };
}
