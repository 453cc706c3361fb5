import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchInNode } from '../../bench/run.js';

const spreadShape = { median: expect.any(Number), min: expect.any(Number), max: expect.any(Number) };

describe('benchmark (smoke mode)', () => {
  it('measures the roofline, the GPU and CPU engines and the NumPy peer, and writes JSON and Markdown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-bench-'));
    const { report, markdown, files } = await benchInNode('smoke', dir);
    expect(report).toMatchObject({ version: 1, mode: 'smoke', adapter: expect.any(String) });
    expect(report.roofline).toMatchObject({ bandwidth: spreadShape, flops: spreadShape, timing: expect.stringMatching(/^(gpu-timestamps|wall)$/) });
    expect(report.roofline!.bandwidth.median).toBeGreaterThan(0);
    const gpu = report.rows.find((r) => r.engine === 'gpu');
    expect(gpu).toMatchObject({
      n: 32,
      radius: 2,
      cellStepsPerSecond: spreadShape,
      secondsPerStep: spreadShape,
      cost: { bytes: expect.any(Number), flops: expect.any(Number) },
      bandwidthFraction: expect.any(Number),
      flopsFraction: expect.any(Number),
    });
    expect(report.rows.find((r) => r.engine === 'cpu')).toMatchObject({ n: 32, radius: 2, cellStepsPerSecond: spreadShape });
    const peers = report.rows.filter((r) => String(r.engine).startsWith('numpy'));
    expect(peers.length).toBeGreaterThan(0);
    for (const p of peers) {
      if ('skipped' in p) expect(p.skipped).toMatch(/python|numpy/i);
      else expect(p).toMatchObject({ cellStepsPerSecond: spreadShape, fastest: expect.any(Boolean) });
    }
    expect(markdown).toMatch(/\| engine \| grid \| radius \| cell-steps\/s \(wall\) \|/);
    expect(markdown).toMatch(/\| amari-ep GPU \| 32² \| 2 \| /);
    expect(JSON.parse(readFileSync(files[0], 'utf8'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(readFileSync(files[1], 'utf8')).toBe(markdown);
  });
});
