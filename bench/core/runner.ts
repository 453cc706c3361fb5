import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Engine } from '../../src/engine/engine.js';
import { largestGrid } from '../../src/gpu/footprint.js';
import { gpuStepCost, type StepCost } from './step-model.js';
import { measureRoofline, type Roofline } from './roofline.js';
import { cpuMaker, gpuMaker, measureEngine, type EngineRow } from './measure-engine.js';
import type { Spread } from './stats.js';

export type BenchMode = 'smoke' | 'quick' | 'full';

/** A benchmark grid: nx × ny cells (a square: nx = ny). */
export interface GridSize {
  nx: number;
  ny: number;
}

export interface PeerRow extends GridSize {
  engine: 'numpy-fft' | 'numpy-direct';
  radius: number;
  cellStepsPerSecond: Spread;
  fastest: boolean;
}

export interface SkippedRow extends GridSize {
  engine: string;
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

/** One grid of a plan: the radii it is measured at, and whether the NumPy peer runs it (at the plan's peer radius). */
export interface Case extends GridSize {
  radii: number[];
  peer: boolean;
}

export interface Plan {
  cases: Case[];
  repeats: number;
  targetSeconds: number;
  rowBudgetSeconds: number;
  roofline: { bytes: number; fmaThreads: number; fmaIterations: number };
  peerRadius: number;
}

const square = (n: number): GridSize => ({ nx: n, ny: n });
const cellsOf = (g: GridSize) => g.nx * g.ny;
/** A grid as the tables write it: "1024²", "4096 × 256". */
export const gridLabel = (g: GridSize): string => (g.nx === g.ny ? `${g.nx}²` : `${g.nx} × ${g.ny}`);

/**
 * Beside the powers of two, 1000² (the same config as 1024² but for the side,
 * so their ratio is the price of a side that is not a power of two: the FFT
 * runs mixed radix 2·5 lines, the stencil a last tile part empty) and a 4096 ×
 * 256 strip (as many cells as 1024², one side 16 times the other).
 */
const OFF_POWER: GridSize[] = [square(1000), { nx: 4096, ny: 256 }];

/** The plan of a mode, on grids of at most `maxCells` cells (what the adapter's buffers hold). */
export function benchPlan(mode: BenchMode, maxCells: number): Plan {
  const fits = (c: Case) => cellsOf(c) <= maxCells;
  if (mode === 'smoke') {
    return { cases: [{ ...square(32), radii: [2], peer: true }], repeats: 1, targetSeconds: 0.01, rowBudgetSeconds: 10, roofline: { bytes: 1 << 20, fmaThreads: 1 << 12, fmaIterations: 64 }, peerRadius: 2 };
  }
  if (mode === 'quick') {
    const cases: Case[] = [
      { ...square(256), radii: [2, 4, 8, 16], peer: true },
      { ...square(1000), radii: [4], peer: true },
      { ...square(1024), radii: [4], peer: true },
      { ...OFF_POWER[1], radii: [4], peer: true },
    ];
    return {
      cases: cases.filter(fits),
      repeats: 3,
      targetSeconds: 0.3,
      rowBudgetSeconds: 25,
      roofline: { bytes: 64 << 20, fmaThreads: 1 << 16, fmaIterations: 1024 },
      peerRadius: 4,
    };
  }
  const grids: GridSize[] = [...OFF_POWER];
  for (let n = 256; n <= 16384; n *= 2) grids.push(square(n));
  const cases = grids
    .map((g) => ({ ...g, radii: [2, 4, 8, 16], peer: cellsOf(g) <= 2048 * 2048 }))
    .filter(fits)
    .sort((a, b) => cellsOf(a) - cellsOf(b) || a.ny - b.ny);
  return {
    cases,
    repeats: 5,
    targetSeconds: 1,
    rowBudgetSeconds: 120,
    roofline: { bytes: 256 << 20, fmaThreads: 1 << 20, fmaIterations: 4096 },
    peerRadius: 4,
  };
}

/** The benchmark's field: Δx = Δy = 1 on nx × ny cells (a number: a square), a shifted Gaussian truncated at `radius` cells, linear transfer. */
export function benchConfig(grid: number | GridSize, radius: number): Config {
  const { nx, ny } = typeof grid === 'number' ? square(grid) : grid;
  return parseConfig({
    grid: nx === ny ? { n: nx, length: nx } : { n: [nx, ny], length: [nx, ny] },
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
  // The plan's grids are those whose field the adapter's buffers hold (largestGrid: the side of the largest square).
  const maxCells = gpu ? largestGrid(gpu.device.limits) ** 2 : 4096 * 4096;
  const p = benchPlan(mode, maxCells);
  const notes: string[] = [];
  const rows: BenchReport['rows'] = [];
  let roofline: Roofline | null = null;
  if (gpu) {
    log('roofline: copy bandwidth and FMA rate');
    roofline = await measureRoofline(gpu.device, { ...p.roofline, repeats: p.repeats });
  } else {
    notes.push(`GPU rows skipped: ${env.gpu && 'unavailable' in env.gpu ? env.gpu.unavailable : 'no device'}`);
  }

  for (const size of p.cases) {
    const name = gridLabel(size);
    for (const radius of size.radii) {
      const config = benchConfig(size, radius);
      for (const path of gpu && roofline ? (['stencil', 'fft'] as const) : []) {
        log(`gpu ${path} ${name} r${radius}`);
        const row = await timed(gpuMaker(gpu!.device, gpu!.description, config, path), config, p, 'gpu');
        if ('skipped' in row) rows.push({ ...row, engine: `gpu (${path})` });
        else {
          const cost = gpuStepCost(config, path);
          const rate = row.cellStepsPerSecond.median;
          rows.push({ ...row, cost, bandwidthFraction: (cost.bytes * rate) / roofline!.bandwidth.median, flopsFraction: (cost.flops * rate) / roofline!.flops.median });
        }
      }
      log(`cpu ${name} r${radius}`);
      rows.push(await timed(cpuMaker(config), config, p, 'cpu'));
      if (size.peer && radius === p.peerRadius) {
        log(`numpy ${name} r${radius}`);
        const peer = env.peer ? await env.peer(config, Math.max(1, Math.round(p.targetSeconds * 4)), p.repeats) : 'no Python here (browser)';
        if (typeof peer === 'string') {
          rows.push({ engine: 'numpy', nx: size.nx, ny: size.ny, radius, skipped: peer });
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
    const { nx, ny } = gridOf(config);
    return { engine, nx, ny, radius: config.kernel.radius!, skipped: `one step takes ${stepSeconds.toFixed(2)} s: ${p.repeats + 1} runs exceed the row's ${p.rowBudgetSeconds} s budget` };
  }
  return measureEngine(make, config, { steps, warmup: steps, repeats: p.repeats });
}
