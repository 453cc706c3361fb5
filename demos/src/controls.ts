import GUI, { type Controller } from 'lil-gui';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { configFromKnobs, knobsFromConfig, type Knobs } from './knobs.js';

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
