import type { Config } from '../../src/config/schema.js';

/**
 * What the page runs, for tools rather than people: a hidden element
 * (data-testid="running-config") whose text is the JSON of the config the
 * Simulation runs; its data-frames counts the frames drawn, and data-time says
 * when the last one was drawn (performance.now(), ms) so that a tool can time
 * whole frames however slow they are. After a refused link the page runs the
 * default preset; the banner says so in words, and bench:demo reads this to
 * check that it measured what it asked for (bench/demo/measure-demo.ts).
 */
let element: HTMLElement | undefined;
let shown: Config | undefined;
let frames = 0;

/** Called once per drawn frame with the running config; re-serialises only when the config object changed. */
export function showRunning(config: Config): void {
  if (!element?.isConnected) {
    element = document.createElement('script');
    element.setAttribute('type', 'application/json');
    element.id = 'running-config';
    element.dataset.testid = 'running-config';
    document.body.appendChild(element);
    shown = undefined;
  }
  // Simulation.apply replaces the config object on every change, so identity tells a new config.
  if (config !== shown) {
    element.textContent = JSON.stringify(config);
    shown = config;
  }
  element.dataset.frames = String(++frames);
  element.dataset.time = String(performance.now());
}
