import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gridOf } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import type { PeerRunner, PeerTiming } from '../core/runner.js';
import { sameFieldCheck } from '../core/same-dynamics.js';
import type { PeerRow } from '../core/rows.js';
import type { Spread } from '../core/stats.js';
import { assertAgrees, CHECKED, writeCheckCase, type CheckResult } from './check-case.js';
import { inScratch, PYTHON, pythonLacks, runScript } from './python.js';

const SCRIPT = fileURLToPath(new URL('./numpy_step.py', import.meta.url));
/** float64 both sides; only the order of summation differs. */
const CHECK_TOLERANCE = { field: 1e-9, entropy: 1e-9 };

/** What `numpy_step.py time` prints. */
interface Timing {
  numpy: string;
  scipy: string;
  fft: Spread & { steps: number };
  'fft-noest': Spread & { steps: number };
  direct: Spread & { steps: number };
  noEstimatorFieldDifference: number;
}

/**
 * Before it is timed, the peer must step small grids to the same field as
 * amari-ep's CPU engine from the same start and the same normals, and (its
 * methods with the estimator) sum the same entropy: a peer that computes
 * something else measures nothing.
 */
async function checkPeer(): Promise<void> {
  for (const config of CHECKED) {
    await inScratch(async (dir) => {
      await writeCheckCase(config, dir);
      assertAgrees('NumPy peer', config, (await runScript(SCRIPT, ['check', dir])) as Record<string, CheckResult>, CHECK_TOLERANCE);
    });
  }
}

/** The timed methods as rows: the faster of the two with the estimator is marked. */
export function numpyRows(config: Config, t: Timing): PeerRow[] {
  const { nx, ny } = gridOf(config);
  const faster = t.fft.median >= t.direct.median ? 'fft' : 'direct';
  const base = { nx, ny, radius: config.kernel.radius!, versions: `NumPy ${t.numpy}, SciPy ${t.scipy}`, check: '= CPU reference; field finite, moving' };
  const fft = { ...base, engine: 'numpy-fft' as const, method: 'scipy.fft, float64, 1 thread' };
  return [
    { ...fft, estimator: true, cellStepsPerSecond: t.fft, fastest: faster === 'fft' },
    { ...fft, estimator: false, cellStepsPerSecond: t['fft-noest'], fastest: false, check: `${base.check}; ${sameFieldCheck(t.noEstimatorFieldDifference)}` },
    { ...base, engine: 'numpy-direct', method: 'ndimage.convolve, float64, 1 thread', estimator: true, cellStepsPerSecond: t.direct, fastest: faster === 'direct' },
  ];
}

/** The NumPy/SciPy peer, or the reason it is skipped (no python3, no numpy or scipy). */
export async function numpyPeer(): Promise<PeerRunner | string> {
  const missing = await pythonLacks('import numpy, scipy');
  if (missing) return `NumPy peer skipped: ${PYTHON} with numpy and scipy is not available (${missing})`;
  await checkPeer();
  return {
    name: 'numpy',
    run: (config: Config, timing: PeerTiming) =>
      inScratch(async (dir) => {
        const file = join(dir, 'config.json');
        writeFileSync(file, JSON.stringify(config));
        const t = (await runScript(SCRIPT, ['time', file, '--seconds', String(timing.targetSeconds), '--repeats', String(timing.repeats)])) as Timing;
        return numpyRows(config, t);
      }),
  };
}
