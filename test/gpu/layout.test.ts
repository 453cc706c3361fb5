import { describe, expect, it } from 'vitest';
import { ResourceType, WgslReflect } from 'wgsl_reflect/wgsl_reflect.module.js';
import { gridOf } from '../../src/config/geometry.js';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { cellVariance } from '../../src/estimators/cell-variance/index.js';
import { entropyProduction } from '../../src/estimators/entropy-production/index.js';
import { gpuCoefficients } from '../../src/gpu/coefficients.js';
import { GpuEngine, type GpuEngineOptions } from '../../src/gpu/gpu-engine.js';
import { bindings, storage, uniform } from '../../src/gpu/layout/bindings.js';
import type { StructLayout } from '../../src/gpu/layout/struct.js';
import { FftParams, ReduceParams, SimParams, StepParams } from '../../src/gpu/layout/structs.js';
import { observationCode, observerSlots, type ObserverSpec } from '../../src/gpu/observation/code.js';
import { checkStorageLimit } from '../../src/gpu/passes/observing-kernel.js';
import { updateBindings } from '../../src/gpu/passes/update/update.js';
import {
  cellDispatch, directDispatch, driftWorkgroup, MAX_SEPARABLE_RADIUS, MAX_SEPARABLE_TAPS, MAX_TILED_RADIUS, OBSERVE_THREADS, PER_THREAD, PLANE_TILES, RING_TILES,
  DEFAULT_SEPARABLE_SHAPE, SEPARABLE_SHAPES, separableColumnTile, separableTileWgsl, shapeLabel, SEPARABLE_COLUMN_THREADS, SEPARABLE_COLUMN_TILE, SEPARABLE_ROW_THREADS, SEPARABLE_ROW_TILE, separableColumnDispatch, separableRowDispatch, tiledDispatch, tilesFor,
} from '../../src/gpu/layout/tiles.js';
import { ENGINE_NEEDS } from '../../src/gpu/limits.js';
import { stepCoefficients } from '../../src/model/coefficients.js';
import { statisticsBase } from '../helpers.js';
import { mockDevice, type RecordedPipeline } from './mock-device.js';

/**
 * The generated layouts against the generated WGSL, with no GPU: every engine
 * pass is built on a recording device, and each pipeline's composed module is
 * parsed by wgsl_reflect. Every binding the WGSL declares must be the
 * bind-group-layout entry of the same group and number and kind, every layout
 * entry must be declared, and every uniform struct's offsets must be the host
 * encoder's.
 */
const configs: [string, Partial<ConfigInput>, GpuEngineOptions][] = [
  ['white noise, separable stencil', {}, { convolution: 'stencil' }],
  ['white noise, separable stencil of two terms (mexican hat), tanh', {
    kernel: { type: 'mexican-hat', excitation: { amplitude: 1.5, sigma: 1 }, inhibition: { amplitude: 1, sigma: 2 }, shift: [0.5, 0] },
    transfer: { type: 'tanh', gain: 1.2, threshold: 0.1 },
  }, { convolution: 'stencil' }],
  ['a ring, separable stencil (fused row pass)', { grid: { n: 64, length: 32, dimensions: 1 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: 0.5 } }, { convolution: 'stencil' }],
  ['white noise, tiled 2-D stencil', {}, { convolution: 'stencil-2d' }],
  ['white noise, direct 2-D stencil', { grid: { n: 64, length: 32 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 2, shift: [1, 0.5], radius: 8.5 } }, { convolution: 'stencil-2d' }],
  ['white noise, FFT convolution', { grid: { n: 64, length: 64 } }, { convolution: 'fft' }],
  ['correlated noise, separable filter', { noise: { amplitude: 0.05, correlationLength: 2, whiteFraction: 0.01 } }, { convolution: 'stencil' }],
  ['correlated noise, spectral shaping, tanh', { noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 }, transfer: { type: 'tanh', gain: 1.2, threshold: 0.1 } }, { convolution: 'stencil', noiseShaping: 'fft' }],
  ['a rectangle, correlated noise, separable filter', { grid: { n: [40, 24], length: [20, 24] }, noise: { amplitude: 0.05, correlationLength: 1.5, whiteFraction: 0.1 } }, { convolution: 'stencil' }],
  ['a ring, correlated noise, separable filter (the ring\'s tiles)', { grid: { n: 64, length: 32, dimensions: 1 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: 0.5 }, noise: { amplitude: 0.05, correlationLength: 1, whiteFraction: 0.1 } }, { convolution: 'stencil' }],
  ['a ring, FFT convolution', { grid: { n: 64, length: 32, dimensions: 1 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: 0.5 } }, { convolution: 'fft' }],
];

