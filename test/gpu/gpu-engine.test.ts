import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import type { Engine } from '../../src/engine/engine.js';
import { GpuError } from '../../src/gpu/errors.js';
import { forgetConvolutionChoices, type CachedConvolution } from '../../src/gpu/convolution-choice.js';
import { GpuEngine } from '../../src/gpu/gpu-engine.js';
import { requestNodeDevice } from '../../src/gpu/node-device.js';
import { useGpuDevice } from './device-fixture.js';
import { engineShaders } from '../../src/gpu/shaders.js';
import { driftBindings } from '../../src/gpu/passes/drift/drift.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { statisticsBase } from '../helpers.js';
import { gridOf } from '../../src/config/geometry.js';
import { noiseStencil } from '../../src/model/kernels.js';
import { stencilWeight } from '../../src/model/stencil.js';
import { relativeFieldDifference } from '../../src/numeric/compare.js';
import { relax } from '../../src/run/relax.js';
import { simulate, type TheoryComparison } from '../../src/run/simulate.js';

/**
 * The WebGPU engine against the CPU reference and the theory. On a machine
 * without a GPU this runs on Mesa's llvmpipe through Dawn's OpenGL ES backend,
 * so the grids stay small. The device is requested once, before the tests.
 */
const gpu = useGpuDevice();

const base = statisticsBase;

async function gpuEngine(over: Partial<ConfigInput>, replicas = 1, options = {}) {
  const engine = await GpuEngine.create(gpu.device, gpu.description, parseConfig({ ...base, ...over }), replicas, options);
  gpu.keep(engine);
  return engine;
}

