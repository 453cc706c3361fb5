/** Parameter sweeps (issue 15): points that resume, shard and merge; see README "amari-ep sweep". */
export { SweepError } from './errors.js';
export { parseParam, evenlySpaced, type SweptParam } from './params.js';
export { parseShard, shardPoints, sweepPoints, type Shard, type SweepPoint } from './points.js';
export { MANIFEST_FILE, type SweepManifest, type SweepOptions } from './manifest.js';
export { POINTS_DIR, POINT_CONFIG, POINT_SUMMARY } from './point-store.js';
export { TABLE_FILE, RESULT_COLUMNS } from './table.js';
export { CURVES_FILE, theoryCurves, type TheoryCurve } from './theory-curves.js';
export { planSweep, runSweep, type PointEvent, type SweepOutcome, type SweepPlan } from './run-sweep.js';
export { mergeSweeps, type MergeOutcome } from './merge.js';
export { sweepFigureData, sweepFigurePanels, type FigurePoint, type SweepFigureData } from './figure-data.js';
export { BATCH_MODES, type BatchMode } from './batch-groups.js';
