import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { parseConfig, presetConfig } from '../../src/config/load.js';
import { presetNames, presets } from '../../src/config/presets.js';
import { assertRunnable } from '../../src/run/preflight.js';

type Doc = Record<string, any>;
const good = (): Doc => structuredClone(presets.irreversible) as Doc;

function refusal(mutate: (c: Doc) => void, run = false): string {
  const c = good();
  mutate(c);
  try {
    const config = parseConfig(c);
    if (run) assertRunnable(config);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
}

describe('grids of any size, rectangles and rings (docs/model.md §7)', () => {
  const gaussian = { type: 'gaussian', amplitude: 1, sigma: 1 };
  it('accepts any n ≥ 4, a rectangle [nx, ny] with its lengths, and a ring with a scalar shift', () => {
    for (const n of [4, 12, 13, 100, 1000]) {
      expect(parseConfig({ ...good(), grid: { n, length: n }, kernel: { ...gaussian, shift: [0, 0], radius: 1 } }).grid.n).toBe(n);
    }
    const rect = parseConfig({ ...good(), grid: { n: [24, 10], length: [24, 20] }, kernel: { ...gaussian, shift: [0.5, 0], radius: 4 } });
    expect(rect.grid).toEqual({ n: [24, 10], length: [24, 20], dimensions: 2 });
    const ring = parseConfig({ ...good(), grid: { n: 64, length: 32, dimensions: 1 }, kernel: { ...gaussian, shift: 0.5 } });
    expect(ring.kernel.shift).toBe(0.5);
  });

  it('refuses a kernel wider than one axis of a rectangle, naming the axis, the extent and the largest reach that fits', () => {
    // Δy = 2: R = 4·1 = 4 spans 2·2 + 1 = 5 cells of y's 4; along x (Δx = 1) 9 of 24 fit.
    const message = refusal((c) => Object.assign(c, { grid: { n: [24, 4], length: [24, 8] }, kernel: { ...gaussian, shift: [0, 0] } }));
    expect(message).toMatch(/kernel: along y the stencil spans 2·ceil\(R\/Δy\)\+1 = 5 cells \(R = 4 from .*Δy = 2\) but the grid has 4; allowed: a reach R ≤ 2 /);
    expect(message).not.toMatch(/along x/);
  });

  it('refuses a map along y on a ring', () => {
    expect(
      refusal((c) =>
        Object.assign(c, {
          grid: { n: 64, length: 32, dimensions: 1 },
          kernel: { ...gaussian, shift: 0 },
          input: { pattern: 'stripe', axis: 'y', center: 1, width: 2, inside: 1, outside: 0 },
        }),
      ),
    ).toMatch(/input: a stripe map along axis "y" on a ring; allowed: axis "x"/);
  });
});

describe('configuration validation', () => {
  it('accepts every preset and fills defaults', () => {
    for (const name of presetNames) expect(() => assertRunnable(presetConfig(name))).not.toThrow();
    const c = good();
    delete c.seed;
    delete c.initial;
    delete c.input;
    c.noise = { amplitude: 0.1 };
    const parsed = parseConfig(c);
    expect(parsed.seed).toBe(0);
    expect(parsed.initial).toEqual({ type: 'zero' });
    expect(parsed.input).toBe(0);
    expect(parsed.noise.correlationLength).toBe(0);
  });

  // Each bad value is refused with a message naming the field, what it got and what is allowed.
  it.each<[string, (c: Doc) => void, RegExp]>([
    ['negative n', (c) => (c.grid.n = -3), /grid\.n: got -3; allowed: an integer from 4 to 16384 \(cells per side; a ring up to 262144\), or \[nx, ny\] for a rectangle/],
    ['fractional n', (c) => (c.grid.n = 100.5), /grid\.n: got 100\.5; allowed: an integer from 4/],
    ['n too large for a torus', (c) => (c.grid.n = 20000), /grid\.n: got 20000; allowed: an integer from 4 to 16384 \(larger only for a ring\)/],
    ['a rectangle side too small', (c) => (c.grid.n = [64, 3]), /grid\.n\.1: got 3; allowed: an integer from 4/],
    ['a ring given two sides', (c) => Object.assign(c.grid, { n: [64, 32], dimensions: 1 }), /grid\.n: got \[64, 32\] with grid\.dimensions = 1; allowed: one integer/],
    ['a ring given a 2-D shift', (c) => Object.assign(c.grid, { dimensions: 1 }) && (c.kernel.shift = [1, 0.5]), /kernel\.shift: got \[1, 0\.5\] on a ring; allowed: one number/],
    ['a number shift on a 2-D grid', (c) => (c.kernel.shift = 1), /kernel\.shift: got the number 1 on a 2-D grid; allowed: a pair \[sx, sy\]/],
    ['three dimensions', (c) => (c.grid.dimensions = 3), /grid\.dimensions: got 3; allowed: 2 \(a torus, the default\) or 1 \(a ring\)/],
    ['zero length', (c) => (c.grid.length = 0), /grid\.length: got 0; allowed: a finite number > 0/],
    ['dt = 0', (c) => (c.dt = 0), /dt: got 0; allowed: a finite number > 0/],
    ['negative dt', (c) => (c.dt = -0.1), /dt: got -0\.1; allowed: a finite number > 0/],
    ['NaN dt', (c) => (c.dt = NaN), /dt: got NaN; allowed: a finite number > 0/],
    ['infinite tau', (c) => (c.tau = Infinity), /tau: got Infinity; allowed: a finite number > 0/],
    ['string tau', (c) => (c.tau = 'fast'), /tau: got "fast"; allowed: a finite number > 0/],
    ['unknown transfer', (c) => (c.transfer = { type: 'relu' }), /transfer\.type: got "relu"; allowed: type "linear", "sigmoid" or "tanh"/],
    ['NaN slope', (c) => (c.transfer.slope = NaN), /transfer\.slope: got NaN; allowed: a finite number/],
    ['sigmoid without gain', (c) => (c.transfer = { type: 'sigmoid', threshold: 0 }), /transfer\.gain: missing; allowed: a finite number > 0/],
    ['unknown kernel', (c) => (c.kernel.type = 'lorentzian'), /kernel\.type: got "lorentzian"; allowed: type "gaussian" or "mexican-hat"/],
    ['negative sigma', (c) => (c.kernel.sigma = -1), /kernel\.sigma: got -1; allowed: a finite number > 0/],
    ['three-component shift', (c) => (c.kernel.shift = [1, 2, 3]), /kernel\.shift: got \[1,2,3\]; allowed: a pair \[sx, sy\]/],
    ['misspelt key', (c) => (c.kernel.sigam = 1), /kernel: unknown key "sigam"/],
    ['kernel wider than the domain', (c) => (c.kernel.sigma = 20), /kernel: along x and y the stencil spans 2·ceil\(R\/Δ\)\+1 = 165 cells .* but the grid has 64; allowed: a reach R ≤ 31/],
    ['radius wider than the domain', (c) => (c.kernel.radius = 40), /kernel: along x and y the stencil spans .* from kernel\.radius/],
    ['zero noise', (c) => (c.noise.amplitude = 0), /noise\.amplitude: got 0; allowed: a finite number > 0/],
    ['missing noise', (c) => delete c.noise, /noise: missing; allowed: an object \{ amplitude, correlationLength\?, whiteFraction\? \}/],
    ['correlation below a cell', (c) => (c.noise.correlationLength = 0.5), /noise\.correlationLength: got 0\.5; allowed: 0 \(white noise\) or at least the cell size Δx = 1/],
    ['correlation wider than the domain', (c) => (c.noise.correlationLength = 30), /noise\.correlationLength: got 30, whose filter spans/],
    ['white fraction of 1', (c) => Object.assign(c.noise, { correlationLength: 2, whiteFraction: 1 }), /noise\.whiteFraction: got 1; allowed: a number in \[0, 1\)/],
    ['white fraction without correlation', (c) => (c.noise.whiteFraction = 0.1), /noise\.whiteFraction: got 0\.1 with noise\.correlationLength = 0/],
    ['fractional seed', (c) => (c.seed = 1.5), /seed: got 1\.5; allowed: an integer from 0/],
    ['random initial without std', (c) => (c.initial = { type: 'random' }), /initial\.std: missing; allowed: a finite number ≥ 0/],
    ['unknown top-level key', (c) => (c.gird = {}), /\(top level\): unknown key "gird"/],
  ])('%s', (_name, mutate, message) => {
    expect(refusal(mutate)).toMatch(message);
  });

  it('lists every problem at once', () => {
    const message = refusal((c) => {
      c.dt = -1;
      c.tau = 0;
    });
    expect(message).toMatch(/tau: got 0/);
    expect(message).toMatch(/dt: got -1/);
  });

  it('refuses an unstable dt with the mode and the largest stable dt', () => {
    expect(refusal((c) => (c.dt = 2), true)).toMatch(
      /dt = 2 makes Euler–Maruyama unstable: mode \(p, q\) = \(-?\d+, -?\d+\) .* \(allowed: dt < 1\.63\d*\)/,
    );
  });

  it('refuses a linear field with no stationary state', () => {
    expect(refusal((c) => (c.transfer.slope = 1.2), true)).toMatch(/no stationary state: mode \(p, q\) = \(0, 0\) has Re a_k = -0\.2/);
  });

  it('refuses a nonlinear dt at which Euler–Maruyama amplifies a damped mode of the linearisation', () => {
    expect(refusal((c) => Object.assign(c, structuredClone(presets.bump), { dt: 0.5 }), true)).toMatch(
      /dt = 0\.5 makes Euler–Maruyama unstable for the nonlinear field: mode \(p, q\) = \(-?\d+, -?\d+\) linearised at gain f′ = 1\.5 is damped .* allowed: dt < 0\.05\d*/,
    );
  });

  it('refuses a noise spectrum too steep for the estimator to invert', () => {
    const message = refusal((c) => (c.noise.correlationLength = 3), true);
    expect(message).toMatch(/noise\.correlationLength: got 3, which makes .* ratio .*set noise\.whiteFraction ≥ ([\d.e-]+)/);
    // The suggested floor is enough, and is needed.
    const floor = Number(/whiteFraction ≥ ([\d.e-]+)/.exec(message)![1]);
    expect(() => refusal((c) => Object.assign(c.noise, { correlationLength: 3, whiteFraction: floor * 1.01 }), true)).toThrow(/was accepted/);
    expect(refusal((c) => Object.assign(c.noise, { correlationLength: 3, whiteFraction: floor * 0.5 }), true)).toMatch(/ratio/);
  });

  it('refuses unknown presets, naming the known ones', () => {
    expect(() => presetConfig('nope')).toThrow(/preset: got "nope"; allowed: equilibrium, irreversible, bump/);
  });
});
