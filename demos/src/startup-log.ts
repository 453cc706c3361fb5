/** One stage of a start-up: what it did, when it began, and when it ended (undefined while it runs). */
export interface StartupStage {
  label: string;
  started: number;
  ended?: number;
}

/**
 * What a start-up (the page's first config, or a later one) has done so far,
 * stage by stage with the seconds each took: the text of the page's status
 * line. No DOM: the page renders `text()` where it likes. A stage ends when
 * the next begins; `finish` ends the last.
 */
export class StartupLog {
  private stages: StartupStage[] = [];
  private finished = false;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Forgets the last start-up and begins a new one at `label`. */
  begin(label: string): void {
    this.stages = [];
    this.finished = false;
    this.stage(label);
  }

  /** Ends the running stage and begins `label`. */
  stage(label: string): void {
    const t = this.now();
    const running = this.stages[this.stages.length - 1];
    if (running && running.ended === undefined) running.ended = t;
    this.stages.push({ label, started: t });
  }

  /** Ends the last stage: the start-up is done. */
  finish(): void {
    const running = this.stages[this.stages.length - 1];
    if (running && running.ended === undefined) running.ended = this.now();
    this.finished = true;
  }

  get done(): boolean {
    return this.finished;
  }

  /** The stage running now (or the last, once done). */
  get current(): string {
    return this.stages[this.stages.length - 1]?.label ?? '';
  }

  get all(): readonly StartupStage[] {
    return this.stages;
  }

  /** Seconds from the first stage's start to the last's end (or to now, while running). */
  get seconds(): number {
    if (!this.stages.length) return 0;
    const last = this.stages[this.stages.length - 1];
    return ((last.ended ?? this.now()) - this.stages[0].started) / 1000;
  }

  /** "a 0.12 s · b 3.4 s · c 1.0 s…" while running; "… — 4.5 s in all" once done. */
  text(): string {
    const now = this.now();
    const parts = this.stages.map((s) => `${s.label} ${seconds(((s.ended ?? now) - s.started) / 1000)}${s.ended === undefined ? '…' : ''}`);
    return parts.join(' · ') + (this.finished ? ` — ${seconds(this.seconds)} in all` : '');
  }
}

function seconds(s: number): string {
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}
