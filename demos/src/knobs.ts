import type { Config, ConfigInput } from '../../src/config/schema.js';

/** The flat object lil-gui edits: one key per knob, mapped to and from the config. */
export interface Knobs {
  n: number;
  length: number;
  tau: number;
  transfer: 'linear' | 'sigmoid' | 'tanh';
  slope: number;
  gain: number;
  threshold: number;
  kernel: 'gaussian' | 'mexican-hat';
  amplitude: number;
  sigma: number;
  inhibitionAmplitude: number;
  inhibitionSigma: number;
  shiftX: number;
  shiftY: number;
  radius: number;
  input: number;
  noise: number;
  correlationLength: number;
  dt: number;
  seed: number;
  initial: 'zero' | 'fixed-point' | 'random';
  initialStd: number;
}

export function knobsFromConfig(c: Config): Knobs {
  const k = c.kernel;
  const t = c.transfer;
  return {
    n: c.grid.n,
    length: c.grid.length,
    tau: c.tau,
    transfer: t.type,
    slope: t.type === 'linear' && typeof t.slope === 'number' ? t.slope : 0.8,
    gain: t.type === 'linear' ? 4 : t.gain,
    threshold: t.type === 'linear' ? 0 : t.threshold,
    kernel: k.type,
    amplitude: k.type === 'gaussian' ? k.amplitude : k.excitation.amplitude,
    sigma: k.type === 'gaussian' ? k.sigma : k.excitation.sigma,
    inhibitionAmplitude: k.type === 'mexican-hat' ? k.inhibition.amplitude : 0.5,
    inhibitionSigma: k.type === 'mexican-hat' ? k.inhibition.sigma : 2 * k.sigma,
    shiftX: k.shift[0],
    shiftY: k.shift[1],
    radius: k.radius ?? 0,
    input: typeof c.input === 'number' ? c.input : 0,
    noise: typeof c.noise.amplitude === 'number' ? c.noise.amplitude : 0.02,
    correlationLength: c.noise.correlationLength,
    dt: c.dt,
    seed: c.seed,
    initial: c.initial.type,
    initialStd: c.initial.type === 'random' ? c.initial.std : 0.1,
  };
}

export function configFromKnobs(k: Knobs): ConfigInput {
  const shift: [number, number] = [k.shiftX, k.shiftY];
  const radius = k.radius > 0 ? { radius: k.radius } : {};
  return {
    grid: { n: k.n, length: k.length },
    tau: k.tau,
    transfer: k.transfer === 'linear' ? { type: 'linear', slope: k.slope } : { type: k.transfer, gain: k.gain, threshold: k.threshold },
    kernel:
      k.kernel === 'gaussian'
        ? { type: 'gaussian', amplitude: k.amplitude, sigma: k.sigma, shift, ...radius }
        : {
            type: 'mexican-hat',
            excitation: { amplitude: k.amplitude, sigma: k.sigma },
            inhibition: { amplitude: k.inhibitionAmplitude, sigma: k.inhibitionSigma },
            shift,
            ...radius,
          },
    input: k.input,
    noise: { amplitude: k.noise, correlationLength: k.correlationLength },
    dt: k.dt,
    seed: k.seed,
    initial: k.initial === 'random' ? { type: 'random', std: k.initialStd } : { type: k.initial },
  };
}
