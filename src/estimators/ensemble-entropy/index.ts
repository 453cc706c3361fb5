import { gridOf } from '../../config/geometry.js';
import type { Observer } from '../../engine/observer.js';
import { EnsembleSpectrum } from './spectrum.js';

export { EnsembleSpectrum, jackknifeError } from './spectrum.js';

/** The ensemble's mode spectra at the records n = first + m, first + 2m, … (docs/model.md §6). */
export interface EnsembleRecords {
  readonly spectra: EnsembleSpectrum[];
  detach(): void;
}

/**
 * Records the Shannon entropy's raw material every `every` steps: the field
 * u_n of all replicas after each interval, transformed on the host.
 */
export function ensembleEntropy(every: number): Observer<EnsembleRecords> {
  return {
    name: 'ensemble',
    width: 0,
    start(link) {
      const first = link.stepIndex;
      const grid = gridOf(link.config);
      const spectra: EnsembleSpectrum[] = [];
      return {
        sample: {
          wants: (step) => (step + 1 - first) % every === 0,
          add: (_step, _u, uNext) => spectra.push(new EnsembleSpectrum(uNext, grid, link.replicas)),
        },
        handle: { spectra, detach: () => link.detach() },
      };
    },
  };
}
