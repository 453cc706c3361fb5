import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { benchConfig } from '../../bench/core/plan.js';
import { assertAgrees, CHECKED, writeCheckCase, type CheckResult } from '../../bench/peers/check-case.js';
import { numpyRows } from '../../bench/peers/numpy-peer.js';
import { inScratch } from '../../bench/peers/python.js';
import { torchRows } from '../../bench/peers/torch-peer.js';

const exec = promisify(execFile);
const peers = fileURLToPath(new URL('../../bench/peers/', import.meta.url));
const has = (code: string, interpreter = 'python3') => {
  try {
    execFileSync(interpreter, ['-c', code], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const python = has('pass');
const numpy = python && has('import numpy, scipy');
/** The PyTorch peer's logic runs on the CPU too (TORCH_PEER_DEVICE=cpu) where $PYTHON has torch; CI has none: skipped there. */
const torchPython = process.env.PYTHON ?? 'python3';
const torch = has('import torch, numpy, scipy', torchPython);
const spread = (median: number) => ({ median, min: median, max: median });

describe('the Python peers', () => {
  it.skipIf(!python)('both scripts compile (the PyTorch one runs only where torch sees a CUDA device)', async () => {
    // py_compile's byte code goes to a scratch folder: nothing is written beside the scripts.
    await inScratch(async (dir) => {
      for (const script of ['numpy_step.py', 'torch_step.py']) {
        const compile = 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)';
        await expect(exec('python3', ['-c', compile, join(peers, script), join(dir, `${script}c`)])).resolves.toBeDefined();
      }
    });
  });

  it.skipIf(!numpy)('NumPy steps with and without the estimator to the CPU reference; the timed no-estimator run ends on the with-estimator field', async () => {
    for (const config of CHECKED) {
      await inScratch(async (dir) => {
        await writeCheckCase(config, dir);
        const { stdout } = await exec('python3', [join(peers, 'numpy_step.py'), 'check', dir]);
        const results = JSON.parse(stdout) as Record<string, CheckResult>;
        expect(Object.keys(results)).toEqual(['fft', 'fft-noest', 'direct']);
        expect(results['fft-noest'].entropyRelativeError).toBeNull();
        assertAgrees('NumPy peer', config, results, { field: 1e-9, entropy: 1e-9 });
      });
    }
    await inScratch(async (dir) => {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(benchConfig(32, 2)));
      const { stdout } = await exec('python3', [join(peers, 'numpy_step.py'), 'time', join(dir, 'config.json'), '--seconds', '0.01', '--repeats', '2']);
      const t = JSON.parse(stdout);
      expect(t.noEstimatorFieldDifference).toBe(0);
      expect(t['fft-noest'].steps).toBe(t.fft.steps);
    });
  });

  it.skipIf(!numpy)("NumPy's no-estimator check refuses a planted mismatch", async () => {
    const code = `import sys; sys.path.insert(0, ${JSON.stringify(peers)}); import numpy as np, numpy_step as m
a = np.full((4, 4), 0.5); b = a.copy()
assert m.same_field(a, b) == 0
b[1, 2] += 0.045
m.same_field(a, b)`;
    await expect(exec('python3', ['-B', '-c', code])).rejects.toThrow(/fft-noest: output check failed: its field differs/);
  });

  it.skipIf(!torch)('PyTorch (on the CPU here) steps with and without the estimator to the CPU reference in both precisions, and times both to the same field', async () => {
    const env = { ...process.env, TORCH_PEER_DEVICE: 'cpu', PYTHONDONTWRITEBYTECODE: '1' };
    const script = join(peers, 'torch_step.py');
    for (const config of CHECKED) {
      await inScratch(async (dir) => {
        await writeCheckCase(config, dir);
        for (const [dtype, tolerance] of [['float64', { field: 1e-9, entropy: 1e-9 }], ['float32', { field: 1e-4, entropy: 1e-3 }]] as const) {
          const { stdout } = await exec(torchPython, [script, 'check', dir, '--dtype', dtype], { env });
          const results = JSON.parse(stdout) as Record<string, CheckResult>;
          expect(Object.keys(results)).toEqual(['fft', 'fft-noest']);
          assertAgrees(`PyTorch peer, ${dtype}`, config, results, tolerance);
        }
      });
    }
    await inScratch(async (dir) => {
      writeFileSync(join(dir, 'config.json'), JSON.stringify(benchConfig(64, 4)));
      const { stdout } = await exec(torchPython, [script, 'time', join(dir, 'config.json'), '--seconds', '0.01', '--repeats', '2'], { env });
      const t = JSON.parse(stdout);
      expect(t).toMatchObject({ device: 'cpu', dtype: 'float32', noEstimatorFieldDifference: 0 });
      expect(t['fft-noest'].steps).toBe(t.fft.steps);
    });
  });

  it('a peer that misses the CPU reference is refused; a method with no entropy sums is judged on its field', () => {
    const config = CHECKED[0];
    const ok: CheckResult = { fieldRelativeError: 1e-12, entropyRelativeError: 1e-12 };
    expect(() => assertAgrees('peer', config, { fft: ok, 'fft-noest': { fieldRelativeError: 1e-12, entropyRelativeError: null } }, { field: 1e-9, entropy: 1e-9 })).not.toThrow();
    expect(() => assertAgrees('peer', config, { 'fft-noest': { fieldRelativeError: 1e-3, entropyRelativeError: null } }, { field: 1e-9, entropy: 1e-9 })).toThrow(/peer \(fft-noest\) disagrees .* 32 × 32/);
  });

  it('rows: the no-estimator twin beside each FFT row, the faster mark on rows with the estimator only', () => {
    const config = benchConfig(1024, 16);
    const n = numpyRows(config, { numpy: '2', scipy: '1', fft: { ...spread(3e6), steps: 2 }, 'fft-noest': { ...spread(4e6), steps: 2 }, direct: { ...spread(1e6), steps: 1 }, noEstimatorFieldDifference: 0 });
    expect(n.map((r) => [r.engine, r.estimator, r.fastest])).toEqual([['numpy-fft', true, true], ['numpy-fft', false, false], ['numpy-direct', true, false]]);
    expect(n[1].check).toMatch(/= field with estimator \(bitwise\)/);
    const t = torchRows(config, { torch: '2.11', device: 'NVIDIA H100', dtype: 'float32', fft: { ...spread(1e9), steps: 500 }, 'fft-noest': { ...spread(2e9), steps: 500 }, noEstimatorFieldDifference: 3e-8 });
    expect(t.map((r) => [r.engine, r.estimator, r.method])).toEqual([['torch-fft', true, 'torch.fft, float32, NVIDIA H100'], ['torch-fft', false, 'torch.fft, float32, NVIDIA H100']]);
    expect(t[1]).toMatchObject({ nx: 1024, ny: 1024, radius: 16, check: expect.stringMatching(/= field with estimator \(to 3\.0e-8\)/) });
  });
});
