import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Observer } from '../../src/engine/observer.js';
import { cellVariance } from '../../src/estimators/cell-variance/index.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { GpuError } from '../../src/gpu/errors.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { requestNodeDevice } from '../../src/gpu/node-device.js';
import { useGpuDevice } from './device-fixture.js';
import { relativeFieldDifference } from '../../src/numeric/compare.js';
import { Run } from '../../src/run/run.js';
import { everyStep, statisticsBase } from '../helpers.js';

/**
 * The observer contract on the GPU: a synthetic observer of width 5 (two
 * vec4f chunks with the others), with a per-cell map and a parameter, written
 * here in WGSL and in float64, against the CPU engine running the same
 * observer on the same seed.
 */
const gpu = useGpuDevice();

interface Probe {
  steps: number[];
  sums: Float64Array[];
  map(): Promise<Float64Array>;
  detach(): void;
}

/**
 * Per replica: Σ u′, Σ (u′ − p)², Σ u·u′, Σ F′², Σ F·F′; its map: Σ over steps of u′ − p.
 * `offset` p: one for every replica, or one per replica (the session's replicaParams).
 */
function probe(offset: number | number[]): Observer<Probe> {
  return {
    name: 'probe5',
    width: 5,
    cellMap: true,
    params: ['offset'],
    wgsl: `
fn probe5_observe(c: ObservedCell) -> array<vec4f, 2> {
  let u0 = observed_u(c);
  let f0 = observed_drift(c);
  let d = c.u_next - observer_params.probe5_offset;
  probe5_map[c.g] += d;
  return array<vec4f, 2>(vec4f(c.u_next, d * d, u0 * c.u_next, c.drift_next * c.drift_next), vec4f(f0 * c.drift_next, 0.0, 0.0, 0.0));
}`,
    cpu(view, params, out, map) {
      for (let r = 0; r < view.replicas; r++) {
        const p = params[r];
        const s = [0, 0, 0, 0, 0];
        for (let j = r * view.cells; j < (r + 1) * view.cells; j++) {
          const d = view.uNext[j] - p;
          s[0] += view.uNext[j];
          s[1] += d * d;
          s[2] += view.u[j] * view.uNext[j];
          s[3] += view.driftNext[j] ** 2;
          s[4] += view.drift[j] * view.driftNext[j];
          map![j] += d;
        }
        out.set(s, 5 * r);
      }
    },
    start(link) {
      const steps: number[] = [];
      const sums: Float64Array[] = [];
      return {
        ...(typeof offset === 'number' ? { params: [offset] } : { replicaParams: offset.map((o) => [o]) }),
        add(step, s) {
          steps.push(step);
          sums.push(s.slice());
        },
        handle: { steps, sums, map: () => link.readMap(), detach: () => link.detach() },
      };
    },
  };
}

async function pair(over: Partial<ConfigInput>, replicas: number) {
  const g = await GpuEngine.create(gpu.device, gpu.description, parseConfig({ ...statisticsBase, ...over }), replicas, { windowSteps: 16 });
  gpu.keep(g);
  return [g, new CpuEngine(g.config, replicas)] as const;
}

function expectClose(gpuSums: Float64Array[], cpuSums: Float64Array[], tolerance: number): void {
  expect(gpuSums.length).toBe(cpuSums.length);
  gpuSums.forEach((g, k) => {
    g.forEach((v, j) => expect(Math.abs(v - cpuSums[k][j]), `step ${k}, sum ${j}`).toBeLessThanOrEqual(tolerance * Math.abs(cpuSums[k][j]) + 1e-6));
  });
}