const hostLayouts: Record<string, StructLayout> = { SimParams, StepParams, ReduceParams, FftParams };

function expectedType(v: { resourceType: ResourceType; access: string }): GPUBufferBindingType {
  if (v.resourceType === ResourceType.Uniform) return 'uniform';
  return v.access === 'read_write' ? 'storage' : 'read-only-storage';
}

/** Checks one pipeline; returns the host structs it compared. */
function checkPipeline(p: RecordedPipeline, structs: Record<string, StructLayout>): string[] {
  const reflect = new WgslReflect(p.code);
  const declared = reflect.getBindGroups();
  p.layouts.forEach((layout, group) => {
    const entries = [...layout.entries];
    const vars = (declared[group] ?? []).filter((v) => v !== undefined);
    expect(vars.map((v) => v.binding).sort(), `${p.entryPoint}: group ${group} bindings`).toEqual(entries.map((e) => e.binding).sort());
    for (const v of vars) {
      const entry = entries.find((e) => e.binding === v.binding)!;
      expect(entry.buffer?.type ?? 'uniform', `${p.entryPoint}: ${v.name} at @group(${group}) @binding(${v.binding})`).toBe(expectedType(v));
    }
  });
  expect(declared.length, `${p.entryPoint}: groups`).toBeLessThanOrEqual(p.layouts.length);
  const checked: string[] = [];
  for (const s of reflect.structs) {
    const host = structs[s.name];
    if (!host) continue;
    checked.push(s.name);
    expect(s.members.map((m) => [m.name, m.offset]), `${s.name} offsets`).toEqual(host.fields.map(([name]) => [name, host.offsets[name]]));
    expect(Math.ceil(s.size / 16) * 16, `${s.name} size`).toBe(host.size);
  }
  return checked;
}

describe('generated layouts match the generated WGSL (wgsl_reflect, no GPU)', () => {
  it.each(configs)('%s: every pass, unobserved and observing entropy and variance', async (_name, over, options) => {
    const { device, pipelines } = mockDevice();
    const config = parseConfig({ ...statisticsBase, ...over });
    const engine = await GpuEngine.create(device, 'mock', config, 2, options);
    await engine.observe(entropyProduction(10));
    await engine.observe(cellVariance(10));
    const observerParams = observationCode([entropyProduction(1), cellVariance(1)], 'identity').params!;
    const entries = new Set(pipelines.map((p) => p.entryPoint));
    expect(entries).toContain('reduce_step');
    const drift = { separable: gridOf(config).ny === 1 ? 'drift_separable_ring' : 'drift_separable', tiled: 'drift_tiled', direct: 'drift_direct', spectral: 'drift_spectral' }[engine.driftVariant];
    expect(entries).toContain(drift);
    if (drift === 'drift_separable') expect(entries).toContain('separable_rows');
    expect(entries).toContain(config.noise.correlationLength > 0 ? 'observe_correlated' : 'update_white');
    const checked = new Set(pipelines.flatMap((p) => checkPipeline(p, { ...hostLayouts, ObserverParams: observerParams })));
    const fft = options.convolution === 'fft' || config.noise.correlationLength > 0;
    expect([...checked].sort()).toEqual(['ObserverParams', 'ReduceParams', 'SimParams', 'StepParams', ...(fft ? ['FftParams'] : [])].sort());
    engine.dispose();
  });

  it('two engines of one config on one device share their pipelines (cached per device)', async () => {
    const { device, pipelines } = mockDevice();
    const config = parseConfig(statisticsBase);
    await GpuEngine.create(device, 'mock', config, 2, { convolution: 'stencil' });
    const made = pipelines.length;
    await GpuEngine.create(device, 'mock', config, 3, { convolution: 'stencil' });
    expect(made).toBeGreaterThan(0);
    expect(pipelines.length).toBe(made);
  });
});

