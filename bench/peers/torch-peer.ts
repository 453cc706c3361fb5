import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gridOf } from '../../src/config/geometry.js';
import type { Config } from '../../src/config/schema.js';
import type { PeerRunner, PeerTiming } from '../core/runner.js';
import { sameFieldCheck } from '../core/same-dynamics.js';
import type { PeerRow } from '../core/rows.js';
import type { Spread } from '../core/stats.js';
import { assertAgrees, CHECKED, writeCheckCase, type CheckResult } from './check-case.js';
import { inScratch, PYTHON, pythonLacks, runScript } from './python.js';

const SCRIPT = fileURLToPath(new URL('./torch_step.py', import.meta.url));
/**
 * float64 on the GPU: the order of summation alone differs from the CPU
 * reference. float32 (what is timed): the tolerances amari-ep's own GPU
 * engine is held to against the same reference (test/gpu/gpu-engine.test.ts).
 */
const TOLERANCES = {
  float64: { field: 1e-9, entropy: 1e-9 },
  float32: { field: 1e-4, entropy: 1e-3 },
} as const;

/** What `torch_step.py time` prints. */
interface Timing {
  torch: string;
  device: string;
  dtype: string;
  fft: Spread & { steps: number };
  'fft-noest': Spread & { steps: number };
  noEstimatorFieldDifference: number;
}

/** Before it is timed, the peer must reproduce amari-ep's CPU field and entropy sums in both precisions. */
async function checkPeer(): Promise<void> {
  for (const config of CHECKED) {
    await inScratch(async (dir) => {
      await writeCheckCase(config, dir);
      for (const [dtype, tolerance] of Object.entries(TOLERANCES)) {
        const results = (await runScript(SCRIPT, ['check', dir, '--dtype', dtype])) as Record<string, CheckResult>;
        assertAgrees(`PyTorch peer, ${dtype}`, config, results, tolerance);
      }
    });
  }
}

export function torchRows(config: Config, t: Timing): PeerRow[] {
  const { nx, ny } = gridOf(config);
  const base = {
    engine: 'torch-fft' as const, method: `torch.fft, ${t.dtype}, ${t.device}`, versions: `PyTorch ${t.torch}`, nx, ny, radius: config.kernel.radius!, fastest: false,
    check: '= CPU reference (float64, float32); field finite, moving',
  };
  return [
    { ...base, estimator: true, cellStepsPerSecond: t.fft },
    { ...base, estimator: false, cellStepsPerSecond: t['fft-noest'], check: `${base.check}; ${sameFieldCheck(t.noEstimatorFieldDifference)}` },
  ];
}

/** The PyTorch peer on a CUDA GPU, or the reason it is skipped (no torch, or no CUDA device for it). */
export async function torchPeer(): Promise<PeerRunner | string> {
  // TORCH_PEER_DEVICE=cpu (torch_step.py) runs it without a GPU: a check of the plumbing, not a peer worth timing.
  const missing = await pythonLacks(
    'import os, numpy, scipy, torch; assert os.environ.get("TORCH_PEER_DEVICE", "cuda") != "cuda" or torch.cuda.is_available(), "torch sees no CUDA device"',
  );
  if (missing) return `PyTorch peer skipped: ${PYTHON} with torch on a CUDA device is not available (${missing})`;
  await checkPeer();
  return {
    name: 'torch',
    run: (config: Config, timing: PeerTiming) =>
      inScratch(async (dir) => {
        const file = join(dir, 'config.json');
        writeFileSync(file, JSON.stringify(config));
        const t = (await runScript(SCRIPT, ['time', file, '--seconds', String(timing.targetSeconds), '--repeats', String(timing.repeats)])) as Timing;
        return torchRows(config, t);
      }),
  };
}
