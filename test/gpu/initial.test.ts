import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { initialField } from '../../src/engine/initial.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { useGpuDevice } from './device-fixture.js';
import { relativeFieldDifference } from '../../src/numeric/compare.js';

/** Bump and wave initial conditions reach the GPU engine through the same initialField as the CPU's. */
const gpu = useGpuDevice();

const sigmoid: ConfigInput = {
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'sigmoid', gain: 6, threshold: 0.5 },
  kernel: { type: 'mexican-hat', excitation: { amplitude: 4, sigma: 1.2 }, inhibition: { amplitude: 3, sigma: 2.4 }, shift: [0.5, 0], radius: 7 },
  input: 0,
  noise: { amplitude: 0.001 },
  dt: 0.05,
  seed: 4,
};

describe('GPU engine: initial bump and wave', () => {
  for (const initial of [
    { type: 'bump', center: [8, 8], width: 2, amplitude: 1.5, base: -0.2 },
    { type: 'wave', wavelength: 8, direction: [1, 2], amplitude: 0.8 },
  ] as ConfigInput['initial'][]) {
    it(`${initial!.type}: starts from the profile and follows the CPU reference`, async () => {
      const config = parseConfig({ ...sigmoid, initial });
      const g = await GpuEngine.create(gpu.device, gpu.description, config, 2);
      try {
        const start = await g.readField();
        const expected = initialField(config, 2);
        for (let i = 0; i < expected.length; i++) expect(Math.abs(start[i] - expected[i])).toBeLessThan(1e-6 * (1 + Math.abs(expected[i])));
        const c = new CpuEngine(config, 2);
        await g.advance(200);
        await c.advance(200);
        expect(relativeFieldDifference(await g.readField(), await c.readField())).toBeLessThan(1e-3);
      } finally {
        g.dispose();
      }
    });
  }
});