describe('tile geometry', () => {
  it.each([['a 2-D grid', PLANE_TILES], ['a ring', RING_TILES]] as const)('%s: the drift workgroup is the observation\'s width, and the staged tile fits workgroup memory', (_name, t) => {
    const [x, y] = driftWorkgroup(t);
    expect(x * y).toBe(OBSERVE_THREADS);
    expect(t.tile[0] % PER_THREAD).toBe(0);
    expect(t.cell[0] * t.cell[1]).toBeLessThanOrEqual(ENGINE_NEEDS.maxComputeInvocationsPerWorkgroup);
    // The tiled drift's staged tile beside the observation's workgroup sums (one vec4f per thread).
    const staged = 4 * (t.tile[0] + 2 * MAX_TILED_RADIUS) * (t.tile[1] + 2 * t.maxRadiusY);
    expect(staged + 16 * OBSERVE_THREADS).toBeLessThanOrEqual(ENGINE_NEEDS.maxComputeWorkgroupStorageSize);
  });

  it('the separable passes: the observing kernels\' workgroups are the observation\'s width, the staged row and the taps fit', () => {
    expect(SEPARABLE_ROW_THREADS).toBe(OBSERVE_THREADS);
    expect(SEPARABLE_COLUMN_THREADS[0] * SEPARABLE_COLUMN_THREADS[1]).toBe(OBSERVE_THREADS);
    expect(SEPARABLE_COLUMN_TILE).toEqual([32, 32]);
    // A ring's fused drift stages the row beside the observation's workgroup sums.
    expect(4 * (SEPARABLE_ROW_TILE + 2 * MAX_SEPARABLE_RADIUS) + 16 * OBSERVE_THREADS).toBeLessThanOrEqual(ENGINE_NEEDS.maxComputeWorkgroupStorageSize);
    // The taps' uniform within compatibility mode's default maxUniformBufferBindingSize.
    expect(16 * MAX_SEPARABLE_TAPS).toBeLessThanOrEqual(16384);
    expect(separableRowDispatch({ nx: 1100, ny: 3 }, 2)).toEqual([2, 3, 2]);
    expect(separableRowDispatch({ nx: 1024, ny: 3 }, 1)).toEqual([1, 3, 1]);
    expect(separableColumnDispatch({ nx: 37, ny: 18 }, 1)).toEqual([2, 1, 1]);
    expect(separableColumnDispatch({ nx: 37, ny: 40 }, 1)).toEqual([2, 2, 1]);
  });

  it('every column shape `auto` may tune to: the observation\'s width, the default first, never more workgroups than the observation\'s partials hold', () => {
    expect(SEPARABLE_SHAPES[0]).toBe(DEFAULT_SEPARABLE_SHAPE);
    expect(DEFAULT_SEPARABLE_SHAPE).toEqual([...SEPARABLE_COLUMN_THREADS, 8]);
    expect(separableColumnTile(DEFAULT_SEPARABLE_SHAPE)).toEqual(SEPARABLE_COLUMN_TILE);
    for (const shape of SEPARABLE_SHAPES) {
      expect(shape[0] * shape[1]).toBe(OBSERVE_THREADS);
      expect(separableColumnTile(shape)).toEqual([shape[0], shape[1] * shape[2]]);
      // The partials are sized by directDispatch (observation.ts): no grid may need more column workgroups.
      for (const grid of [{ nx: 1, ny: 1 }, { nx: 8, ny: 100 }, { nx: 37, ny: 18 }, { nx: 1000, ny: 7 }, { nx: 16384, ny: 16384 }]) {
        const [cx, cy] = separableColumnDispatch(grid, 1, shape);
        const [dx, dy] = directDispatch(grid, 1);
        expect(cx <= dx && cy <= dy, `${shapeLabel(shape)} on ${grid.nx} × ${grid.ny}`).toBe(true);
      }
    }
    expect(separableColumnDispatch({ nx: 37, ny: 18 }, 1, [8, 16, 4])).toEqual([5, 1, 1]);
    expect(separableTileWgsl([16, 8, 4])).toMatch(/SEPARABLE_COLUMN_THREADS_X: u32 = 16u;\n.*THREADS_Y: u32 = 8u;\n.*TILE_X: u32 = 16u;\n.*TILE_Y: u32 = 32u;\n.*COLUMN_CELLS: u32 = 4u;/);
    expect(separableTileWgsl([16, 8, 8])).toMatch(/TILE_Y: u32 = 64u;\n.*COLUMN_CELLS: u32 = 8u;/);
  });

  it('a ring (ny = 1) runs on one-row workgroups, a 2-D grid on the plane\'s tiles', () => {
    expect(tilesFor({ ny: 1 })).toBe(RING_TILES);
    expect(tilesFor({ ny: 4 })).toBe(PLANE_TILES);
    expect(directDispatch({ nx: 262144, ny: 1 }, 2)).toEqual([2048, 1, 2]);
    expect(cellDispatch({ nx: 20, ny: 13 }, 3)).toEqual([2, 1, 3]);
    expect(tiledDispatch({ nx: 37, ny: 18 }, 1)).toEqual([2, 2, 1]);
  });
});

