import { mkdtempSync, writeFileSync } from 'node:fs';
import { gridOf } from '../../src/config/geometry.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { loadConfigFile } from '../../src/config/load-file.js';
import { parseConfig } from '../../src/config/load.js';
import { fieldValues, mappedFields, patternValues, registerMapFile } from '../../src/config/maps.js';
import { decodeNpy } from '../../src/config/npy.js';
import { presets } from '../../src/config/presets.js';
import type { PatternMap } from '../../src/config/schema.js';
import { encodeNpy } from '../../src/io/npy.js';

type Doc = Record<string, any>;
/** The irreversible preset on 16² (Δx = 1) with the symmetric kernel. */
const base = (): Doc => ({ ...structuredClone(presets.irreversible), grid: { n: 16, length: 16 }, kernel: { type: 'gaussian', amplitude: 1, sigma: 1, shift: [0, 0] } });

function refusal(mutate: (c: Doc) => void): string {
  const c = base();
  mutate(c);
  try {
    parseConfig(c);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

const pattern = (p: object) => parseConfig({ ...base(), noise: { amplitude: p } });

/** The n × n grid of side L. */
const square = (n: number, length: number) => gridOf({ grid: { n, length, dimensions: 2 } });

describe('map patterns (docs/model.md §8, README "Maps")', () => {
  it('stripe: inside on width/Δx columns around the centre, periodic; along y with axis "y"', () => {
    const v = fieldValues(pattern({ pattern: 'stripe', axis: 'x', center: 1, width: 4, inside: 0.3, outside: 0.1 }), 'noise.amplitude') as Float64Array;
    const row = Array.from(v.subarray(0, 16));
    // Cells at x = 15, 0, 1, 2 (wrapped: −1 ≤ x − 1 < 3).
    expect(row.map((x, ix) => (x === 0.3 ? ix : -1)).filter((ix) => ix >= 0)).toEqual([0, 1, 2, 15]);
    for (let iy = 0; iy < 16; iy++) expect(Array.from(v.subarray(iy * 16, iy * 16 + 16))).toEqual(row);
    const y = patternValues({ pattern: 'stripe', axis: 'y', center: 8, width: 2, inside: 1, outside: 0 }, square(16, 16));
    for (let i = 0; i < 256; i++) expect(y[i]).toBe([7, 8].includes(Math.floor(i / 16)) ? 1 : 0);
  });

  it('disc, bump and tilt take coordinates in units of length and periodic distances', () => {
    // 16 cells on L = 8: Δx = 0.5.
    const disc = patternValues({ pattern: 'disc', center: [0, 0], radius: 1, inside: 2, outside: 1 }, square(16, 8));
    const inside = Array.from(disc).filter((x) => x === 2).length;
    // Cells within 1 of the origin, wrapping round: (0,0), (±0.5,0), (±1,0), (0,±0.5), (0,±1), (±0.5,±0.5) → 13.
    expect(inside).toBe(13);
    expect(disc[15 * 16 + 15]).toBe(2);
    const bump = patternValues({ pattern: 'bump', center: [4, 4], sigma: 1, base: 0.1, peak: 1 }, square(16, 8));
    expect(bump[8 * 16 + 8]).toBe(1);
    expect(bump[8 * 16 + 10]).toBeCloseTo(0.1 + 0.9 * Math.exp(-0.5), 14);
    expect(bump[0]).toBeCloseTo(0.1 + 0.9 * Math.exp(-16), 14);
    const tilt = patternValues({ pattern: 'tilt', axis: 'y', base: 2, rate: 0.5 }, square(16, 8));
    expect(tilt[3 * 16 + 7]).toBeCloseTo(2 * Math.exp(0.5 * 1.5), 14);
  });

  it('random: reproducible for a seed, standardised, smoother for a longer correlation length, log-normal on request', () => {
    const spec = (over: Partial<Extract<PatternMap, { pattern: 'random' }>>): PatternMap => ({
      pattern: 'random',
      mean: 1,
      std: 0.2,
      correlationLength: 0,
      seed: 5,
      distribution: 'normal',
      ...over,
    });
    const a = patternValues(spec({}), square(32, 32));
    expect(Array.from(patternValues(spec({}), square(32, 32)))).toEqual(Array.from(a));
    expect(Array.from(patternValues(spec({ seed: 6 }), square(32, 32)))).not.toEqual(Array.from(a));
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const std = Math.sqrt(a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length);
    expect(mean).toBeCloseTo(1, 12);
    expect(std).toBeCloseTo(0.2, 12);
    /** Correlation of neighbours along x. */
    const neighbour = (v: Float64Array) => {
      let s = 0;
      for (let iy = 0; iy < 32; iy++) for (let ix = 0; ix < 32; ix++) s += (v[iy * 32 + ix] - 1) * (v[iy * 32 + ((ix + 1) % 32)] - 1);
      return s / 1024 / 0.04;
    };
    expect(Math.abs(neighbour(a))).toBeLessThan(0.15);
    // Correlation exp(−r²/(2ℓ²)) at r = Δx = 1, ℓ = 3: 0.946.
    expect(neighbour(patternValues(spec({ correlationLength: 3 }), square(32, 32)))).toBeGreaterThan(0.9);
    const log = patternValues(spec({ std: 2, distribution: 'lognormal' }), square(32, 32));
    expect(Math.min(...log)).toBeGreaterThan(0);
  });

  it('a uniform field stays a number; a map is n² values at iy·n + ix', () => {
    const c = parseConfig({ ...base(), input: { pattern: 'tilt', axis: 'x', base: 1, rate: 0.1 } });
    expect(mappedFields(c)).toEqual(['input']);
    expect(fieldValues(c, 'noise.amplitude')).toBe(0.02);
    const h = fieldValues(c, 'input') as Float64Array;
    expect(h.length).toBe(256);
    expect(h[3 * 16 + 5]).toBeCloseTo(Math.exp(0.5), 14);
  });
});

describe('map refusals name the field, the value and what is allowed', () => {
  it.each<[string, (c: Doc) => void, RegExp]>([
    ['unknown pattern', (c) => (c.noise.amplitude = { pattern: 'blob' }), /noise\.amplitude\.pattern: got "blob"; allowed: a pattern: "stripe", "disc", "bump", "tilt", "random"/],
    ['negative stripe width', (c) => (c.noise.amplitude = { pattern: 'stripe', axis: 'x', center: 8, width: -1, inside: 1, outside: 2 }), /noise\.amplitude\.width: got -1; allowed: a finite number > 0/],
    ['bad axis', (c) => (c.input = { pattern: 'tilt', axis: 'z', base: 1, rate: 0 }), /input\.axis: got "z"; allowed: "x" or "y"/],
    ['unknown pattern key', (c) => (c.input = { pattern: 'tilt', axis: 'x', base: 1, rate: 0, origin: 3 }), /input: unknown key "origin"/],
    ['a file that is not a string', (c) => (c.input = { file: 3 }), /input\.file: got 3; allowed: a path to a \.npy file/],
    ['neither number nor map', (c) => (c.transfer.slope = 'steep'), /transfer\.slope: got "steep"; allowed: a finite number, or a map: \{ "file": "name\.npy" \} or \{ "pattern": "stripe" \| /],
    ['an object that is neither', (c) => (c.input = {}), /input: got \{\}; allowed: a finite number, or a map/],
    ['log-normal with a mean ≤ 0', (c) => (c.input = { pattern: 'random', mean: 0, std: 1, correlationLength: 0, seed: 1, distribution: 'lognormal' }), /input\.mean: got 0; allowed: a mean > 0 for "distribution": "lognormal"/],
    ['a noise stripe that is 0 inside', (c) => (c.noise.amplitude = { pattern: 'stripe', axis: 'x', center: 8, width: 4, inside: 0, outside: 0.1 }), /noise\.amplitude: the stripe map has the minimum 0 at cell \(ix, iy\) = \(6, 0\); allowed: a noise amplitude D > 0 in every cell/],
    ['a normal random noise that goes negative', (c) => (c.noise.amplitude = { pattern: 'random', mean: 0.02, std: 0.02, correlationLength: 2, seed: 1 }), /noise\.amplitude: the random map has the minimum -[\d.e-]+ at cell .*allowed: a noise amplitude D > 0 .*"lognormal"/],
    ['a tilt that overflows', (c) => (c.input = { pattern: 'tilt', axis: 'x', base: 1, rate: 100 }), /input: the tilt map has the value Infinity at cell \(ix, iy\) = \(\d+, 0\); allowed: finite values/],
    ['a slope map on a sigmoid', (c) => (c.transfer = { type: 'sigmoid', gain: 4, threshold: 0.5, slope: { pattern: 'tilt', axis: 'x', base: 1, rate: 0 } }), /transfer: unknown key "slope"/],
    ['a file not loaded', (c) => (c.noise.amplitude = { file: 'never-loaded.npy' }), /noise\.amplitude: the map file "never-loaded\.npy" has not been loaded; allowed: a file loaded with its config by loadConfigFile .*registerMapFile\("never-loaded\.npy", values\)/],
  ])('%s', (_name, mutate, message) => {
    expect(refusal(mutate)).toMatch(message);
  });

  it('a registered file map of the wrong size is refused', () => {
    registerMapFile('registered-8x8', new Float64Array(64).fill(1));
    expect(refusal((c) => (c.input = { file: 'registered-8x8' }))).toMatch(/input: the map file "registered-8x8" holds 64 values; allowed: one per cell, 256 \(shape \[16, 16\] \(ny × nx, row = y\)\)/);
    registerMapFile('registered-16x16', new Float64Array(256).fill(0.5));
    expect(fieldValues(parseConfig({ ...base(), input: { file: 'registered-16x16' } }), 'input')).toHaveLength(256);
  });
});

/** A .npy file of any descr, written by hand (the project writes only <f8). */
function npyBytes(descr: string, shape: number[], values: number[], fortran = false): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 11, ' ') + '\n';
  const size = Number(descr.slice(2));
  const out = new Uint8Array(total + values.length * size);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const little = descr[0] === '<';
  values.forEach((v, i) => {
    if (descr.endsWith('f8')) view.setFloat64(total + 8 * i, v, little);
    else if (descr.endsWith('f4')) view.setFloat32(total + 4 * i, v, little);
    else view.setInt32(total + 4 * i, v, little);
  });
  return out;
}

describe('map files: .npy read relative to the config file, checked before anything runs', () => {
  const stripe = Array.from({ length: 256 }, (_, i) => (i % 16 >= 6 && i % 16 < 10 ? 0.1 : 0.02));
  function write(files: Record<string, Uint8Array>, over: (c: Doc) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'amari-maps-'));
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    const c = base();
    over(c);
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify(c));
    return path;
  }
  const failure = (path: string) => {
    try {
      loadConfigFile(path);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('the configuration was accepted');
  };

  it('reads float64 and float32, little- and big-endian, registers them and names them by absolute path', () => {
    for (const descr of ['<f8', '>f8', '<f4', '>f4']) {
      const path = write({ 'd.npy': npyBytes(descr, [16, 16], stripe) }, (c) => (c.noise.amplitude = { file: 'd.npy' }));
      const config = loadConfigFile(path);
      const spec = config.noise.amplitude as { file: string };
      expect(spec.file).toBe(join(path, '..', 'd.npy'));
      const values = fieldValues(config, 'noise.amplitude') as Float64Array;
      expect(values[7]).toBeCloseTo(0.1, descr.endsWith('f4') ? 7 : 15);
      expect(values[0]).toBeCloseTo(0.02, descr.endsWith('f4') ? 7 : 15);
      // The same config parses again (a copy, as a run's summary holds it).
      expect(() => parseConfig(structuredClone(config))).not.toThrow();
    }
  });

  it('the project writer and reader agree', () => {
    const bytes = encodeNpy(Float64Array.from(stripe), [16, 16]);
    expect(Array.from(decodeNpy(bytes).data)).toEqual(stripe);
  });

  it.each<[string, Record<string, Uint8Array>, Mappable, RegExp]>([
    ['a missing file', {}, { field: 'input', file: 'nope.npy' }, /input: cannot read the map file "nope\.npy" \(.*nope\.npy\): no such file; allowed: a \.npy file, its path relative to the config file/],
    ['a wrong shape', { 'm.npy': npyBytes('<f8', [8, 32], stripe) }, { field: 'input', file: 'm.npy' }, /input: the map file "m\.npy" .* has shape \[8, 32\]; allowed: \[16, 16\] \(ny × nx, row = y\)/],
    ['a vector', { 'm.npy': npyBytes('<f8', [256], stripe) }, { field: 'input', file: 'm.npy' }, /has shape \[256\]; allowed: \[16, 16\]/],
    ['an integer dtype', { 'm.npy': npyBytes('<i4', [16, 16], stripe.map(() => 1)) }, { field: 'input', file: 'm.npy' }, /input: the map file "m\.npy" .*: dtype '<i4' is not read; allowed: float64 or float32/],
    ['Fortran order', { 'm.npy': npyBytes('<f8', [16, 16], stripe, true) }, { field: 'input', file: 'm.npy' }, /Fortran order; allowed: C order/],
    ['not a .npy file', { 'm.npy': new TextEncoder().encode('hello') }, { field: 'input', file: 'm.npy' }, /not a \.npy file/],
    ['a NaN', { 'm.npy': npyBytes('<f8', [16, 16], stripe.map((v, i) => (i === 17 ? NaN : v))) }, { field: 'transfer.slope', file: 'm.npy' }, /transfer\.slope: the map file "m\.npy" .* has the value NaN at cell \(ix, iy\) = \(1, 1\); allowed: finite values/],
    ['a non-positive noise amplitude', { 'm.npy': npyBytes('<f4', [16, 16], stripe.map((v, i) => (i === 40 ? -0.5 : v))) }, { field: 'noise.amplitude', file: 'm.npy' }, /noise\.amplitude: the map file "m\.npy" .* has the minimum -0\.5 at cell \(ix, iy\) = \(8, 2\); allowed: a noise amplitude D > 0/],
  ])('refuses %s, naming the file and the problem', (_name, files, where, message) => {
    const path = write(files, (c) => {
      if (where.field === 'input') c.input = { file: where.file };
      else if (where.field === 'transfer.slope') c.transfer.slope = { file: where.file };
      else c.noise.amplitude = { file: where.file };
    });
    expect(failure(path)).toMatch(message);
  });
});

type Mappable = { field: 'input' | 'transfer.slope' | 'noise.amplitude'; file: string };
