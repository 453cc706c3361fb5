import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { encodeNpy } from '../../src/io/npy.js';
import { fillNormals, philoxKey, STREAM_NOISE } from '../../src/rng/philox.js';
import { benchConfig } from '../core/plan.js';

/**
 * The grids a peer is checked on before it is timed: the benchmark's square,
 * and a rectangle whose cells are not square (Δx = 1, Δy = 1.5), so that a
 * peer that mixed up x and y, or Δx² and the cell area, would disagree.
 */
export const CHECKED: Config[] = [benchConfig(32, 4), parseConfig({ ...benchConfig(32, 4), grid: { n: [24, 10], length: [24, 15] } })];

/** Steps of a check case: enough for the entropy sums of several steps, few enough for any peer. */
const CHECK_STEPS = 3;

/**
 * Writes what a peer's `check DIR` reads: the config, amari-ep's CPU start
 * u0 and the normals it draws (Philox, written out), and the field and
 * entropy sums it reaches after CHECK_STEPS steps (float64).
 */
export async function writeCheckCase(config: Config, dir: string): Promise<void> {
  const engine = new CpuEngine(config, 1);
  try {
    const estimator = await engine.observe(entropyProduction(1));
    const u0 = await engine.readField();
    const { cells, shape } = gridOf(config);
    const xi = new Float64Array(CHECK_STEPS * cells);
    // The Philox counter's cell index is the flat index iy·nx + ix (docs/model.md §7).
    for (let s = 0; s < CHECK_STEPS; s++) fillNormals(xi.subarray(s * cells, (s + 1) * cells), s, 0, STREAM_NOISE, philoxKey(config.seed));
    await engine.advance(CHECK_STEPS);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'u0.npy'), encodeNpy(u0, shape));
    writeFileSync(join(dir, 'xi.npy'), encodeNpy(xi, [CHECK_STEPS, ...shape]));
    writeFileSync(join(dir, 'expected.npy'), encodeNpy(await engine.readField(), shape));
    writeFileSync(join(dir, 'expected_sums.npy'), encodeNpy(Float64Array.from(estimator.blocks().sums), [CHECK_STEPS]));
  } finally {
    engine.dispose();
  }
}

/** One method's errors against the CPU reference; null entropy: the method computes none (no estimator). */
export interface CheckResult {
  fieldRelativeError: number;
  entropyRelativeError: number | null;
}

/** Throws, naming the method and grid, when a method's field or (if it computes them) entropy sums miss the tolerance. */
export function assertAgrees(peer: string, config: Config, results: Record<string, CheckResult>, tolerance: { field: number; entropy: number }): void {
  for (const [method, r] of Object.entries(results)) {
    const fieldOk = r.fieldRelativeError < tolerance.field;
    const entropyOk = r.entropyRelativeError === null || r.entropyRelativeError < tolerance.entropy;
    if (!(fieldOk && entropyOk)) {
      const grid = gridOf(config);
      throw new Error(`${peer} (${method}) disagrees with the CPU reference on ${grid.nx} × ${grid.ny}: field ${r.fieldRelativeError}, entropy ${r.entropyRelativeError}`);
    }
  }
}