describe('GPU observers: the contract against the CPU engine', () => {
  it('a width-5 observer with a map and a parameter, beside entropy and variance: sums, map, detach', async () => {
    const [g, c] = await pair({}, 2);
    await g.advance(3);
    await c.advance(3);
    const [ge, ce] = [await g.observe(entropyProduction(10)), await c.observe(entropyProduction(10))];
    const [gp, cp] = [await g.observe(probe(0.5)), await c.observe(probe(0.5))];
    const [gv, cv] = [await g.observe(cellVariance(10)), await c.observe(cellVariance(10))];
    await g.advance(20);
    await c.advance(20);
    gp.detach();
    cp.detach();
    await g.advance(10);
    await c.advance(10);
    expect(gp.steps).toEqual(Array.from({ length: 20 }, (_, k) => 3 + k));
    expect(cp.steps).toEqual(gp.steps);
    expectClose(gp.sums, cp.sums, 1e-4);
    expect(relativeFieldDifference(await gp.map(), await cp.map())).toBeLessThan(1e-4);
    const [gb, cb] = [ge.blocks().sums, ce.blocks().sums];
    expect(gb).toHaveLength(3);
    gb.forEach((s, b) => expect(Math.abs(s - cb[b]) / Math.abs(cb[b])).toBeLessThan(1e-3));
    expect(Math.abs(gv.estimate().mean / cv.estimate().mean - 1)).toBeLessThan(1e-3);
  });

  it('per-replica parameters: each replica sums about its own offset, beside the variance with one reference for all', async () => {
    const [g, c] = await pair({}, 3);
    const offsets = [0.5, -0.25, 2];
    const [gp, cp] = [await g.observe(probe(offsets)), await c.observe(probe(offsets))];
    const [gv, cv] = [await g.observe(cellVariance(10)), await c.observe(cellVariance(10))];
    await g.advance(12);
    await c.advance(12);
    expectClose(gp.sums, cp.sums, 1e-4);
    expect(relativeFieldDifference(await gp.map(), await cp.map())).toBeLessThan(1e-4);
    // The CPU sums about params[r]: one offset on the GPU for all replicas would miss replicas 1 and 2 by far more than rounding.
    expect(Math.abs(gv.estimate().mean / cv.estimate().mean - 1)).toBeLessThan(1e-3);
  });

  it('per-replica parameters must be one row per replica', async () => {
    const [g, c] = await pair({}, 2);
    await expect(g.observe(probe([1, 2, 3]))).rejects.toThrow(/gives parameters for 3 replica\(s\), not the engine's 2/);
    await expect(c.observe(probe([1]))).rejects.toThrow(/gives parameters for 1 replica\(s\), not the engine's 2/);
  });

  it('other observers do not change the entropy sums (their chunks reduce apart)', async () => {
    const [a] = await pair({}, 2);
    const [b] = await pair({}, 2);
    const alone = await a.observe(entropyProduction(5));
    const beside = await b.observe(entropyProduction(5));
    await b.observe(probe(0.25));
    await b.observe(cellVariance(5));
    await a.advance(20);
    await b.advance(20);
    expect(beside.blocks()).toEqual(alone.blocks());
    expect(Array.from(await beside.density())).toEqual(Array.from(await alone.density()));
  });

  it('correlated noise: the probe runs fused in the drift (it needs no H); with entropy as well, the observe pass binds both maps', async () => {
    const over: Partial<ConfigInput> = { noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 } };
    const [g, c] = await pair(over, 2);
    const [gp, cp] = [await g.observe(probe(0.5)), await c.observe(probe(0.5))];
    await g.advance(12);
    await c.advance(12);
    expectClose(gp.sums, cp.sums, 1e-4);
    // The device is requested with the adapter's storage-buffer limit (here above the 8 every adapter has).
    expect(gpu.device.limits.maxStorageBuffersPerShaderStage).toBe(gpu.adapter.limits.maxStorageBuffersPerShaderStage);
    const [ge, ce] = [await g.observe(entropyProduction(4)), await c.observe(entropyProduction(4))];
    await g.advance(8);
    await c.advance(8);
    expectClose(gp.sums, cp.sums, 1e-4);
    const [gs, cs] = [ge.blocks().sums, ce.blocks().sums];
    expect(gs).toHaveLength(2);
    gs.forEach((v, k) => expect(Math.abs(v - cs[k])).toBeLessThan(1e-3 * Math.abs(cs[k])));
  });

  it('a device with 8 storage buffers per stage refuses a ninth by name, and the run goes on with the others', async () => {
    const { device: small } = await requestNodeDevice({ limits: { maxStorageBuffersPerShaderStage: 8 } });
    try {
      const config = parseConfig({ ...statisticsBase, noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 } });
      const g = await GpuEngine.create(small, gpu.description, config, 2, { windowSteps: 16 });
      const c = new CpuEngine(config, 2);
      const [gp, cp] = [await g.observe(probe(0.5)), await c.observe(probe(0.5))];
      const refusal = await g.observe(entropyProduction(4)).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(GpuError);
      expect((refusal as Error).message).toMatch(/observing probe5, entropy needs 9 storage buffers in the observe kernel; this device allows 8/);
      await g.advance(4);
      await c.advance(4);
      expectClose(gp.sums, cp.sums, 1e-4);
      g.dispose();
    } finally {
      small.destroy();
    }
  });

  it('correlated noise: entropy attached after steps that kept no H F starts from H F of the current drift', async () => {
    const over: Partial<ConfigInput> = { noise: { amplitude: 0.05, correlationLength: 2, whiteFraction: 0.01 } };
    const [g, c] = await pair(over, 2);
    await g.observe(cellVariance(5));
    await c.observe(cellVariance(5));
    await g.advance(7);
    await c.advance(7);
    const [ge, ce] = [await g.observe(entropyProduction(5)), await c.observe(entropyProduction(5))];
    await g.advance(20);
    await c.advance(20);
    const [gs, cs] = [ge.blocks().sums, ce.blocks().sums];
    expect(gs).toHaveLength(4);
    gs.forEach((s, b) => expect(Math.abs(s - cs[b]) / Math.abs(cs[b])).toBeLessThan(1e-3));
  });

  it('sampling observers get u_n and u_{n+1} of the steps they want, read between windows', async () => {
    const [g, c] = await pair({}, 2);
    const wanted = new Set([0, 5, 6, 30]);
    const seen: [number, Float64Array, Float64Array][] = [];
    const cpuSeen: [number, Float64Array, Float64Array][] = [];
    const sampler = (into: typeof seen) => {
      const o = everyStep((step, u, uNext) => into.push([step, u, uNext]));
      return { ...o, async start(link: Parameters<typeof o.start>[0]) {
        const s = await o.start(link);
        return { ...s, sample: { wants: (n: number) => wanted.has(n), add: s.sample!.add } };
      } };
    };
    await g.observe(sampler(seen));
    await c.observe(sampler(cpuSeen));
    await g.advance(40);
    await c.advance(40);
    expect(g.stepIndex).toBe(40);
    expect(seen.map(([n]) => n)).toEqual([0, 5, 6, 30]);
    expect(Array.from(seen[1][2])).toEqual(Array.from(seen[2][1]));
    seen.forEach(([, u, uNext], k) => {
      expect(relativeFieldDifference(u, cpuSeen[k][1])).toBeLessThan(1e-4);
      expect(relativeFieldDifference(uNext, cpuSeen[k][2])).toBeLessThan(1e-4);
    });
    expect(g.sampleSeconds).toBeGreaterThan(0);
  });

  it('a closed run frees its observers, so a new run (a config change in the demo) attaches on the same engine', async () => {
    const [g] = await pair({}, 1);
    const first = new Run(g, { steps: Infinity, blockSteps: 10 });
    await first.advance(20);
    first.close();
    const second = new Run(g, { steps: Infinity, blockSteps: 10 });
    await second.advance(20);
    expect(second.attached!.entropy.blocks().steps).toEqual([10, 10]);
    expect(second.attached!.reported.length).toBeGreaterThan(0);
  });
});
