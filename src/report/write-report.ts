import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeAllOrNothing } from '../io/atomic-write.js';
import { packageVersion } from '../io/checkpoint-file.js';
import { runReport } from './run-report.js';
import { sweepReport } from './sweep-report.js';

/** The report's file name inside the folder it reports on. */
export const REPORT_FILE = 'report.html';

/**
 * Writes DIR/report.html for a run folder (summary.json) or a sweep folder
 * (sweep.csv), atomically; refuses any other folder with one line. Returns the path.
 */
export async function writeReport(dir: string): Promise<string> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new RangeError(`report: ${dir} is not a folder; allowed: a folder amari-ep run or sweep wrote`);
  const version = packageVersion();
  let html: string;
  if (existsSync(join(dir, 'sweep.csv'))) html = await sweepReport(dir, version);
  else if (existsSync(join(dir, 'summary.json'))) html = runReport(dir, version);
  else throw new RangeError(`report: ${dir} holds neither summary.json (a run) nor sweep.csv (a sweep); allowed: a folder amari-ep run or sweep wrote`);
  return writeAllOrNothing(dir, { [REPORT_FILE]: html })[0];
}
