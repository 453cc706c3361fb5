import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { presets } from '../../src/config/presets.js';
import { batchFootprint } from '../../src/gpu/batch-capacity.js';
import { GPU_MEMORY_VARIABLE } from '../../src/gpu/memory-budget.js';
import { batchGroups } from '../../src/sweep/batch-groups.js';
import type { SweepOptions } from '../../src/sweep/manifest.js';
import { checkedPointConfigs, sweepPoints } from '../../src/sweep/points.js';
import { parseParam } from '../../src/sweep/params.js';
import { captureConsole } from '../cli/console.js';
import { ringInput } from '../run/geometries.js';
import { killCliWhen } from '../cli/kill-cli.js';
import { useGpuDevice } from '../gpu/device-fixture.js';
import { expectSameSweep, filesUnder, shiftConfigFile, tempDir } from './helpers.js';

/**
 * A sweep's points that differ only in the noise amplitude and the input run
 * as replicas of one GPU dispatch (`--batch auto`, the default): the folder
 * equals the one a sweep running every point alone (`--batch off`) writes,
 * file for file (summary.json but its timings), also when the memory budget
 * splits a group into a batch and a point alone.
 */
const { out, err } = captureConsole();
const gpu = useGpuDevice();

const options: SweepOptions = {
  steps: 400, burnIn: 50, replicas: 1, blocks: 10, backend: 'gpu', convolution: 'stencil', noiseShaping: 'stencil', spectrumSamples: 0, curvePoints: 0,
};
// 8 points: the kernel's shift splits them into two groups of 4 (a batch's members share the kernel).
const PARAMS = ['noise.amplitude=0.01,0.04', 'input=0,0.2', 'kernel.shift.0=1.5,1'];
const SWEEP = [
  ...PARAMS.flatMap((p) => ['--param', p]),
  '--steps', `${options.steps}`, '--burn-in', `${options.burnIn}`, '--blocks', `${options.blocks}`, '--backend', 'gpu', '--convolution', 'stencil', '--curve-points', '0',
];
const base = parseConfig({ ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 } });

function groupsOf(params: string[], over: Partial<SweepOptions> = {}, mode: 'auto' | 'off' = 'auto', from: Config = base): number[][] {
  const swept = params.map((p) => parseParam(p));
  const points = sweepPoints(swept);
  return batchGroups(points, checkedPointConfigs(from, swept, points), { ...options, ...over }, mode).map((g) => g.map((p) => p.index));
}

/** The lines of the points the sweep ran, and how many of them ran in a batch of `size`. */
const batchedLines = (size: number) => out.filter((l) => l.includes(`${size} points as replicas of one dispatch`)).length;

