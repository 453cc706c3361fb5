import type { Observer } from '../engine/observer.js';
import type { BatchMean } from '../numeric/batch-means.js';
import { spatialMeanReport } from './spatial-mean/index.js';

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

/**
 * The observers every `run` attaches and reports, besides the entropy
 * production and the cell variance, which it compares with theory. A new
 * reported observer is its folder and one line here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own handle type
export const reportedObservers: ReportedObserver<any>[] = [spatialMeanReport];