describe('GPU engine against the CPU reference, same seed', () => {
  it('500 steps of a stable linear field: fields to 1e-4, entropy sums to 1e-3 relative', async () => {
    const g = await gpuEngine({}, 2);
    const c = new CpuEngine(g.config, 2);
    const [ge, ce] = [await g.observe(entropyProduction(100)), await c.observe(entropyProduction(100))];
    await g.advance(500);
    await c.advance(500);
    expect(relativeFieldDifference(await g.readField(), await c.readField())).toBeLessThan(1e-4);
    const [gb, cb] = [ge.blocks(), ce.blocks()];
    const [gs, cs] = [gb.sums, cb.sums];
    expect(gs).toHaveLength(5);
    for (let b = 0; b < 5; b++) {
      for (let r = 0; r < 2; r++) expect(Math.abs(gb.replicaSums![b][r] - cb.replicaSums![b][r]) / Math.abs(cb.replicaSums![b][r])).toBeLessThan(1e-3);
      expect(gb.replicaSums![b][0] + gb.replicaSums![b][1]).toBeCloseTo(gs[b], 6);
    }
    for (let b = 0; b < 5; b++) expect(Math.abs(gs[b] - cs[b]) / Math.abs(cs[b])).toBeLessThan(1e-3);
    const total = (x: number[]) => x.reduce((p, q) => p + q, 0);
    expect(Math.abs(total(gs) - total(cs)) / Math.abs(total(cs))).toBeLessThan(1e-3);
    const [gd, cd] = [await ge.density(), await ce.density()];
    expect(Math.abs(total(Array.from(gd)) - total(cs)) / Math.abs(total(cs))).toBeLessThan(1e-3);
    expect(relativeFieldDifference(gd, cd)).toBeLessThan(1e-3);
  });

  it.each<[string, Partial<ConfigInput>, number, number]>([
    ['a stencil wider than the tile (separable; beyond the 2-D tiled halo)', { grid: { n: 64, length: 32 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 2, shift: [1, 0.5], radius: 8.5 } }, 1e-4, 50],
    ['correlated noise (separable filter)', { noise: { amplitude: 0.05, correlationLength: 1.5 } }, 1e-4, 200],
    ['tanh transfer, mexican hat', {
      transfer: { type: 'tanh', gain: 1.2, threshold: 0.1 },
      kernel: { type: 'mexican-hat', excitation: { amplitude: 1.5, sigma: 1 }, inhibition: { amplitude: 1, sigma: 2 }, shift: [0.5, 0] },
      initial: { type: 'random', std: 0.2 },
    }, 1e-4, 200],
    ['sigmoid transfer, grid smaller than a tile', { grid: { n: 8, length: 8 }, transfer: { type: 'sigmoid', gain: 2, threshold: 0.3 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 0.7, shift: [0.5, 0], radius: 3 } }, 1e-4, 200],
  ])('%s: fields agree with the CPU', async (_name, over, tolerance, steps) => {
    const g = await gpuEngine(over, 2, { convolution: 'stencil' });
    const c = new CpuEngine(g.config, 2);
    await g.advance(steps);
    await c.advance(steps);
    expect(g.stepIndex).toBe(steps);
    expect(relativeFieldDifference(await g.readField(), await c.readField())).toBeLessThan(tolerance);
  });

  it('the FFT and stencil convolutions give the same field and entropy after 200 steps', async () => {
    const over: Partial<ConfigInput> = { grid: { n: 64, length: 64 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 2, shift: [1.5, 0.5], radius: 8 } };
    const fft = await gpuEngine(over, 2, { convolution: 'fft' });
    const stencil = await gpuEngine(over, 2, { convolution: 'stencil' });
    expect([fft.convolution, stencil.convolution]).toEqual(['fft', 'stencil']);
    const cpu = new CpuEngine(fft.config, 2);
    const estimators = [await fft.observe(entropyProduction(200)), await stencil.observe(entropyProduction(200)), await cpu.observe(entropyProduction(200))];
    for (const e of [fft, stencil, cpu]) await e.advance(200);
    const [a, b, c] = [await fft.readField(), await stencil.readField(), await cpu.readField()];
    expect(relativeFieldDifference(a, b)).toBeLessThan(1e-4);
    expect(relativeFieldDifference(a, c)).toBeLessThan(1e-4);
    const [sa, , sc] = estimators.map((e) => e.blocks().sums[0]);
    expect(Math.abs(sa - sc) / Math.abs(sc)).toBeLessThan(1e-3);
  });

  it.each<[string, Partial<ConfigInput>]>([
    ['correlated noise', { noise: { amplitude: 0.05, correlationLength: 1, whiteFraction: 0 } }],
    ['correlated noise with a white floor', { noise: { amplitude: 0.05, correlationLength: 2, whiteFraction: 0.01 } }],
  ])('%s: the entropy sums equal the CPU\'s (inverse covariance by GPU FFT)', async (_name, over) => {
    const g = await gpuEngine(over, 2);
    const c = new CpuEngine(g.config, 2);
    const [ge, ce] = [await g.observe(entropyProduction(100)), await c.observe(entropyProduction(100))];
    await g.advance(300);
    await c.advance(300);
    expect(relativeFieldDifference(await g.readField(), await c.readField())).toBeLessThan(1e-4);
    const [gs, cs] = [ge.blocks().sums, ce.blocks().sums];
    for (let b = 0; b < 3; b++) expect(Math.abs(gs[b] - cs[b]) / Math.abs(cs[b])).toBeLessThan(1e-3);
  });

  it('correlated noise shaped by FFT equals the separable filter and the CPU', async () => {
    const over: Partial<ConfigInput> = { noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 } };
    const spectral = await gpuEngine(over, 2, { noiseShaping: 'fft' });
    const filtered = await gpuEngine(over, 2, { noiseShaping: 'stencil' });
    const cpu = new CpuEngine(spectral.config, 2);
    for (const e of [spectral, filtered, cpu]) await e.advance(200);
    const [a, b, c] = [await spectral.readField(), await filtered.readField(), await cpu.readField()];
    expect(relativeFieldDifference(a, b)).toBeLessThan(1e-4);
    expect(relativeFieldDifference(a, c)).toBeLessThan(1e-4);
  });

  it('continues from a saved state as if never stopped', async () => {
    const straight = await gpuEngine({}, 1);
    await straight.advance(60);
    const first = await gpuEngine({}, 1);
    await first.advance(35);
    const resumed = await gpuEngine({}, 1);
    await resumed.restoreState(await first.saveState());
    await resumed.advance(25);
    expect(Array.from(await resumed.readField())).toEqual(Array.from(await straight.readField()));
  });
});

