/** What the page is doing about its GPU device: nothing to say, recovering from a loss, recovered, or given up. */
export type DeviceState = 'ok' | 'recovering' | 'recovered' | 'gave up';

/**
 * The page's device status line (data-testid="device-status"), under the
 * start-up line: hidden until the GPU device is lost, then what happened and
 * what the page did about it. `data-state` is the DeviceState, `data-losses`
 * the losses so far, and `data-step` the step the run went on from.
 */
export class DeviceStatus {
  private losses = 0;

  constructor(private readonly element: HTMLElement) {
    element.dataset.testid = 'device-status';
    element.dataset.state = 'ok';
    element.dataset.losses = '0';
    element.hidden = true;
  }

  /** A status line placed right after `sibling` (the start-up line). */
  static after(sibling: HTMLElement): DeviceStatus {
    const element = document.createElement('div');
    element.id = 'device-status';
    element.className = 'startup';
    sibling.after(element);
    return new DeviceStatus(element);
  }

  lost(what: string): void {
    this.losses++;
    this.show('recovering', `GPU device lost (${what}); asking for a new one and rebuilding the run…`);
  }

  recovered(what: string, step: number, restored: boolean): void {
    const from = restored
      ? `recovered from step ${step}, the last field kept in memory`
      : `no field of this config was kept yet, so the run started again from step ${step}`;
    this.show('recovered', `GPU device lost (${what}); ${from}. The estimators start again from there.`);
    this.element.dataset.step = String(step);
  }

  gaveUp(why: string): void {
    this.show('gave up', `GPU device lost (${why}); gave up: reload the page to try again.`);
  }

  private show(state: DeviceState, text: string): void {
    const count = this.losses > 1 ? ` [${this.losses} losses so far]` : '';
    this.element.textContent = text + count;
    this.element.dataset.state = state;
    this.element.dataset.losses = String(this.losses);
    this.element.hidden = false;
  }
}
