import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Engine } from '../../src/engine/engine.js';
import { largestGrid } from '../../src/gpu/footprint.js';
import { gpuStepCost, type StepCost } from './step-model.js';
import { measureRoofline, type Roofline } from './roofline.js';
import { cpuMaker, gpuMaker, measureEngine, type EngineRow } from './measure-engine.js';
import type { Spread } from './stats.js';

export type BenchMode = 'smoke' | 'quick' | 'full';

export interface PeerRow {
  engine: 'numpy-fft' | 'numpy-direct';
  n: number;
  radius: number;
  cellStepsPerSecond: Spread;
  fastest: boolean;
}

export interface SkippedRow {
  engine: string;
  n: number;
  radius: number;
  skipped: string;
}

export type GpuRow = EngineRow & { cost: StepCost; bandwidthFraction: number; flopsFraction: number };

export interface BenchReport {
  version: 1;
  mode: BenchMode;
  date: string;
  environment: Record<string, string | number>;
  adapter: string | null;
  roofline: Roofline | null;
  rows: (GpuRow | EngineRow | PeerRow | SkippedRow)[];
  notes: string[];
}

/** Times the NumPy peer, or says why it cannot (Node only: the browser has no Python). */
export type PeerRunner = (config: Config, steps: number, repeats: number) => Promise<PeerRow[] | string>;

export interface BenchEnvironment {
  gpu?: { device: GPUDevice; description: string } | { unavailable: string };
  peer?: PeerRunner;
  environment: Record<string, string | number>;
  log?: (line: string) => void;
}

interface Plan {
  sizes: number[];
  radii: (n: number) => number[];
  repeats: number;
  targetSeconds: number;
  rowBudgetSeconds: number;
  roofline: { bytes: number; fmaThreads: number; fmaIterations: number };
  peerSizes: number[];
  peerRadius: number;
}

function plan(mode: BenchMode, maxN: number): Plan {
  if (mode === 'smoke') {
    return { sizes: [32], radii: () => [2], repeats: 1, targetSeconds: 0.01, rowBudgetSeconds: 10, roofline: { bytes: 1 << 20, fmaThreads: 1 << 12, fmaIterations: 64 }, peerSizes: [32], peerRadius: 2 };
  }
  if (mode === 'quick') {
    return {
      sizes: [256, 1024].filter((n) => n <= maxN),
      radii: (n) => (n === 256 ? [2, 4, 8, 16] : [4]),
      repeats: 3,
      targetSeconds: 0.3,
      rowBudgetSeconds: 25,
      roofline: { bytes: 64 << 20, fmaThreads: 1 << 16, fmaIterations: 1024 },
      peerSizes: [256, 1024],
      peerRadius: 4,
    };
  }
  const sizes = [];
  for (let n = 256; n <= Math.max(4096, 256) && n <= maxN; n *= 2) sizes.push(n);
  for (let n = 8192; n <= maxN; n *= 2) sizes.push(n);
  return {
    sizes,
    radii: () => [2, 4, 8, 16],
    repeats: 5,
    targetSeconds: 1,
    rowBudgetSeconds: 120,
    roofline: { bytes: 256 << 20, fmaThreads: 1 << 20, fmaIterations: 4096 },
    peerSizes: sizes.filter((n) => n <= 2048),
    peerRadius: 4,
  };
}

/** The benchmark's field: Δx = 1, a shifted Gaussian truncated at `radius` cells, linear transfer. */
export function benchConfig(n: number, radius: number): Config {
  return parseConfig({
    grid: { n, length: n },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: Math.max(0.5, radius / 4), shift: [0.5, 0], radius },
    input: 0.1,
    noise: { amplitude: 0.02 },
    dt: 0.05,
    seed: 1,
    initial: { type: 'fixed-point' },
  });
}

/**
 * One benchmark run: the roofline of the adapter, then the GPU engine, the
 * CPU reference and the NumPy peer at each size and radius of the plan. Step
 * counts adapt so each timed run lasts about `targetSeconds`; a row whose
 * single step would not fit its time budget is skipped with the reason.
 */
export async function runBench(mode: BenchMode, env: BenchEnvironment): Promise<BenchReport> {
  const log = env.log ?? (() => {});
  const gpu = env.gpu && 'device' in env.gpu ? env.gpu : undefined;
  // The plan's sizes are powers of two: the largest one whose field the adapter's buffers hold.
  const maxN = gpu ? 2 ** Math.floor(Math.log2(largestGrid(gpu.device.limits))) : 4096;
  const p = plan(mode, maxN);
  const notes: string[] = [];
  const rows: BenchReport['rows'] = [];
  let roofline: Roofline | null = null;
  if (gpu) {
    log('roofline: copy bandwidth and FMA rate');
    roofline = await measureRoofline(gpu.device, { ...p.roofline, repeats: p.repeats });
  } else {
    notes.push(`GPU rows skipped: ${env.gpu && 'unavailable' in env.gpu ? env.gpu.unavailable : 'no device'}`);
  }

  for (const n of p.sizes) {
    for (const radius of p.radii(n)) {
      const config = benchConfig(n, radius);
      for (const path of gpu && roofline ? (['stencil', 'fft'] as const) : []) {
        log(`gpu ${path} ${n}² r${radius}`);
        const row = await timed(gpuMaker(gpu!.device, gpu!.description, config, path), config, p, 'gpu');
        if ('skipped' in row) rows.push({ ...row, engine: `gpu (${path})` });
        else {
          const cost = gpuStepCost(config, path);
          const rate = row.cellStepsPerSecond.median;
          rows.push({ ...row, cost, bandwidthFraction: (cost.bytes * rate) / roofline!.bandwidth.median, flopsFraction: (cost.flops * rate) / roofline!.flops.median });
        }
      }
      log(`cpu ${n}² r${radius}`);
      rows.push(await timed(cpuMaker(config), config, p, 'cpu'));
      if (p.peerSizes.includes(n) && radius === p.peerRadius) {
        log(`numpy ${n}² r${radius}`);
        const peer = env.peer ? await env.peer(config, Math.max(1, Math.round(p.targetSeconds * 4)), p.repeats) : 'no Python here (browser)';
        if (typeof peer === 'string') {
          rows.push({ engine: 'numpy', n, radius, skipped: peer });
        } else for (const row of peer) rows.push(row);
      }
    }
  }
  return { version: 1, mode, date: new Date().toISOString(), environment: env.environment, adapter: gpu?.description ?? null, roofline, rows, notes };
}

async function timed(make: () => Promise<Engine>, config: Config, p: Plan, engine: 'gpu' | 'cpu'): Promise<EngineRow | SkippedRow> {
  // Probe one step on a throwaway engine to size the timed runs.
  const probe = await make();
  let stepSeconds: number;
  try {
    await probe.advance(1);
    const t0 = performance.now();
    await probe.advance(1);
    stepSeconds = (performance.now() - t0) / 1000;
  } finally {
    probe.dispose();
  }
  const steps = Math.max(1, Math.min(500, Math.round(p.targetSeconds / stepSeconds)));
  const total = stepSeconds * steps * (p.repeats + 1);
  if (total > p.rowBudgetSeconds) {
    return { engine, n: config.grid.n, radius: config.kernel.radius!, skipped: `one step takes ${stepSeconds.toFixed(2)} s: ${p.repeats + 1} runs exceed the row's ${p.rowBudgetSeconds} s budget` };
  }
  return measureEngine(make, config, { steps, warmup: steps, repeats: p.repeats });
}