describe('GPU ensembles', () => {
  it('relaxation balance on the GPU equals the CPU reference record for record', async () => {
    const over: Partial<ConfigInput> = {
      grid: { n: 8, length: 8 },
      kernel: { type: 'gaussian', amplitude: 1, sigma: 0.6, shift: [1.2, 0.4], radius: 3 },
      initial: { type: 'zero' },
    };
    const g = await gpuEngine(over, 64);
    const [gr, cr] = [await relax(g, { steps: 60, recordEvery: 20 }), await relax(new CpuEngine(g.config, 64), { steps: 60, recordEvery: 20 })];
    expect(gr.rows).toHaveLength(3);
    gr.rows.forEach((row, j) => {
      const c = cr.rows[j];
      expect(Math.abs(row.entropy.value - c.entropy.value)).toBeLessThan(1e-3 * Math.abs(c.entropy.value) + 1e-3 * c.entropy.stderr);
      if (row.interval) expect(Math.abs(row.interval.flow.value - c.interval!.flow.value)).toBeLessThan(1e-3 * Math.abs(c.interval!.flow.value));
    });
  });
});

describe('GPU estimates against theory', () => {
  const small: Partial<ConfigInput> = { grid: { n: 16, length: 16 } };

  it('shifted kernel: within 3 standard errors of σ_dt', async () => {
    const r = await simulate(await gpuEngine(small, 4), { steps: 20000, burnIn: 500 });
    const theory = r.theory as TheoryComparison;
    expect(r.backend.kind).toBe('gpu');
    expect(r.epr.stderr).toBeLessThan(0.05 * theory.eprDiscrete!);
    expect(Math.abs(r.epr.estimate - theory.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
    expect(Math.abs(r.cellVariance.estimate / theory.cellVariance! - 1)).toBeLessThan(0.03);
  });

  it('smooth correlated noise with a white floor: within 3 standard errors of σ_dt', async () => {
    const r = await simulate(await gpuEngine({ ...small, noise: { amplitude: 0.05, correlationLength: 2, whiteFraction: 0.01 } }, 4), { steps: 8000, burnIn: 500 });
    const theory = r.theory as TheoryComparison;
    expect(r.epr.stderr).toBeLessThan(0.1 * theory.eprDiscrete!);
    expect(Math.abs(r.epr.estimate - theory.eprDiscrete!)).toBeLessThan(3 * r.epr.stderr);
  });

  it('correlated noise, symmetric kernel: within 3 standard errors of 0', async () => {
    const r = await simulate(
      await gpuEngine({ ...small, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] }, noise: { amplitude: 0.05, correlationLength: 1 } }, 4),
      { steps: 8000, burnIn: 500 },
    );
    expect(Math.abs(r.epr.estimate)).toBeLessThan(3 * r.epr.stderr);
  });

  it('symmetric kernel: within 3 standard errors of 0', async () => {
    const r = await simulate(await gpuEngine({ ...small, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] } }, 4), {
      steps: 20000,
      burnIn: 500,
    });
    expect(Math.abs(r.epr.estimate)).toBeLessThan(3 * r.epr.stderr);
  });

  it('correlated noise: the spatial correlation at lags 0..3 matches G Gᵀ within 3 standard errors', async () => {
    // One step from a zero field with slope 0 and h = 0: F = 0, so u_1 = √(2D dt)/Δx · G ξ exactly.
    const replicas = 16;
    const g = await gpuEngine(
      {
        grid: { n: 64, length: 64 },
        transfer: { type: 'linear', slope: 0 },
        input: 0,
        noise: { amplitude: 0.05, correlationLength: 2 },
        initial: { type: 'zero' },
      },
      replicas,
    );
    await g.advance(1);
    const field = await g.readField();
    const { config } = g;
    const n = gridOf(config).nx;
    const scale2 = (2 * (config.noise.amplitude as number) * config.dt) / gridOf(config).area;
    const G = noiseStencil(config)!;
    const w = (mx: number, my: number) => (Math.abs(mx) <= G.rx && Math.abs(my) <= G.ry ? stencilWeight(G, mx, my) : 0);
    for (const [lx, ly] of [[0, 0], [1, 0], [2, 0], [3, 0], [0, 1], [0, 2], [0, 3]]) {
      let exact = 0;
      for (let my = -G.ry; my <= G.ry; my++) for (let mx = -G.rx; mx <= G.rx; mx++) exact += w(mx, my) * w(mx + lx, my + ly);
      const perReplica = Array.from({ length: replicas }, (_, rep) => {
        let s = 0;
        for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
          s += field[rep * n * n + y * n + x] * field[rep * n * n + ((y + ly) % n) * n + ((x + lx) % n)];
        }
        return s / (n * n) / scale2;
      });
      const mean = perReplica.reduce((a, b) => a + b, 0) / replicas;
      const sd = Math.sqrt(perReplica.reduce((a, b) => a + (b - mean) ** 2, 0) / (replicas - 1));
      expect(Math.abs(mean - exact)).toBeLessThan(3 * (sd / Math.sqrt(replicas)));
    }
  });
});