describe('generated declarations', () => {
  it('bindings are numbered in declaration order, with their access', () => {
    expect(updateBindings.wgsl).toBe(
      '@group(0) @binding(0) var<uniform> params: SimParams;\n' +
        '@group(0) @binding(1) var<storage, read> u: array<f32>;\n' +
        '@group(0) @binding(2) var<storage, read> drift: array<f32>;\n' +
        '@group(0) @binding(3) var<storage, read_write> uNext: array<f32>;\n' +
        '@group(0) @binding(4) var<storage, read> shaped: array<f32>;\n',
    );
    expect(updateBindings.layoutEntries.map((e) => e.buffer!.type)).toEqual(['uniform', 'read-only-storage', 'read-only-storage', 'storage', 'read-only-storage']);
    const step = bindings(1, { stepParams: uniform('StepParams', { dynamicSize: 8 }) });
    expect(step.layoutEntries[0].buffer).toEqual({ type: 'uniform', hasDynamicOffset: true });
    expect(() => updateBindings.extend({ u: storage('array<f32>') })).toThrow(/declared twice/);
  });

  it('SimParams: the WGSL struct and the encoder agree field by field', () => {
    expect(SimParams.wgsl.split('\n')[0]).toBe('struct SimParams {');
    expect(SimParams.size % 16).toBe(0);
    const values = Object.fromEntries(SimParams.fields.map(([name], i) => [name, i + 1])) as Record<(typeof SimParams.fields)[number][0], number>;
    const view = new DataView(SimParams.encode(values));
    SimParams.fields.forEach(([name, type], i) => {
      const at = SimParams.offsets[name];
      expect(type === 'f32' ? view.getFloat32(at, true) : view.getUint32(at, true)).toBe(i + 1);
    });
    expect(() => SimParams.encode({ ...values, nx: -1 })).toThrow(/SimParams.nx = -1 is not a u32/);
  });

  it('coefficient accessors: the uniform for a uniform config, a storage map for a per-cell one', () => {
    const c = stepCoefficients(parseConfig(statisticsBase));
    const uniformCoefficients = gpuCoefficients(c);
    expect(uniformCoefficients.maps).toBeUndefined();
    expect(uniformCoefficients.wgsl).toContain('fn entropy_weight(cell: u32, replica: u32) -> f32 {\n  return params.epWeight;\n}');
    expect(uniformCoefficients.params.epWeight).toBe(c.entropyWeight);
    const mapped = gpuCoefficients({ ...c, input: new Float64Array(c.cells).fill(0.25) });
    expect(mapped.wgsl).toContain('fn input_at(cell: u32, replica: u32) -> f32 {\n  return coef_h[cell];\n}');
    expect(mapped.maps!.wgsl).toBe('@group(2) @binding(0) var<storage, read> coef_h: array<f32>;\n');
    expect(mapped.params.h).toBe(0);
    expect(Array.from(mapped.mapValues.coef_h.slice(0, 2))).toEqual([0.25, 0.25]);
  });

  it('a noise map and a slope map bind two storage buffers: the noise scale and the entropy weight follow from √D', () => {
    const config = parseConfig({ ...statisticsBase, grid: { n: 16, length: 16 }, transfer: { type: 'linear', slope: { pattern: 'disc', center: [8, 8], radius: 4, inside: 0.9, outside: 0.5 } }, noise: { amplitude: { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0.2, outside: 0.01 } } });
    const c = stepCoefficients(config);
    const gpu = gpuCoefficients(c);
    expect([...gpu.maps!.names].sort()).toEqual(['coef_gain', 'coef_noiseRoot']);
    expect(gpu.maps!.storageCount).toBe(2);
    expect(gpu.wgsl).toContain('fn noise_scale(cell: u32, replica: u32) -> f32 {\n  return params.noiseScale * coef_noiseRoot[cell];\n}');
    expect(gpu.wgsl).toContain('fn entropy_weight(cell: u32, replica: u32) -> f32 {\n  let root = coef_noiseRoot[cell];\n  return params.epWeight / (root * root);\n}');
    // What the kernels compute in float32 is the host's float64 coefficient to float32 rounding.
    const f = Math.fround;
    const root = gpu.mapValues.coef_noiseRoot;
    const [scale, weight] = [c.noiseScale as Float64Array, c.entropyWeight as Float64Array];
    for (let i = 0; i < c.cells; i++) {
      expect(Math.abs(f(f(gpu.params.noiseScale) * root[i]) / scale[i] - 1)).toBeLessThan(4e-7);
      expect(Math.abs(f(f(gpu.params.epWeight) / f(root[i] * root[i])) / weight[i] - 1)).toBeLessThan(8e-7);
    }
  });

  it('the storage limit counts the coefficient maps beside the kernel\'s own buffers', () => {
    const device = { limits: { maxStorageBuffersPerShaderStage: 8 } } as GPUDevice;
    const own = bindings(0, Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`b${i}`, storage('array<f32>')])), 'drift (test)');
    const maps = bindings(2, { coef_gain: storage('array<f32>'), coef_noiseRoot: storage('array<f32>') }, 'coefficient maps');
    expect(() => checkStorageLimit(device, own, ['entropy'])).not.toThrow();
    expect(() => checkStorageLimit(device, own, ['entropy'], [maps])).toThrow(
      /observing entropy needs 9 storage buffers in the drift \(test\) kernel \(2 of them the config's coefficient maps\); this device allows 8 per stage/,
    );
  });
});

