import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { uniformFixedPoint } from '../../src/model/fixed-point.js';
import { describeUniformFixedPoints, uniformFixedPoints, uniformFixedPointsOf } from '../../src/model/fixed-points.js';
import { kernelStencil } from '../../src/model/kernels.js';
import { stencilSum } from '../../src/model/stencil.js';
import { transferFunction } from '../../src/model/transfer.js';

/** A sigmoid field with three uniform fixed points: quiet, threshold (unstable), active. */
const threeRoots: ConfigInput = {
  grid: { n: 8, length: 8 },
  tau: 1,
  transfer: { type: 'sigmoid', gain: 10, threshold: 0.5 },
  kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [0, 0], radius: 3 },
  input: 0.02,
  noise: { amplitude: 0.01 },
  dt: 0.05,
};

/** Roots of −u + S f(u) + h by a direct, much finer scan, with the slope by central differences. */
function directScan(S: number, h: number, f: (u: number) => number): { u: number; dfS: number }[] {
  const roots: { u: number; dfS: number }[] = [];
  const lo = h - Math.abs(S) - 1;
  const hi = h + Math.abs(S) + 1;
  const steps = 2_000_000;
  const g = (u: number) => -u + S * f(u) + h;
  let a = lo;
  let ga = g(a);
  for (let k = 1; k <= steps; k++) {
    const b = lo + ((hi - lo) * k) / steps;
    const gb = g(b);
    if (ga * gb < 0) {
      const u = a - (ga * (b - a)) / (gb - ga);
      const e = 1e-6;
      roots.push({ u, dfS: (S * (f(u + e) - f(u - e))) / (2 * e) });
    }
    a = b;
    ga = gb;
  }
  return roots;
}

describe('uniform fixed points (docs/model.md §9.6)', () => {
  it('finds all three roots of a bistable sigmoid field and classifies them like a direct scan', () => {
    const config = parseConfig(threeRoots);
    const S = stencilSum(kernelStencil(config));
    const points = uniformFixedPoints(config);
    const scan = directScan(S, 0.02, transferFunction(config.transfer));
    expect(scan).toHaveLength(3);
    expect(points).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      expect(points[i].u).toBeCloseTo(scan[i].u, 8);
      expect(points[i].uniformGain).toBeCloseTo(scan[i].dfS, 6);
      expect(points[i].uniformStable).toBe(scan[i].dfS < 1);
      // Each is a root to rounding.
      expect(Math.abs(-points[i].u + S * transferFunction(config.transfer)(points[i].u) + 0.02)).toBeLessThan(1e-12);
    }
    expect(points.map((p) => p.uniformStable)).toEqual([true, false, true]);
    // uniformFixedPoint keeps its choice: the lowest one stable to uniform perturbations.
    expect(uniformFixedPoint(config)).toBe(points[0].u);
  });

  it('finds the single root of tanh and of a linear field', () => {
    const tanh = parseConfig({ ...threeRoots, transfer: { type: 'tanh', gain: 0.5, threshold: 0 } });
    const points = uniformFixedPoints(tanh);
    expect(points).toHaveLength(1);
    expect(points[0].uniformStable).toBe(true);
    const linear = parseConfig({ ...threeRoots, transfer: { type: 'linear', slope: 0.5 } });
    const S = stencilSum(kernelStencil(linear));
    expect(uniformFixedPoints(linear)).toEqual([
      { u: 0.02 / (1 - 0.5 * S), slope: 0.5, uniformGain: 0.5 * S, uniformStable: true },
    ]);
    expect(uniformFixedPointsOf(2, 0.1, { type: 'linear', slope: 0.5 })).toEqual([]);
  });

  it('states each point and its classification in words', () => {
    const text = describeUniformFixedPoints(uniformFixedPoints(parseConfig(threeRoots)));
    expect(text.split('; ')).toHaveLength(3);
    expect(text).toMatch(/u\* = .*unstable to uniform perturbations/);
    expect(describeUniformFixedPoints([])).toBe('none');
  });

  it('has none where the input is a map: the fixed point is then a field', () => {
    const mapped = parseConfig({ ...threeRoots, input: { pattern: 'stripe', axis: 'x', center: 4, width: 2, inside: 0.1, outside: 0.02 } });
    expect(() => uniformFixedPoints(mapped)).toThrow(/no uniform fixed point: input or transfer.slope is a map/);
  });
});
