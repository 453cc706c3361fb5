import { describe, expect, it } from 'vitest';
import { gridOf } from '../../src/config/geometry.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Observer } from '../../src/engine/observer.js';
import { shiftedGaussian, smallLinear, everyStep } from '../helpers.js';

/**
 * A synthetic observer of width 3 with a per-cell map and a parameter: per
 * replica (Σ u′, Σ (u′ − p)², Σ u·u′), and Σ u′ per cell in its map. What the
 * engine hands it is checked against the fields a probe observer sees.
 */
function probeObserver(param: number): Observer<{ steps: number[]; sums: Float64Array[]; map(): Promise<Float64Array>; detach(): void }> {
  return {
    name: 'probe3',
    width: 3,
    cellMap: true,
    params: ['offset'],
    cpu(view, params, out, map) {
      for (let r = 0; r < view.replicas; r++) {
        for (let j = r * view.cells; j < (r + 1) * view.cells; j++) {
          out[3 * r] += view.uNext[j];
          out[3 * r + 1] += (view.uNext[j] - params[0]) ** 2;
          out[3 * r + 2] += view.u[j] * view.uNext[j];
          map![j] += view.uNext[j];
        }
      }
    },
    start(link) {
      const steps: number[] = [];
      const sums: Float64Array[] = [];
      return {
        params: [param],
        add: (step, s) => {
          steps.push(step);
          sums.push(s.slice());
        },
        handle: { steps, sums, map: () => link.readMap(), detach: () => link.detach() },
      };
    },
  };
}

describe('CPU engine: the observer contract', () => {
  it('hands each attached observer its per-replica sums, its map and its params, from the next step on', async () => {
    const config = smallLinear({ kernel: shiftedGaussian, initial: { type: 'random', std: 0.2 } });
    const R = 2;
    const N = gridOf(config).cells;
    const engine = new CpuEngine(config, R);
    await engine.advance(5);
    const observed = await engine.observe(probeObserver(0.25));
    const fields: [Float64Array, Float64Array][] = [];
    const probe = await engine.observe(everyStep((_s, u, uNext) => fields.push([u, uNext])));
    await engine.advance(4);
    observed.detach();
    await engine.advance(2);
    probe.detach();
    expect(observed.steps).toEqual([5, 6, 7, 8]);
    const map = new Float64Array(R * N);
    observed.sums.forEach((sums, k) => {
      const [u, uNext] = fields[k];
      for (let r = 0; r < R; r++) {
        let [a, b, c] = [0, 0, 0];
        for (let j = r * N; j < (r + 1) * N; j++) {
          a += uNext[j];
          b += (uNext[j] - 0.25) ** 2;
          c += u[j] * uNext[j];
          map[j] += uNext[j];
        }
        expect(sums[3 * r]).toBeCloseTo(a, 12);
        expect(sums[3 * r + 1]).toBeCloseTo(b, 12);
        expect(sums[3 * r + 2]).toBeCloseTo(c, 12);
      }
    });
    expect(fields).toHaveLength(6);
    const got = await observed.map();
    for (let j = 0; j < R * N; j++) expect(got[j]).toBeCloseTo(map[j], 12);
  });

  it('refuses an observer that yields sums but has no CPU arithmetic', async () => {
    const engine = new CpuEngine(smallLinear());
    const gpuOnly: Observer<void> = { name: 'gpu_only', width: 1, wgsl: 'fn gpu_only_observe(c: ObservedCell) -> vec4f { return vec4f(0.0); }', start: () => ({ handle: undefined }) };
    await expect(engine.observe(gpuOnly)).rejects.toThrow(/observer gpu_only has no CPU arithmetic/);
  });
});
