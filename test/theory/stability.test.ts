import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { presets } from '../../src/config/presets.js';
import { kernelStencil } from '../../src/model/kernels.js';
import { stencilSpectrum } from '../../src/numeric/fft2.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { modeLabel, modesForSlope } from '../../src/theory/modes.js';
import { instabilityReason } from '../../src/theory/stability.js';

/**
 * A tanh field whose linearisation at the steepest gain (β, at u = θ: the
 * uniform fixed point u* = 0 itself) has a_k = 0.019 ± 0.981i for k = (±2, 0):
 * weakly damped and fast-oscillating. At dt = 0.25, dt·|a_k| = 0.245 passed the
 * old rule dt·max|a_k| ≤ 1, yet |1 − dt·a_k| = 1.025: Euler–Maruyama amplifies
 * a mode the dynamics damp.
 */
const tanhInput = (dt: number): ConfigInput => ({
  grid: { n: 16, length: 16 },
  tau: 1,
  transfer: { type: 'tanh', gain: 3.1259, threshold: 0 },
  kernel: {
    type: 'mexican-hat',
    excitation: { amplitude: 1, sigma: 1 },
    inhibition: { amplitude: 1, sigma: 2 },
    shift: [1.0009, 0],
    radius: 7,
  },
  input: 0,
  noise: { amplitude: 0.01, correlationLength: 0 },
  dt,
  seed: 1,
});

describe('stability of nonlinear fields (Euler–Maruyama on the linearisation, gains 0..max f′)', () => {
  it('the tanh example has a_k = 0.019 ± 0.981i at the steepest gain, and |1 − dt·a_k| = 1.025 at dt = 0.25', () => {
    const config = parseConfig(tanhInput(0.25));
    const modes = modesForSlope(config, 3.1259);
    const k = 2; // (p, q) = (2, 0)
    expect(modes.aRe[k]).toBeCloseTo(0.019, 3);
    expect(Math.abs(modes.aIm[k])).toBeCloseTo(0.981, 3);
    expect(Math.hypot(1 - 0.25 * modes.aRe[k], 0.25 * modes.aIm[k])).toBeCloseTo(1.025, 3);
  });

  it('refuses it, naming the mode, the gain, the growth per step and the largest stable dt', () => {
    const reason = instabilityReason(parseConfig(tanhInput(0.25)));
    expect(reason).toMatch(
      /dt = 0\.25 makes Euler–Maruyama unstable for the nonlinear field: mode \(p, q\) = \(-?2, 0\) linearised at gain f′ = 3\.1259 is damped \(a_k = 0\.019\d* [+−] 0\.981\d*i\) but \|1 − dt·a_k\| = 1\.025\d* > 1 \(Re a_k − dt\|a_k\|²\/2 = -0\.10\d* ≤ 0\); allowed: dt < 0\.039\d*/,
    );
    const dtMax = Number(/allowed: dt < ([\d.]+)/.exec(reason!)![1]);
    expect(dtMax).toBeCloseTo((2 * 0.019) / (0.019 ** 2 + 0.981 ** 2), 3);
    // Just below the largest stable dt it runs; just above it does not.
    expect(instabilityReason(parseConfig(tanhInput(0.99 * dtMax)))).toBeUndefined();
    expect(instabilityReason(parseConfig(tanhInput(1.01 * dtMax)))).toMatch(/\(-?2, 0\)/);
  });

  it('agrees with a check of every mode on a fine grid of gains: the endpoints suffice (|1 − dt·a_k(g)|² is convex in g)', () => {
    const config = parseConfig(tanhInput(0.25));
    const kernel = stencilSpectrum({ nx: 16, ny: 16 }, kernelStencil(config));
    for (const dt of [0.01, 0.02, 0.03, 0.038, 0.04, 0.05, 0.1, 0.25]) {
      const c = parseConfig(tanhInput(dt));
      // Brute force: a mode damped at both ends (so at every gain between) must satisfy |1 − dt·a_k| < 1 at all 2001 gains.
      const ends = [modesForSlope(c, 0, kernel), modesForSlope(c, 3.1259, kernel)];
      let stable = true;
      for (let i = 0; i <= 2000; i++) {
        const g = (3.1259 * i) / 2000;
        const m = modesForSlope(c, g, kernel);
        for (let k = 0; k < 256; k++) {
          const dampedThroughout = ends[0].aRe[k] > 0 && ends[1].aRe[k] > 0;
          const growth2 = (1 - dt * m.aRe[k]) ** 2 + (dt * m.aIm[k]) ** 2;
          if (dampedThroughout && growth2 >= 1) stable = false;
          if (!dampedThroughout && i === 2000 && dt * Math.hypot(m.aRe[k], m.aIm[k]) > 1) stable = false;
        }
      }
      expect(instabilityReason(c) === undefined, `dt = ${dt}`).toBe(stable);
    }
  });

  it('still allows modes that grow at the uniform state (bumps forming): the bump preset runs', () => {
    const config = parseConfig(presets.bump);
    const modes = modesForSlope(config, 6 / 4);
    let growing = 0;
    for (let k = 0; k < modes.aRe.length; k++) if (modes.aRe[k] < 0) growing++;
    expect(growing).toBeGreaterThan(100);
    expect(() => assertRunnable(config)).not.toThrow();
    expect(modeLabel({ nx: 64, ny: 64 }, 0)).toEqual([0, 0]);
  });

  it('refuses a growing mode the step does not resolve, as before: dt·|a_k| ≤ 1 for it', () => {
    // Modes that grow at max f′ keep today's rule; here every damped mode is fine at dt = 0.2 but a growing one is not.
    const input: ConfigInput = { ...tanhInput(0.2), kernel: { type: 'gaussian', amplitude: 8, sigma: 1, shift: [0, 0], radius: 5 } };
    const reason = instabilityReason(parseConfig(input));
    expect(reason).toMatch(/dt = 0\.2 is too coarse for the nonlinear dynamics: mode \(p, q\) = \(0, 0\) linearised at gain f′ = 3\.1259 grows \(Re a_k = -\d[\d.]* < 0: the uniform state is unstable, as when bumps form\) with \|a_k\| = \d[\d.]*; allowed: dt ≤ 1\/\|a_k\| = 0\.04\d*/);
  });
});
