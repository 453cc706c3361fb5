import type { Observer } from '../engine/observer.js';
import type { BatchMean } from '../numeric/batch-means.js';

/** What a run needs to know to report an observer's number beside the entropy production. */
export interface ReportedObserver<Handle extends { detach(): void } = { detach(): void }> {
  /** Key in summary.json's `observed` and in `run --json`. */
  key: string;
  /** Label on `run`'s output line. */
  label: string;
  unit: string;
  observer(blockSteps: number): Observer<Handle>;
  /** The estimate and its batch-means error from the attached observer's handle. */
  summarize(handle: Handle): BatchMean;
}
