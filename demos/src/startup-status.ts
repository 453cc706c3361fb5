import { StartupLog } from './startup-log.js';

/**
 * Resolves after the browser has had a chance to paint, so a status set
 * before slow synchronous work is seen; after 100 ms at most (a hidden tab
 * runs no animation frames, and must not stall a start-up).
 */
export function nextPaint(): Promise<void> {
  return new Promise((done) => {
    const timeout = setTimeout(done, 100);
    requestAnimationFrame(() => setTimeout(() => (clearTimeout(timeout), done()), 0));
  });
}

/**
 * The page's start-up status line (data-testid="startup"): the stages of the
 * running start-up with the seconds each took (startup-log.ts), the running
 * one ticking, the last one in `data-stage`, and `data-done` once the first
 * frame of the new config is drawn.
 */
export class StartupStatus {
  private readonly log = new StartupLog();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly element: HTMLElement) {}

  begin(label: string): void {
    this.log.begin(label);
    this.timer ??= setInterval(() => this.show(), 250);
    this.show();
  }

  /** A new stage; the returned promise waits for a paint, for callers about to block the main thread. */
  stage(label: string): Promise<void> {
    if (this.log.done || !this.log.all.length) this.log.begin(label);
    else this.log.stage(label);
    this.show();
    return nextPaint();
  }

  finish(): void {
    this.log.finish();
    clearInterval(this.timer);
    this.timer = undefined;
    this.show();
  }

  get done(): boolean {
    return this.log.done;
  }

  private show(): void {
    this.element.textContent = `start-up: ${this.log.text()}`;
    this.element.dataset.stage = this.log.current;
    this.element.dataset.done = String(this.log.done);
  }
}
