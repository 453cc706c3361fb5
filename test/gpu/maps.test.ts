import { describe, expect, it } from 'vitest';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Engine } from '../../src/engine/engine.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { useGpuDevice } from './device-fixture.js';
import { relativeFieldDifference } from '../../src/numeric/compare.js';

/**
 * Maps of noise, gain and input (docs/model.md §8) on the GPU: per-cell
 * coefficients through the generated accessors, and for correlated noise with
 * a noise map the estimator's diag(√D)·H·diag(1/√D) F; the same seed on both
 * engines gives the same field and entropy sums (float32 against float64).
 */
const gpu = useGpuDevice();

const stripe = presetConfig('noise-stripe');
const cases: [string, ConfigInput][] = [
  ['white noise with a noise stripe', stripe],
  ['correlated noise with a noise stripe and a white floor', { ...stripe, noise: { ...stripe.noise, correlationLength: 1, whiteFraction: 0.1 } }],
  ['a gain map with D ∝ 1/g', presetConfig('gain-balanced')],
  ['an input bump and a shifted kernel', { ...presetConfig('irreversible'), grid: { n: 16, length: 16 }, input: { pattern: 'bump', center: [8, 8], sigma: 2, base: 0.1, peak: 0.4 } }],
  // A sigmoid bump held by its input map: the stable state keeps float32 rounding from growing.
  ['the pinned-bump preset (sigmoid, initial bump, input map)', presetConfig('pinned-bump')],
];

async function observed(engine: Engine, steps: number) {
  const ep = await engine.observe(entropyProduction(20));
  await engine.advance(steps);
  return { sums: ep.blocks().sums, density: await ep.density(), field: await engine.readField() };
}

describe('maps on the GPU engine against the CPU reference', () => {
  it.each(cases)('%s: field to 1e-4, entropy sums to 1e-3', async (_name, input) => {
    const config = parseConfig(input);
    const g = await GpuEngine.create(gpu.device, gpu.description, config, 2);
    try {
      const [a, b] = [await observed(g, 200), await observed(new CpuEngine(config, 2), 200)];
      expect(relativeFieldDifference(a.field, b.field)).toBeLessThan(1e-4);
      a.sums.forEach((s, k) => expect(Math.abs(s - b.sums[k])).toBeLessThan(1e-3 * Math.max(1, Math.abs(b.sums[k]))));
      expect(relativeFieldDifference(a.density, b.density)).toBeLessThan(1e-3);
    } finally {
      g.dispose();
    }
  });
});
