import type { Observer } from '../engine/observer.js';
import type { BatchMean } from '../numeric/batch-means.js';

/** What a run needs to know to report an observer's number beside the entropy production. */
export interface ReportedObserver<Handle extends { detach(): void; snapshot(): Promise<unknown> } = { detach(): void; snapshot(): Promise<unknown> }> {
  /** Key in summary.json's `observed` and in `run --json`. */
  key: string;
  /** Label on `run`'s output line. */
  label: string;
  unit: string;
  /** `resume`: what the handle's `snapshot()` gave (a run's checkpoint), to go on from there. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each observer has its own snapshot type
  observer(blockSteps: number, resume?: any): Observer<Handle>;
  /** The estimate and its batch-means error from the attached observer's handle. */
  summarize(handle: Handle): BatchMean;
}
