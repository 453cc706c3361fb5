import { describe, expect, it } from 'vitest';
import { cellValue, stepCoefficients } from '../../src/model/coefficients.js';
import { noiseStencil } from '../../src/model/kernels.js';
import { smallLinear } from '../helpers.js';

describe('step coefficients', () => {
  it('are the formulas of docs/model.md §2 and §4 for a uniform config, computed once per config', () => {
    const config = smallLinear({ grid: { n: 16, length: 8 } });
    const c = stepCoefficients(config);
    const dx = 0.5;
    expect(c.grid.dx).toBe(dx);
    expect(c.area).toBe(dx * dx);
    expect(c.noiseScale).toBeCloseTo(Math.sqrt(2 * 0.05 * 0.05) / dx, 15);
    expect(c.entropyWeight).toBeCloseTo((dx * dx) / (2 * 0.05), 15);
    expect(cellValue(c.noiseScale, 17)).toBe(c.noiseScale);
    expect(c.correlated).toBeUndefined();
    expect(stepCoefficients(config)).toBe(c);
  });

  it('give the correlated noise a filter whose 1-D factor is separable and a spectrum with the white floor', () => {
    const config = smallLinear({ noise: { amplitude: 0.05, correlationLength: 1, whiteFraction: 0.2 } });
    const g = stepCoefficients(config).correlated!;
    const full = noiseStencil(config)!;
    const size = 2 * g.radii.x + 1;
    expect(full.sizeX).toBe(size);
    expect(full.sizeY).toBe(size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) expect(g.tapsY[y] * g.tapsX[x]).toBeCloseTo(full.weights[y * size + x], 14);
    expect(g.shapedWeight ** 2 + g.floorWeight ** 2).toBeCloseTo(1, 15);
    let min = Infinity;
    for (let k = 0; k < g.power.length; k++) {
      expect(g.power[k] * g.inversePower[k]).toBeCloseTo(1, 14);
      min = Math.min(min, g.power[k]);
    }
    expect(min).toBeGreaterThanOrEqual(0.2 - 1e-12);
  });
});
