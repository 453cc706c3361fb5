import GUI, { type Controller } from 'lil-gui';
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
    slope: t.type === 'linear' ? t.slope : 0.8,
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
    input: c.input,
    noise: c.noise.amplitude,
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

export interface ControlHandlers {
  /** A knob of the model changed: apply the config or refuse it (the GUI then shows the last good one). */
  change: (config: ConfigInput) => Promise<void>;
  actions: Record<string, () => void>;
  view: { mode: string; stepsPerFrame: number };
}

/**
 * lil-gui panels for every config field, the run and the view. Changes apply
 * on finish (Enter, blur, release), not on every keystroke; knobs that do not
 * belong to the current transfer or kernel are hidden.
 */
export class Controls {
  readonly gui: GUI;
  knobs: Knobs;
  private readonly byKey = new Map<keyof Knobs, Controller>();

  constructor(config: Config, gridSizes: number[], private readonly handlers: ControlHandlers, container?: HTMLElement) {
    this.knobs = knobsFromConfig(config);
    this.gui = new GUI({ title: 'amari-ep', container, width: 300 });
    const k = this.knobs;
    const add = (folder: GUI, key: keyof Knobs, ...args: unknown[]) => {
      const c = (folder.add as (...a: unknown[]) => Controller)(k, key, ...args).onFinishChange(() => void this.changed());
      this.byKey.set(key, c);
      return c;
    };
    const grid = this.gui.addFolder('grid');
    add(grid, 'n', gridSizes).name('cells per side');
    add(grid, 'length').name('side L');
    const kernel = this.gui.addFolder('kernel');
    add(kernel, 'kernel', ['gaussian', 'mexican-hat']).name('type');
    add(kernel, 'amplitude').name('amplitude (excitation)');
    add(kernel, 'sigma').name('σ (excitation)');
    add(kernel, 'inhibitionAmplitude').name('inhibition amplitude');
    add(kernel, 'inhibitionSigma').name('inhibition σ');
    add(kernel, 'shiftX', -8, 8, 0.05).name('shift x');
    add(kernel, 'shiftY', -8, 8, 0.05).name('shift y');
    add(kernel, 'radius').name('radius (0 = auto)');
    const transfer = this.gui.addFolder('transfer');
    add(transfer, 'transfer', ['linear', 'sigmoid', 'tanh']).name('type');
    add(transfer, 'slope').name('slope');
    add(transfer, 'gain').name('gain β');
    add(transfer, 'threshold').name('threshold θ');
    const model = this.gui.addFolder('dynamics');
    add(model, 'tau').name('τ');
    add(model, 'input').name('input h');
    add(model, 'noise').name('noise D');
    add(model, 'correlationLength').name('noise correlation λ');
    add(model, 'dt').name('dt');
    add(model, 'seed').name('seed');
    add(model, 'initial', ['zero', 'fixed-point', 'random']).name('initial field');
    add(model, 'initialStd').name('initial std');
    const run = this.gui.addFolder('run');
    run.add(handlers.view, 'stepsPerFrame', 1, 500, 1).name('steps per frame');
    run.add(handlers.view, 'mode', ['field', 'entropy density', 'side by side']).name('view');
    for (const [name, fn] of Object.entries(handlers.actions)) run.add({ [name]: fn }, name);
    this.showRelevant();
  }

  private async changed(): Promise<void> {
    this.showRelevant();
    await this.handlers.change(configFromKnobs(this.knobs));
  }

  /** Shows a config's values (after a refusal: the last good one). */
  show(config: Config): void {
    Object.assign(this.knobs, knobsFromConfig(config));
    for (const c of this.gui.controllersRecursive()) c.updateDisplay();
    this.showRelevant();
  }

  private showRelevant(): void {
    const k = this.knobs;
    this.byKey.get('slope')!.show(k.transfer === 'linear');
    this.byKey.get('gain')!.show(k.transfer !== 'linear');
    this.byKey.get('threshold')!.show(k.transfer !== 'linear');
    this.byKey.get('inhibitionAmplitude')!.show(k.kernel === 'mexican-hat');
    this.byKey.get('inhibitionSigma')!.show(k.kernel === 'mexican-hat');
    this.byKey.get('initialStd')!.show(k.initial === 'random');
  }
}
