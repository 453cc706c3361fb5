import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { Config, ConfigInput } from '../../../src/config/schema.js';
import { memberSlice } from '../../../src/gpu/batch.js';
import { GpuEngine, type GpuEngineOptions } from '../../../src/gpu/gpu-engine.js';
import { simulateBatch } from '../../../src/run/batch/simulate-batch.js';
import { simulate, type RunResult } from '../../../src/run/simulate.js';
import { runSummary } from '../../../src/run/summary.js';
import { statisticsBase } from '../../helpers.js';
import { useGpuDevice } from '../../gpu/device-fixture.js';

/**
 * A batch's members run in lockstep (simulateBatch) against each run alone
 * (simulate, no σ(k) samples): every number of each member's result is its
 * solo run's, bit for bit — estimates, errors, blocks, cell variance, the
 * reported observers, the field and the density map — all but the timing.
 */
const gpu = useGpuDevice();

const base: ConfigInput = { ...statisticsBase, grid: { n: 16, length: 16 } };
const inputs: ConfigInput[] = [
  base,
  { ...base, noise: { amplitude: 0.02, correlationLength: 0 }, input: 0.3 },
  { ...base, noise: { amplitude: 0.1, correlationLength: 0 }, transfer: { type: 'linear', slope: 0.5 }, dt: 0.04, tau: 1.5, seed: 9 },
];
const REPLICAS = 2;
const CELLS = 16 * 16;
const plan = { steps: 120, burnIn: 40, blocks: 6 };
const options: GpuEngineOptions = { convolution: 'stencil' };

/** The summary without what the clock decides. */
function numbers(result: RunResult) {
  const { performance: _performance, ...rest } = runSummary(result);
  return rest;
}

async function alone(config: Config): Promise<RunResult> {
  const engine = await GpuEngine.create(gpu.device, gpu.description, config, REPLICAS, options);
  try {
    return await simulate(engine, { ...plan, spectrumSamples: 0, checked: true });
  } finally {
    engine.dispose();
  }
}

async function batch(members: Config[]): Promise<RunResult[]> {
  const engine = await GpuEngine.createBatch(gpu.device, gpu.description, members, REPLICAS, options);
  try {
    return await simulateBatch(engine, REPLICAS, plan);
  } finally {
    engine.dispose();
  }
}

describe('simulateBatch', () => {
  it('each member of a batch of three: its solo run, bit for bit', async () => {
    const members = inputs.map((i) => parseConfig(i));
    const results = await batch(members);
    expect(results).toHaveLength(3);
    for (const [m, config] of members.entries()) {
      const solo = await alone(config);
      const mine = results[m];
      expect(mine.config).toEqual(config);
      expect(mine.replicas).toBe(REPLICAS);
      expect(numbers(mine)).toEqual(numbers(solo));
      expect(mine.field).toEqual(solo.field);
      expect(mine.eprDensity).toEqual(solo.eprDensity);
      expect(mine.epr.blocks).toEqual(solo.epr.blocks);
      expect(mine.field).toHaveLength(REPLICAS * CELLS);
    }
    // The members really differ: a batch that ran one config three times could not pass the above.
    expect(results[1].epr.estimate).not.toBe(results[0].epr.estimate);
    expect(results[2].cellVariance.estimate).not.toBe(results[0].cellVariance.estimate);
    expect(memberSlice(results[0].field, 0, 1, CELLS)).toEqual(results[0].field.slice(0, CELLS));
  });

  it('sigmoid fields of three gains from their fixed points: each member its solo run, bit for bit', async () => {
    const members = [2, 3, 5].map((gain) =>
      parseConfig({ ...base, transfer: { type: 'sigmoid', gain, threshold: 0.5 }, input: 0.2, initial: { type: 'fixed-point' } }),
    );
    const results = await batch(members);
    for (const [m, config] of members.entries()) {
      const solo = await alone(config);
      expect(numbers(results[m])).toEqual(numbers(solo));
      expect(results[m].field).toEqual(solo.field);
    }
    // Each gain has its own fixed point, hence its own mean field.
    expect(results[2].observed[0].estimate).not.toBe(results[0].observed[0].estimate);
  });

  it('refuses a plan it cannot run for every member, in one line', async () => {
    const members = inputs.slice(0, 2).map((i) => parseConfig(i));
    const engine = await GpuEngine.createBatch(gpu.device, gpu.description, members, REPLICAS, options);
    try {
      await expect(simulateBatch(engine, 3, plan)).rejects.toThrow(/a batch of 2 configs × 3 replicas has 6 replicas, not 4/);
      await expect(simulateBatch(engine, REPLICAS, { ...plan, steps: 1 })).rejects.toThrow(/steps must be an integer ≥ 2/);
    } finally {
      engine.dispose();
    }
  });
});
