import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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
 * Before it is timed, the peer must step a small grid to the same field as
 * amari-ep's CPU engine from the same start and the same normals (Philox,
 * written out), and sum the same entropy: a peer that computes something else
 * measures nothing.
 */
async function checkPeer(): Promise<void> {
  const config = benchConfig(32, 4);
  const dir = mkdtempSync(join(tmpdir(), 'amari-peer-'));
  try {
    const engine = new CpuEngine(config, 1);
    const estimator = await engine.observe(entropyProduction(1));
    const u0 = await engine.readField();
    const steps = 3;
    const N = config.grid.n ** 2;
    const xi = new Float64Array(steps * N);
    for (let s = 0; s < steps; s++) fillNormals(xi.subarray(s * N, (s + 1) * N), s, 0, STREAM_NOISE, philoxKey(config.seed));
    await engine.advance(steps);
    const n = config.grid.n;
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    writeFileSync(join(dir, 'u0.npy'), encodeNpy(u0, [n, n]));
    writeFileSync(join(dir, 'xi.npy'), encodeNpy(xi, [steps, n, n]));
    writeFileSync(join(dir, 'expected.npy'), encodeNpy(await engine.readField(), [n, n]));
    writeFileSync(join(dir, 'expected_sums.npy'), encodeNpy(Float64Array.from(estimator.blocks().sums), [steps]));
    const result = (await python(['check', dir])) as Record<string, { fieldRelativeError: number; entropyRelativeError: number }>;
    for (const [method, r] of Object.entries(result)) {
      if (!(r.fieldRelativeError < CHECK_TOLERANCE && r.entropyRelativeError < CHECK_TOLERANCE)) {
        throw new Error(`NumPy peer (${method}) disagrees with the CPU reference: field ${r.fieldRelativeError}, entropy ${r.entropyRelativeError}`);
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
      return (['fft', 'direct'] as const).map((m) => ({
        engine: `numpy-${m}` as const,
        n: config.grid.n,
        radius: config.kernel.radius!,
        cellStepsPerSecond: r[m],
        fastest: m === fastest,
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
