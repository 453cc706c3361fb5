import type { ReportedObserver } from './report.js';
import { spatialMeanReport } from './spatial-mean/index.js';

/**
 * The observers every `run` attaches and reports, besides the entropy
 * production and the cell variance, which it compares with theory. A new
 * reported observer is its folder and one line here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has its own handle type
export const reportedObservers: ReportedObserver<any>[] = [spatialMeanReport];
