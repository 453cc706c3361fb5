import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { simulate } from '../../src/run/simulate.js';
import { configDoc, hostileValue, type Doc } from './arbitraries.js';

/**
 * Issue 14, the library side: documents a program could hand to parseConfig
 * (JSON's values, and also NaN, ±Infinity, −0 and nesting no file would
 * hold) are refused with a ConfigError, or pass assertRunnable and run on the
 * CPU engine to finite numbers with error bars above 0; nothing else is
 * thrown. Fixed seed.
 */

/** Replaces one top-level value with a hostile one, kept as a JavaScript value (NaN stays NaN). */
const libraryDoc: fc.Arbitrary<Doc> = fc.oneof(
  { weight: 6, arbitrary: configDoc },
  {
    weight: 2,
    arbitrary: fc
      .tuple(configDoc, fc.constantFrom('tau', 'dt', 'input', 'seed'), fc.oneof(hostileValue, fc.constantFrom(NaN, Infinity, -Infinity, -0, undefined)))
      .map(([doc, key, value]) => ({ ...doc, [key]: value })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(configDoc, fc.integer({ min: 17, max: 50_000 })).map(([doc, depth]) => {
      let deep: unknown = 0.05;
      for (let i = 0; i < depth; i++) deep = { dt: deep };
      return { ...doc, dt: deep };
    }),
  },
);

type Verdict = 'refused' | 'ran';

async function verdict(doc: Doc): Promise<Verdict> {
  let config;
  try {
    config = parseConfig(doc);
    assertRunnable(config);
  } catch (e) {
    if (e instanceof ConfigError && !/Maximum call stack/.test(e.message)) return 'refused';
    throw e;
  }
  const engine = new CpuEngine(config, 1);
  try {
    const result = await simulate(engine, { steps: 8, burnIn: 2, blocks: 2, checked: true });
    const numbers = [result.epr.estimate, result.epr.stderr, result.cellVariance.estimate, result.cellVariance.stderr, ...result.field];
    if (!numbers.every(Number.isFinite)) throw new Error(`a non-finite result: ${numbers.slice(0, 4).join(', ')}`);
    if (!(result.epr.stderr > 0)) throw new Error(`a standard error of ${result.epr.stderr}`);
    return 'ran';
  } finally {
    engine.dispose();
  }
}

describe('fuzz: parseConfig, assertRunnable and a CPU run take any document', () => {
  it('1,000 generated documents are refused with a ConfigError or run to finite numbers with standard errors > 0', async () => {
    const seen: Record<Verdict, number> = { refused: 0, ran: 0 };
    await fc.assert(
      fc.asyncProperty(libraryDoc, async (doc) => {
        seen[await verdict(doc)]++;
      }),
      { seed: 1414, numRuns: 1000 },
    );
    // Both outcomes are reached: the generator is neither all valid nor all refused.
    expect(seen.ran).toBeGreaterThanOrEqual(100);
    expect(seen.refused).toBeGreaterThanOrEqual(100);
  });
});
