import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { defaultSpectrumSamples, Run, SPECTRUM_DEFAULT_MAX_CELLS } from '../../src/run/run.js';
import { simulate } from '../../src/run/simulate.js';
import { SPACE_TIME_MAX_ROWS, SPACE_TIME_MAX_VALUES, spaceTimeRows, spaceTimeStride } from '../../src/run/space-time.js';
import { everyStep } from '../helpers.js';
import { rectangleInput, ringInput } from './geometries.js';

const ring = parseConfig(ringInput);

describe("a ring's space-time record", () => {
  it("holds replica 0's field before the first step and every `every` steps after, burn-in included", async () => {
    const fields = new Map<number, Float64Array>();
    const engine = new CpuEngine(ring, 2);
    fields.set(0, (await engine.readField()).slice(0, 64));
    await engine.observe(everyStep((step, _u, uNext) => fields.set(step + 1, uNext.slice(0, 64))));
    const result = await simulate(engine, { steps: 1500, burnIn: 100, blocks: 10, spectrumSamples: 0, spaceTimeRows: 40 });
    const record = result.spaceTime!;
    expect(record.every).toBe(spaceTimeStride(1600, 40));
    expect(record.steps.length).toBeLessThanOrEqual(40);
    expect(record.steps.length).toBe(Math.floor(1600 / record.every) + 1);
    record.steps.forEach((step, j) => {
      expect(step).toBe(j * record.every);
      expect(Array.from(record.rows.subarray(j * 64, (j + 1) * 64)), `row ${j}`).toEqual(Array.from(fields.get(step)!));
    });
  });

  it('is the same whether the run advances in uneven pieces or in one go', async () => {
    const plan = { steps: 700, burnIn: 50, blocks: 10, spectrumSamples: 0 };
    const pieces = new Run(new CpuEngine(ring, 1), plan);
    for (const piece of [7, 43, 1, 99, 250, 1000]) await pieces.advance(piece);
    const oneGo = new Run(new CpuEngine(ring, 1), plan);
    await oneGo.advance(750);
    expect(pieces.spaceTime!.steps).toEqual(oneGo.spaceTime!.steps);
    expect(Array.from(pieces.spaceTime!.rows())).toEqual(Array.from(oneGo.spaceTime!.rows()));
  });

  it('keeps at most SPACE_TIME_MAX_ROWS rows, fewer for a ring too long to hold them, never fewer than two', () => {
    expect(spaceTimeRows(64)).toBe(SPACE_TIME_MAX_ROWS);
    expect(spaceTimeRows(SPACE_TIME_MAX_VALUES / 64) * (SPACE_TIME_MAX_VALUES / 64)).toBeLessThanOrEqual(SPACE_TIME_MAX_VALUES);
    expect(spaceTimeRows(4 * SPACE_TIME_MAX_VALUES)).toBe(2);
    for (const steps of [1, 2, 510, 511, 512, 10007, 10 ** 6]) {
      const every = spaceTimeStride(steps, SPACE_TIME_MAX_ROWS);
      expect(Math.floor(steps / every) + 1, `${steps} steps`).toBeLessThanOrEqual(SPACE_TIME_MAX_ROWS);
    }
  });

  it('is off with spaceTimeRows: 0, and never kept on a 2-D grid', async () => {
    const off = await simulate(new CpuEngine(ring, 1), { steps: 100, burnIn: 0, blocks: 10, spaceTimeRows: 0 });
    expect(off.spaceTime).toBeNull();
    const rectangle = await simulate(new CpuEngine(parseConfig(rectangleInput), 1), { steps: 100, burnIn: 0, blocks: 10 });
    expect(rectangle.spaceTime).toBeNull();
  });
});

describe('σ(k) sampling follows the cell count', () => {
  it('a rectangle or a ring samples as the square of as many cells does; none past SPECTRUM_DEFAULT_MAX_CELLS', () => {
    for (const n of [8, 128, 256, 512, 1024]) {
      expect(defaultSpectrumSamples(2 * n * (n / 2)), `${2 * n} × ${n / 2}`).toBe(defaultSpectrumSamples(n * n));
    }
    expect(defaultSpectrumSamples(SPECTRUM_DEFAULT_MAX_CELLS)).toBeGreaterThan(0);
    expect(defaultSpectrumSamples(SPECTRUM_DEFAULT_MAX_CELLS + 1)).toBe(0);
  });
});
