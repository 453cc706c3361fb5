import type { Config, ConfigInput, MapSpec, Mappable } from '../../src/config/schema.js';

/**
 * A map of docs/model.md §8 has no knob: it rides along unchanged with the number
 * its knob shows, until that knob is edited (then the number replaces the map).
 */
interface CarriedMap {
  spec: MapSpec;
  shown: number;
}

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
  /** Maps of the config (slope, input, noise amplitude), carried past the number knobs. */
  maps: { slope?: CarriedMap; input?: CarriedMap; noise?: CarriedMap };
}

function carried(value: Mappable | undefined, fallback: number): [number, CarriedMap | undefined] {
  if (value === undefined || typeof value === 'number') return [value ?? fallback, undefined];
  return [fallback, { spec: value, shown: fallback }];
}

const restored = (value: number, map: CarriedMap | undefined): Mappable => (map && value === map.shown ? map.spec : value);

export function knobsFromConfig(c: Config): Knobs {
  const k = c.kernel;
  const t = c.transfer;
  const [slope, slopeMap] = carried(t.type === 'linear' ? t.slope : undefined, 0.8);
  const [input, inputMap] = carried(c.input, 0);
  const [noise, noiseMap] = carried(c.noise.amplitude, 0.02);
  return {
    n: c.grid.n,
    length: c.grid.length,
    tau: c.tau,
    transfer: t.type,
    slope,
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
    input,
    noise,
    correlationLength: c.noise.correlationLength,
    dt: c.dt,
    seed: c.seed,
    initial: c.initial.type,
    initialStd: c.initial.type === 'random' ? c.initial.std : 0.1,
    maps: { slope: slopeMap, input: inputMap, noise: noiseMap },
  };
}

export function configFromKnobs(k: Knobs): ConfigInput {
  const shift: [number, number] = [k.shiftX, k.shiftY];
  const radius = k.radius > 0 ? { radius: k.radius } : {};
  return {
    grid: { n: k.n, length: k.length },
    tau: k.tau,
    transfer: k.transfer === 'linear' ? { type: 'linear', slope: restored(k.slope, k.maps.slope) } : { type: k.transfer, gain: k.gain, threshold: k.threshold },
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
    input: restored(k.input, k.maps.input),
    noise: { amplitude: restored(k.noise, k.maps.noise), correlationLength: k.correlationLength },
    dt: k.dt,
    seed: k.seed,
    initial: k.initial === 'random' ? { type: 'random', std: k.initialStd } : { type: k.initial },
  };
}
