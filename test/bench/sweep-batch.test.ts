import { describe, expect, it } from 'vitest';
import { benchSweepBatch, sweepBenchMarkdown } from '../../bench/sweep-batch.js';

describe('the sweep batching benchmark (tiny)', () => {
  it('times --batch off and auto on the same points, checks their tables agree, and reports the batches it ran', async () => {
    const report = await benchSweepBatch({ grid: 16, points: 3, steps: 40, burnIn: 10, replicas: 2 });
    expect(report.rows.map((r) => r.batch)).toEqual(['off', 'auto']);
    expect(report.rows[0].batches).toEqual([1, 1, 1]);
    expect(report.rows[1].batches).toEqual([3]);
    for (const row of report.rows) {
      expect(row.seconds).toBeGreaterThan(0);
      expect(row.cellStepsPerSecond).toBeCloseTo((3 * 2 * 16 * 16 * 50) / row.seconds, 6);
    }
    expect(report.speedup).toBeCloseTo(report.rows[0].seconds / report.rows[1].seconds, 12);
    const markdown = sweepBenchMarkdown(report);
    expect(markdown).toContain('| auto |');
    expect(markdown).toContain('3 points as replicas of one dispatch');
  });
});