describe('which points share a batch', () => {
  it('points differing in noise amplitude and input group by everything else (here the kernel), in index order', () => {
    const groups = groupsOf(PARAMS);
    expect(groups).toHaveLength(2);
    expect(groups.map((g) => g.length)).toEqual([4, 4]);
    for (const g of groups) expect(g).toEqual([...g].sort((a, b) => a - b));
    expect(groups.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('the time step, τ and the seed: one group; beside a noise map, one group per dt', () => {
    expect(groupsOf(['dt=0.01:0.05:5', 'tau=1,2', 'seed=1,2'])).toEqual([Array.from({ length: 20 }, (_, i) => i)]);
    const mapped = parseConfig({ ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 }, noise: { amplitude: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.04, outside: 0.01 }, correlationLength: 0 } });
    expect(groupsOf(['dt=0.02,0.04', 'seed=1,2'], {}, 'auto', mapped)).toEqual([[0, 1], [2, 3]]);
  });

  it("a sigmoid field's gain near criticality: one group; with correlated noise, or on a ring, every point alone", () => {
    const sigmoid = parseConfig({ ...structuredClone(presets.bump), grid: { n: 32, length: 32 } });
    expect(groupsOf(['transfer.gain=2:6:5'], {}, 'auto', sigmoid)).toEqual([[0, 1, 2, 3, 4]]);
    const correlated = parseConfig({ ...structuredClone(presets.bump), grid: { n: 32, length: 32 }, noise: { amplitude: 0.002, correlationLength: 1 } });
    expect(groupsOf(['transfer.gain=2:6:3'], {}, 'auto', correlated)).toEqual([[0], [1], [2]]);
    const ring = parseConfig(ringInput);
    expect(groupsOf(['noise.amplitude=0.01,0.02'], {}, 'auto', ring)).toEqual([[0], [1]]);
  });

  it('every point alone: --batch off, the CPU, σ(k) sampled, a kernel swept', () => {
    const alone = (g: number[][]) => expect(g.every((x) => x.length === 1)).toBe(true);
    alone(groupsOf(PARAMS, {}, 'off'));
    alone(groupsOf(PARAMS, { backend: 'cpu' }));
    alone(groupsOf(PARAMS, { spectrumSamples: 20 }));
    alone(groupsOf(PARAMS, { spectrumSamples: null }));
    alone(groupsOf(['kernel.shift.0=0:1:3']));
  });
});

/** The folder of the sweep with every point alone, made once for the tests that compare with it. */
let offSweep: Promise<string> | undefined;
function sweepOff(config: string): Promise<string> {
  offSweep ??= (async () => {
    const dir = join(tempDir(), 'off');
    expect(await main(['sweep', '--config', config, ...SWEEP, '--batch', 'off', '--out', dir]), err.join('\n')).toBe(0);
    return dir;
  })();
  return offSweep;
}

const finished = (dir: string) => {
  const points = join(dir, 'points');
  return existsSync(points) ? readdirSync(points).filter((id) => existsSync(join(points, id, 'summary.json'))).length : 0;
};

describe('amari-ep sweep --batch', () => {
  const config = shiftConfigFile();
  afterEach(() => {
    delete process.env[GPU_MEMORY_VARIABLE];
  });

  it('auto runs each group as one dispatch, and writes what off writes', async () => {
    out.length = 0;
    const off = await sweepOff(config);
    expect(batchedLines(4)).toBe(0);
    out.length = 0;
    const auto = join(tempDir(), 'auto');
    expect(await main(['sweep', '--config', config, ...SWEEP, '--out', auto]), err.join('\n')).toBe(0);
    expect(batchedLines(4)).toBe(8);
    expectSameSweep(off, auto, expect);
    // Each point's timings say the batch's: its points, and its rate over all of them.
    const [first] = filesUnder(auto).filter((f) => f.endsWith('summary.json'));
    const { performance } = JSON.parse(readFileSync(join(auto, first), 'utf8'));
    expect(performance.batch.points).toBe(4);
    expect(performance.batch.cellStepsPerSecond).toBeCloseTo(4 * performance.cellStepsPerSecond, 6);
  });

  it('a sweep of the time step and the seed: one batch of six, the same files as one at a time', async () => {
    const args = (batch: string, dir: string) => [
      'sweep', '--config', config, '--param', 'dt=0.02,0.04,0.05', '--param', 'seed=1,2', '--steps', '300', '--burn-in', '30', '--blocks', '10',
      '--backend', 'gpu', '--convolution', 'stencil', '--curve-points', '0', '--batch', batch, '--out', dir,
    ];
    const dir = tempDir();
    out.length = 0;
    expect(await main(args('off', join(dir, 'off'))), err.join('\n')).toBe(0);
    expect(await main(args('auto', join(dir, 'auto'))), err.join('\n')).toBe(0);
    expect(batchedLines(6)).toBe(6);
    expectSameSweep(join(dir, 'off'), join(dir, 'auto'), expect);
  });

  it('killed with SIGKILL once its first batch is written, and rerun: the rest runs, the folder is the one off writes', async () => {
    const killed = join(tempDir(), 'killed');
    const command = ['sweep', '--config', config, ...SWEEP, '--out', killed];
    await killCliWhen(command, () => finished(killed) > 0, 'its first batch');
    const before = finished(killed);
    expect(before).toBeLessThan(8);
    out.length = 0;
    expect(await main(command), err.join('\n')).toBe(0);
    expect(out.at(-1)).toMatch(new RegExp(`: ran ${8 - before}, skipped ${before} finished before; sweep\\.csv has 8 of 8 rows`));
    expectSameSweep(await sweepOff(config), killed, expect);
  }, 180_000);

  it('a memory budget for three members: a batch of three and a point alone per group, the same files', async () => {
    const dir = tempDir();
    const footprint = { path: 'stencil', noiseShaping: 'stencil', windowSteps: 128, observers: 'run' } as const;
    const [three, four] = [3, 4].map((m) => batchFootprint(base, 1, m, footprint, gpu.device.limits));
    process.env[GPU_MEMORY_VARIABLE] = `${Math.floor((three + four) / 2)}`;
    out.length = 0;
    expect(await main(['sweep', '--config', config, ...SWEEP, '--out', join(dir, 'budget')]), err.join('\n')).toBe(0);
    expect(batchedLines(3)).toBe(6);
    expect(batchedLines(4)).toBe(0);
    expectSameSweep(await sweepOff(config), join(dir, 'budget'), expect);
  });
});
