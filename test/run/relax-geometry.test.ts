import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { relax, type Measured } from '../../src/run/relax.js';
import { rectangleInput, ringInput } from './geometries.js';

/**
 * The ensemble balance of docs/model.md §6 on the grids of §7, as
 * test/run/relax.test.ts checks it on a square: the Shannon entropy from the
 * mode variances over nx × ny (a ring's modes p alone), its bias correction
 * (real modes only where a side is even: p = nx/2, q = ny/2), and the
 * estimator's flow, all within 3 standard errors of the theory at every record.
 */
const cases: [string, ConfigInput][] = [
  ['a ring of 64 cells', ringInput],
  // Odd sides: no Nyquist mode on either axis, so only k = 0 is real.
  ['a 9 × 7 rectangle', { ...rectangleInput, grid: { n: [9, 7], length: [9, 7] }, kernel: { type: 'gaussian', amplitude: 1, sigma: 0.5, shift: [0.5, 0.3], radius: 2 } }],
];

describe.each(cases)('ensemble balance from a zero field on %s (CPU reference, 256 replicas)', (_name, input) => {
  it('S_n, dS/dt, Φ_n and σ_n lie within 3 standard errors of theory at every record', async () => {
    const config = parseConfig({ ...input, initial: { type: 'zero' }, seed: 3 });
    const result = await relax(new CpuEngine(config, 256), { steps: 200, recordEvery: 20 });
    expect(result.theoryNote).toBeNull();
    const within = (q: Measured) => Math.abs(q.value - q.theory!) < 3 * q.stderr;
    for (const row of result.rows) {
      expect(within(row.entropy), `S at step ${row.step}`).toBe(true);
      if (!row.interval) continue;
      for (const [key, q] of Object.entries(row.interval)) expect(within(q), `${key} at step ${row.step}`).toBe(true);
    }
  });
});
