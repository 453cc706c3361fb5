import { ConfigError } from '../../src/config/errors.js';
import type { Config } from '../../src/config/schema.js';
import { TheoryNotApplicable } from '../../src/theory/modes.js';
import type { TheorySummary, WorkerReply, WorkerRequest } from './theory-summary.js';

/** A request that a newer one replaced before it finished (its worker was stopped). */
export class Superseded extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'Superseded';
  }
}

/**
 * One worker (demos/src/theory-worker.ts) that computes a config's theory or
 * preflight off the main thread. `restart()` stops a computation nobody needs
 * any more (the theory of a config that was replaced): its requests reject
 * with Superseded. Errors come back as what they were: ConfigError with its
 * problems, TheoryNotApplicable with its reason.
 */
export class TheoryWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (v: TheorySummary | null) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor(private readonly label: string) {}

  get busy(): boolean {
    return this.pending.size > 0;
  }

  private start(): Worker {
    const worker = new Worker(new URL('./theory-worker.ts', import.meta.url), { type: 'module', name: this.label });
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) {
        waiting.resolve(reply.value);
        return;
      }
      const { name, message, problems } = reply.error;
      const error = problems ? new ConfigError(problems) : name === 'TheoryNotApplicable' ? new TheoryNotApplicable(message) : new Error(message);
      waiting.reject(error);
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new Error(`the ${this.label} worker failed: ${event.message || 'no message'}`));
    });
    return worker;
  }

  private fail(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
    this.worker?.terminate();
    this.worker = undefined;
  }

  request(kind: WorkerRequest['kind'], config: Config): Promise<TheorySummary | null> {
    this.worker ??= this.start();
    const id = ++this.next;
    const done = new Promise<TheorySummary | null>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ id, kind, config } satisfies WorkerRequest);
    return done;
  }

  /** Stops what the worker computes now, if anything: its requests reject with Superseded. */
  restart(): void {
    if (this.busy) this.fail(new Superseded());
  }

  /** Ends the worker (its page's simulation is gone); a later request starts another. */
  close(): void {
    this.fail(new Superseded());
  }
}
