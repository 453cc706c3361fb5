import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig } from '../../src/config/load.js';
import { CpuEngine } from '../../src/cpu/cpu-engine.js';
import { initialField } from '../../src/engine/initial.js';
import { waveVectorOf } from '../../src/model/profiles.js';
import { smallLinear } from '../helpers.js';

describe('initial bump and wave (initial.type)', () => {
  it('bump: base + amplitude·exp(−r²/(2 width²)) about the centre, periodic distance, every replica', () => {
    const config = smallLinear({ initial: { type: 'bump', center: [7, 2], width: 1.5, amplitude: 2, base: -0.5 } });
    const u = initialField(config, 2);
    const n = 8;
    expect(u[2 * n + 7]).toBeCloseTo(1.5, 14);
    // (0, 2) is one cell from x = 7 across the periodic edge.
    expect(u[2 * n + 0]).toBeCloseTo(-0.5 + 2 * Math.exp(-1 / (2 * 1.5 ** 2)), 14);
    expect(u[2 * n + 0]).toBeCloseTo(u[2 * n + 6], 14);
    // (7, 6): four cells away in y either way round.
    expect(u[6 * n + 7]).toBeCloseTo(-0.5 + 2 * Math.exp(-16 / (2 * 1.5 ** 2)), 14);
    expect(Array.from(u.subarray(64))).toEqual(Array.from(u.subarray(0, 64)));
  });

  it('wave: base + amplitude·cos(k·x), direction an angle or a vector', () => {
    const along = smallLinear({ initial: { type: 'wave', wavelength: 4, amplitude: 0.3 } });
    const u = initialField(along, 1);
    for (let iy = 0; iy < 8; iy++) {
      for (let ix = 0; ix < 8; ix++) expect(u[iy * 8 + ix]).toBeCloseTo(0.3 * Math.cos((2 * Math.PI * ix) / 4), 14);
    }
    const diagonal = smallLinear({ initial: { type: 'wave', wavelength: 8 / Math.SQRT2, direction: [1, 1], amplitude: 1, base: 0.2 } });
    const v = initialField(diagonal, 1);
    expect(v[3 * 8 + 5]).toBeCloseTo(0.2 + Math.cos((2 * Math.PI * (5 + 3)) / 8), 12);
    const [kx, ky] = waveVectorOf({ wavelength: 2, direction: Math.PI / 2 });
    expect(kx).toBeCloseTo(0, 14);
    expect(ky).toBeCloseTo(Math.PI, 14);
  });

  it('the CPU engine starts from the profile', async () => {
    const config = smallLinear({ initial: { type: 'bump', center: [4, 4], width: 1, amplitude: 1 } });
    const engine = new CpuEngine(config, 1);
    expect(Array.from(await engine.readField())).toEqual(Array.from(initialField(config, 1)));
  });

  it('refuses a zero direction and a non-positive width with the allowed values', () => {
    const base = smallLinear();
    expect(() => parseConfig({ ...base, initial: { type: 'wave', wavelength: 4, direction: [0, 0], amplitude: 1 } })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, initial: { type: 'bump', center: [1, 1], width: 0, amplitude: 1 } })).toThrow(/width.*> 0/);
  });
});
