import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { gridOf } from '../../src/config/geometry.js';
import { loadConfigFile } from '../../src/config/load-file.js';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { presetNames } from '../../src/config/presets.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { kernelAbsSumBound, MIN_STEP_ULPS, PRECISION_LIMITS, representationProblem } from '../../src/engine/representable.js';
import { gpuUnsupported } from '../../src/gpu/capabilities.js';
import { GpuError } from '../../src/gpu/errors.js';
import { kernelStencil } from '../../src/model/kernels.js';
import { createEngine } from '../../src/run/create-engine.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { simulate } from '../../src/run/simulate.js';

/** A shifted linear field on 8² cells (Δx = 1), stable, with a few fields replaced. */
function small(over: Partial<ConfigInput> = {}): Config {
  return parseConfig({
    grid: { n: 8, length: 8 },
    tau: 1,
    transfer: { type: 'linear', slope: 0.8 },
    kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [0.7, 0], radius: 2 },
    input: 0.1,
    noise: { amplitude: 0.05 },
    dt: 0.05,
    seed: 5,
    initial: { type: 'fixed-point' },
    ...over,
  });
}

function refusal(config: Config): string {
  try {
    assertRunnable(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('numbers a run cannot represent are refused before it (issue 14)', () => {
  it('accepts every preset and example in both precisions', () => {
    const configs = [...presetNames.map(presetConfig), ...['irreversible-256', 'relax-small', 'shifted-16'].map((f) => loadConfigFile(`examples/${f}.json`))];
    for (const config of configs) {
      expect(representationProblem(config, 'float64')).toBeUndefined();
      expect(representationProblem(config, 'float32')).toBeUndefined();
    }
  });

  it('refuses the four cases of the issue, naming the field and what is allowed', () => {
    expect(refusal(small({ initial: { type: 'random', std: 1e300 } }))).toMatch(
      /^invalid configuration: initial\.std = 1e\+300: the random initial field reaches \|u\| ≈ 5\.88705e\+300, too large for the CPU engine \(float64\); allowed: scales from 1e-64 to 1e\+64/,
    );
    expect(refusal(small({ dt: 1e-300 }))).toMatch(/dt = 1e-300 with tau = 1: .* \(u \+ dt·F rounds to u\); allowed: dt\/τ ≥ 3\.55271e-15 \(16 units in the last place\)/);
    expect(refusal(small({ noise: { amplitude: 1e300 } }))).toMatch(/noise\.amplitude: D = 1e\+300 .* √\(2·D·dt\/a\) = 3\.16228e\+149 .* too large for the CPU engine/);
    expect(refusal(small({ tau: 1e308 }))).toMatch(/dt = 0\.05 with tau = 1e\+308: the leak −u\/τ moves u by dt\/τ = 5e-310/);
  });

  it('puts the step limit at dt/τ = 16ε of the engine: float64 on the CPU, float32 on the GPU', () => {
    for (const precision of ['float64', 'float32'] as const) {
      const edge = MIN_STEP_ULPS * PRECISION_LIMITS[precision].epsilon;
      expect(representationProblem(small({ dt: edge * 1.001 }), precision)).toBeUndefined();
      expect(representationProblem(small({ dt: edge * 0.999 }), precision)).toMatch(/rounds to u/);
    }
  });

  it('refuses a noise too weak to survive rounding, an input or a drift out of range, each naming its cause', () => {
    expect(refusal(small({ noise: { amplitude: 1e-300 } }))).toMatch(/noise\.amplitude: D = 1e-300 .* too small for the CPU engine \(float64\) \(their squares underflow\)/);
    expect(refusal(small({ input: 1e70 }))).toMatch(/input: \|h\| up to 1e\+70 puts the fixed point at \|u\*\| ≈ 5\.\d+e\+70/);
    expect(refusal(small({ input: { pattern: 'disc', center: [4, 4], radius: 2, inside: 1e70, outside: 0 } }))).toMatch(/input: \|h\| up to 1e\+70/);
    expect(refusal(small({ kernel: { type: 'gaussian', amplitude: 1e70, sigma: 0.6, shift: [0.7, 0], radius: 2 }, transfer: { type: 'sigmoid', gain: 1, threshold: 0 } }))).toMatch(
      /^invalid configuration: kernel: Σ\|W\| up to 2\.77\d*e\+70 lets the sigmoid transfer drive the field to \|u\| ≈ 2\.77\d*e\+70, too large/,
    );
    // A tiny tau: the drift (−u + K f(u) + h)/τ overflows the range.
    expect(refusal(small({ tau: 1e-70, dt: 1e-71 }))).toMatch(/the drift F = \(−u \+ K f\(u\) \+ h\)\/τ reaches about .*e\+\d+ .* tau = 1e-70\), too large/);
    // u* = h/(1 − 0.8·ΣW) ≈ 5e12: noise increments of 4.5e-11 vanish beside it in float64 (16 ulps of 5e12 are 1.8e-2).
    expect(refusal(small({ input: 1e12, noise: { amplitude: 1e-20 } }))).toMatch(/less than the CPU engine \(float64\) resolves beside the field's level \|u\| ≈ 5\.014e\+12 /);
  });

  it('runs to finite numbers and error bars > 0 just inside the float64 range, at both ends', async () => {
    const cases: [Config, string][] = [
      [small({ noise: { amplitude: 1e124 }, input: 0 }), 'large: field ≈ 1e62'],
      [small({ noise: { amplitude: 1e-120 }, input: 0, initial: { type: 'zero' } }), 'small: field ≈ 1e-60'],
    ];
    for (const [config, label] of cases) {
      expect(representationProblem(config, 'float64'), label).toBeUndefined();
      const engine = new CpuEngine(config, 1);
      const result = await simulate(engine, { steps: 40, burnIn: 10, blocks: 4 });
      engine.dispose();
      for (const x of [result.epr.estimate, result.epr.stderr, result.cellVariance.estimate, result.cellVariance.stderr]) expect(Number.isFinite(x), label).toBe(true);
      expect(result.epr.stderr, label).toBeGreaterThan(0);
      expect(result.cellVariance.stderr, label).toBeGreaterThan(0);
    }
    // A hundred times further out, the same configs are refused.
    expect(representationProblem(small({ noise: { amplitude: 1e130 }, input: 0 }), 'float64')).toMatch(/too large/);
    expect(representationProblem(small({ noise: { amplitude: 1e-130 }, input: 0, initial: { type: 'zero' } }), 'float64')).toMatch(/too small/);
  });

  it('sends a config that only float64 can carry to the CPU under --backend auto, and refuses it under gpu', async () => {
    // dt/τ = 1e-6: 4500 ulps of float64, under 16 of float32.
    const config = small({ dt: 1e-6 });
    expect(() => assertRunnable(config)).not.toThrow();
    expect(gpuUnsupported(config)).toMatch(/dt = 1e-6 with tau = 1: .* less than the GPU engine \(float32\) resolves/);
    const { engine, note } = await createEngine(config, 'auto');
    expect(engine.backend.kind).toBe('cpu');
    expect(note).toMatch(/^CPU reference: dt = 1e-6 with tau = 1/);
    engine.dispose();
    await expect(createEngine(config, 'gpu')).rejects.toThrow(GpuError);
  });

  it('bounds Σ|W| of the sampled kernel from above (within a factor 3 for a Gaussian at least half a cell wide), on squares, rectangles and rings', () => {
    const kernels: ConfigInput['kernel'][] = [
      { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [0.7, 0], radius: 2 },
      { type: 'gaussian', amplitude: -3, sigma: 0.1, shift: [0.3, 0.2], radius: 1 },
      { type: 'gaussian', amplitude: 2, sigma: 1.5, shift: [0, 0] },
      { type: 'mexican-hat', excitation: { amplitude: 2, sigma: 0.6 }, inhibition: { amplitude: 1.5, sigma: 1.2 }, shift: [0.7, -0.5], radius: 3 },
    ];
    const grids = [{ n: 16, length: 16 }, { n: [32, 24], length: [16, 24] }, { n: 32, length: 16, dimensions: 1 }];
    for (const kernel of kernels) {
      for (const grid of grids) {
        const ring = 'dimensions' in grid;
        const config = small({ grid: grid as ConfigInput['grid'], kernel: ring ? { ...kernel, shift: (kernel.shift as number[])[0] } : kernel });
        const actual = kernelStencil(config).weights.reduce((s, w) => s + Math.abs(w), 0);
        const { dx, dy, dimensions } = gridOf(config);
        const bound = kernelAbsSumBound(config.kernel, dx, dy, dimensions);
        expect(bound, JSON.stringify({ kernel, grid })).toBeGreaterThanOrEqual(actual);
        // Only the bound holds where the weights cancel (a mexican hat's two parts) or a kernel far narrower
        // than a cell, shifted off the cell centres, samples almost nothing.
        if (kernel.type === 'gaussian' && kernel.sigma >= dx / 2) expect(bound, JSON.stringify({ kernel, grid })).toBeLessThan(3 * actual);
      }
    }
  });
});
