import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { encodeNpy } from '../../src/io/npy.js';
import { fillNormals, philoxKey, STREAM_NOISE } from '../../src/rng/philox.js';
import type { PeerRow, PeerRunner } from '../core/runner.js';
import { benchConfig } from '../core/runner.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./numpy_step.py', import.meta.url));
const PYTHON = process.env.PYTHON ?? 'python3';
/** float64 both sides; only the order of summation differs. */
const CHECK_TOLERANCE = 1e-9;

async function python(args: string[]): Promise<unknown> {
  const { stdout } = await run(PYTHON, [SCRIPT, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout);
}

/**
 * The grids the peer is checked on: the benchmark's square, and a rectangle
 * whose cells are not square (Δx = 1, Δy = 1.5), so that a peer that mixed up
 * x and y, or Δx² and the cell area, would disagree.
 */
const CHECKED: Config[] = [benchConfig(32, 4), parseConfig({ ...benchConfig(32, 4), grid: { n: [24, 10], length: [24, 15] } })];

/**
 * Before it is timed, the peer must step small grids to the same field as
 * amari-ep's CPU engine from the same start and the same normals (Philox,
 * written out), and sum the same entropy: a peer that computes something else
 * measures nothing.
 */
async function checkPeer(): Promise<void> {
  for (const config of CHECKED) await checkPeerOn(config);
}

async function checkPeerOn(config: Config): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'amari-peer-'));
  try {
    const engine = new CpuEngine(config, 1);
    const estimator = await engine.observe(entropyProduction(1));
    const u0 = await engine.readField();
    const steps = 3;
    const { cells, shape } = gridOf(config);
    const xi = new Float64Array(steps * cells);
    // The Philox counter's cell index is the flat index iy·nx + ix (docs/model.md §7).
    for (let s = 0; s < steps; s++) fillNormals(xi.subarray(s * cells, (s + 1) * cells), s, 0, STREAM_NOISE, philoxKey(config.seed));
    await engine.advance(steps);
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'u0.npy'), encodeNpy(u0, shape));
    writeFileSync(join(dir, 'xi.npy'), encodeNpy(xi, [steps, ...shape]));
    writeFileSync(join(dir, 'expected.npy'), encodeNpy(await engine.readField(), shape));
    writeFileSync(join(dir, 'expected_sums.npy'), encodeNpy(Float64Array.from(estimator.blocks().sums), [steps]));
    const result = (await python(['check', dir])) as Record<string, { fieldRelativeError: number; entropyRelativeError: number }>;
    for (const [method, r] of Object.entries(result)) {
      if (!(r.fieldRelativeError < CHECK_TOLERANCE && r.entropyRelativeError < CHECK_TOLERANCE)) {
        const grid = gridOf(config);
        throw new Error(`NumPy peer (${method}) disagrees with the CPU reference on ${grid.nx} × ${grid.ny}: field ${r.fieldRelativeError}, entropy ${r.entropyRelativeError}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The NumPy/SciPy peer, or the reason it is skipped (no python3, no numpy or scipy). */
export async function numpyPeer(): Promise<PeerRunner | string> {
  try {
    await run(PYTHON, ['-c', 'import numpy, scipy']);
  } catch (e) {
    return `NumPy peer skipped: ${PYTHON} with numpy and scipy is not available (${(e as Error).message.split('\n')[0]})`;
  }
  await checkPeer();
  return async (config: Config, steps: number, repeats: number) => {
    const dir = mkdtempSync(join(tmpdir(), 'amari-peer-'));
    try {
      const file = join(dir, 'config.json');
      writeFileSync(file, JSON.stringify(config));
      const r = (await python(['time', file, '--steps', String(steps), '--repeats', String(repeats)])) as Record<string, PeerRow['cellStepsPerSecond']>;
      const fastest = r.fft.median >= r.direct.median ? 'fft' : 'direct';
      const { nx, ny } = gridOf(config);
      return (['fft', 'direct'] as const).map((m) => ({
        engine: `numpy-${m}` as const,
        nx,
        ny,
        radius: config.kernel.radius!,
        cellStepsPerSecond: r[m],
        fastest: m === fastest,
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
