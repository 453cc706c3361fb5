/**
 * What the page offers tools on `window.amariDemo` (the e2e tests, the soak
 * script): nothing a person needs, and nothing that changes what the page
 * computes unless called.
 */
export interface DemoHooks {
  /** Destroys the page's current GPU device, as a driver reset would lose it: the page should recover (test/e2e/device-loss.e2e.ts). */
  loseDevice(): void;
}

declare global {
  interface Window {
    amariDemo?: DemoHooks;
  }
}

export function exposeHooks(hooks: DemoHooks): void {
  window.amariDemo = hooks;
}