describe('generated observation', () => {
  const spec = (name: string, width: number, extra: Partial<ObserverSpec> = {}): ObserverSpec => ({
    name, width, wgsl: `fn ${name}_observe(c: ObservedCell) -> vec4f { return vec4f(0.0); }`, ...extra,
  });

  it('widths [1, 2] pack into one vec4f: x, then y and z', () => {
    expect(observerSlots([spec('a', 1), spec('b', 2)])).toEqual({ chunks: 1, slots: [{ name: 'a', offset: 0, width: 1 }, { name: 'b', offset: 1, width: 2 }] });
    const code = observationCode([spec('a', 1), spec('b', 2)], 'identity');
    const generated = code.parts.find((p) => p.file.startsWith('(observation of'))!.code;
    expect(generated).toContain('const CHUNKS: u32 = 1u;');
    expect(generated).toContain(
      'fn observe_cell(c: ObservedCell) -> array<vec4f, CHUNKS> {\n  var out = array<vec4f, CHUNKS>();\n' +
        '  let o_a = a_observe(c);\n  out[0].x = o_a.x;\n' +
        '  let o_b = b_observe(c);\n  out[0].y = o_b.x;\n  out[0].z = o_b.y;\n' +
        '  return out;\n}',
    );
    expect(generated).toContain('fn observed_inverse_drift_next(c: ObservedCell) -> f32 {\n  return c.drift_next;\n}');
    expect(Object.keys(code.bindings)).toEqual(['partials']);
  });

  it('widths [1, 2, 1, 3] pack across two chunks in attachment order', () => {
    const observers = [spec('a', 1), spec('b', 2), spec('c', 1, { cellMap: true, params: ['p', 'q'] }), spec('d', 3)];
    const code = observationCode(observers, 'filtered');
    expect(code.chunks).toBe(2);
    expect(code.slots.map((s) => s.offset)).toEqual([0, 1, 3, 4]);
    const generated = code.parts.find((p) => p.file.startsWith('(observation of'))!.code;
    expect(generated).toContain('  let o_c = c_observe(c);\n  out[0].w = o_c.x;\n');
    expect(generated).toContain('  let o_d = d_observe(c);\n  out[1].x = o_d.x;\n  out[1].y = o_d.y;\n  out[1].z = o_d.z;\n');
    expect(generated).toContain('  sum[0] += o[0];\n  sum[1] += o[1];\n');
    expect(generated).toContain('return hfNext[c.g].x * noise_root(c.cell, c.replica);');
    expect(Object.keys(code.bindings)).toEqual(['partials', 'observer_params', 'c_map']);
    expect(code.params!.wgsl).toBe('struct ObserverParams {\n  c_p: f32,\n  c_q: f32,\n}\n');
  });

  it('an observer wider than four returns an array of vec4f', () => {
    const code = observationCode([spec('a', 1), spec('wide', 5)], 'none');
    const generated = code.parts.find((p) => p.file.startsWith('(observation of'))!.code;
    expect(generated).toContain('  out[1].x = o_wide[0].w;\n  out[1].y = o_wide[1].x;\n');
    expect(generated).not.toContain('observed_inverse_drift');
  });

  it('refuses names that are not WGSL identifiers and observers without WGSL', () => {
    expect(() => observationCode([spec('a_b', 1)], 'identity')).toThrow(/not a WGSL identifier/);
    expect(() => observationCode([{ name: 'x', width: 1 }], 'identity')).toThrow(/has no WGSL/);
  });
});