describe('GPU errors are thrown, never swallowed', () => {
  it('a pipeline whose bindings do not match the layout throws with WebGPU\'s message', async () => {
    // Declarations are generated from the layout; plant a uniform where the layout has `weights` (a storage buffer).
    const weights = driftBindings('tiled').binding('weights');
    const planted = `@group(0) @binding(${weights}) var<uniform> planted: vec4f;\n` + engineShaders['drift-tiled'].replace(/weights\[w\]/g, 'planted[w % 4u]');
    // The 2-D stencil: the separable one (the default for this kernel) does not read `weights`.
    await expect(gpuEngine({}, 1, { convolution: 'stencil-2d', shaders: { 'drift-tiled': planted } })).rejects.toThrow(GpuError);
    await expect(gpuEngine({}, 1, { convolution: 'stencil-2d', shaders: { 'drift-tiled': planted } })).rejects.toThrow(
      /WebGPU could not create the pipeline drift_tiled: .*not compatible with the type in the layout/s,
    );
  });

  it('a submission that WebGPU rejects throws instead of leaving stale buffers', async () => {
    const engine = await gpuEngine({}, 1);
    // Plant the fault: destroy the field buffer behind the engine's back.
    (engine as unknown as { fields: GPUBuffer[] }).fields[1].destroy();
    await expect(engine.advance(3)).rejects.toThrow(/WebGPU validation error while running steps 0\.\.2: .*destroyed/is);
  });

  it('WGSL that does not compile throws with the compiler\'s line and message', async () => {
    const planted = engineShaders.update.replace('uNext[g] = u[g]', 'uNext[g] = undefined_name + u[g]');
    await expect(gpuEngine({}, 1, { shaders: { update: planted } })).rejects.toThrow(/WGSL compilation failed in update\.wgsl:\nupdate\.wgsl:(\d+):\d+: .*undefined_name/);
  });

  it('auto convolution: says what start-up does, and a later process takes the cached choice without timing', async () => {
    const over: Partial<ConfigInput> = { grid: { n: 64, length: 64 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 2, shift: [1.5, 0.5], radius: 8 } };
    const entries = new Map<string, CachedConvolution>();
    const cache = { load: (k: string) => entries.get(k), store: (k: string, p: CachedConvolution) => void entries.set(k, p) };
    forgetConvolutionChoices();
    const stages: string[] = [];
    const first = await gpuEngine(over, 1, { convolutionCache: cache, progress: (s: string) => stages.push(s) });
    expect(stages).toEqual([
      'choosing the convolution',
      // The FFT is timed against the separable stencil, the stencil path's default for a Gaussian,
      // at its fastest column workgroup (named where the stencil wins).
      expect.stringMatching(/^convolution: (stencil|fft) \(measured on 64²: separable stencil \S+ ms, FFT \S+ ms per step(; column workgroup \d+×\d+\/\d+ \([^)]*\))?\); compiling and allocating$/),
      'uploading the initial field',
    ]);
    // "stencil", "stencil 16×8" or "fft": the path first.
    expect([...entries.values()].map((e) => e.split(' ')[0])).toEqual([first.convolution]);
    forgetConvolutionChoices();
    const later = await gpuEngine(over, 1, { convolutionCache: cache });
    expect([later.convolution, later.separableShape]).toEqual([first.convolution, first.separableShape]);
    expect(later.convolutionNote).toMatch(/^cached for this adapter(; column workgroup \d+×\d+\/\d+)?$/);
  });

  it('a grid beyond the adapter\'s storage-buffer limit is refused naming the limit', async () => {
    await expect(gpuEngine({ grid: { n: 16384, length: 16384 } }, 1)).rejects.toThrow(
      /16384² cells × 1 replica\(s\) need storage buffers of 1024\.0 MiB; this adapter's maxStorageBufferBindingSize is/,
    );
  });

  it('reports the loss of the device with its reason', async () => {
    const own = await requestNodeDevice();
    const engine = await GpuEngine.create(own.device, own.description, parseConfig(base), 1);
    own.device.destroy();
    await own.device.lost;
    await expect(engine.advance(1)).rejects.toThrow(/WebGPU device lost \(destroyed\)/);
  });
});
