import { gridOf } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import { largestGrid } from '../../src/gpu/footprint.js';
import { autoChoice } from './auto-choice.js';
import { measureGpuBlocked, measureGpuPair, type GpuTarget } from './gpu-rows.js';
import { cpuMaker, measureEngine } from './measure-engine.js';
import { benchConfig, benchPlan, gpuRequests, gridLabel, type BenchMode } from './plan.js';
import { measureRoofline, type Roofline } from './roofline.js';
import type { BenchReport, PeerRow } from './rows.js';
import { stepsFor } from './sizing.js';

export type { BenchMode } from './plan.js';
export type { BenchReport } from './rows.js';

/** How long and how often a peer times its step: it sizes its own step counts to the target, as the engines do. */
export interface PeerTiming {
  targetSeconds: number;
  repeats: number;
}

/**
 * A Python peer (Node only: the browser has no Python): times its step at a
 * config, with and without the estimator, or says why it cannot.
 */
export interface PeerRunner {
  name: string;
  run(config: Config, timing: PeerTiming): Promise<PeerRow[] | string>;
}

export interface BenchEnvironment {
  gpu?: { device: GPUDevice; description: string } | { unavailable: string };
  peers?: PeerRunner[];
  environment: Record<string, string | number>;
  log?: (line: string) => void;
}

/**
 * One benchmark run: the roofline of the adapter, then at each size and
 * radius of the plan the convolution `auto` would choose, the GPU engine by
 * each convolution with and without the estimator, the CPU reference, and
 * the peers. Step counts adapt so each timed run lasts about `targetSeconds`;
 * a row whose single step would not fit its time budget is skipped with the
 * reason.
 */
export async function runBench(mode: BenchMode, env: BenchEnvironment): Promise<BenchReport> {
  const log = env.log ?? (() => {});
  const device = env.gpu && 'device' in env.gpu ? env.gpu : undefined;
  // The plan's grids are those whose field the adapter's buffers hold (largestGrid: the side of the largest square).
  const maxCells = device ? largestGrid(device.device.limits) ** 2 : 4096 * 4096;
  const p = benchPlan(mode, maxCells);
  const notes: string[] = [];
  const report: BenchReport = {
    version: 2, mode, date: new Date().toISOString(), environment: env.environment, adapter: device?.description ?? null, roofline: null, rows: [], choices: [], notes,
  };
  let gpu: GpuTarget | undefined;
  if (device) {
    log('roofline: copy bandwidth and FMA rate');
    const roofline: Roofline = await measureRoofline(device.device, { ...p.roofline, repeats: p.repeats });
    report.roofline = roofline;
    gpu = { ...device, roofline };
  } else {
    notes.push(`GPU rows skipped: ${env.gpu && 'unavailable' in env.gpu ? env.gpu.unavailable : 'no device'}`);
  }

  for (const size of p.cases) {
    const name = gridLabel(size);
    for (const radius of size.radii) {
      const config = benchConfig(size, radius);
      if (gpu) {
        log(`auto choice ${name} r${radius}`);
        report.choices.push(await autoChoice(gpu.device, gpu.description, config));
        for (const request of gpuRequests(size, radius)) {
          log(`gpu ${request} ${name} r${radius}, with and without the estimator`);
          for (const row of await measureGpuPair(gpu, config, request, p)) report.rows.push(row);
          if (request === 'stencil-2d') {
            log(`gpu stencil-2d ${name} r${radius}, temporal blocking, without the estimator`);
            const blocked = await measureGpuBlocked(gpu, config, p);
            if (blocked) report.rows.push(blocked);
          }
        }
      }
      log(`cpu ${name} r${radius}`);
      const make = cpuMaker(config);
      const steps = await stepsFor(make, config, p, 'cpu');
      report.rows.push(typeof steps === 'number' ? (await measureEngine(make, config, { steps, warmup: steps, repeats: p.repeats, estimator: true })).row : steps);
      if (size.peerRadii.includes(radius)) await runPeers(env.peers, config, p, report, log);
    }
  }
  return report;
}

async function runPeers(peers: PeerRunner[] | undefined, config: Config, p: { targetSeconds: number; repeats: number }, report: BenchReport, log: (line: string) => void) {
  const { nx, ny } = gridOf(config);
  const radius = config.kernel.radius!;
  if (!peers) {
    report.rows.push({ engine: 'python peers', nx, ny, radius, skipped: 'no Python here (browser)' });
    return;
  }
  for (const peer of peers) {
    log(`${peer.name} ${gridLabel({ nx, ny })} r${radius}`);
    const rows = await peer.run(config, { targetSeconds: p.targetSeconds, repeats: p.repeats });
    if (typeof rows === 'string') report.rows.push({ engine: peer.name, nx, ny, radius, skipped: rows });
    else for (const row of rows) report.rows.push(row);
  }
}
