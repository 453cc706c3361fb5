import { ConfigError } from '../../src/config/errors.js';
import { assertRunnable } from '../../src/run/preflight.js';
import { linearTheory } from '../../src/theory/linear.js';
import { TheoryNotApplicable } from '../../src/theory/modes.js';
import { summarizeTheory, type WorkerReply, type WorkerRequest } from './theory-summary.js';

/**
 * The dense theory of maps and the dense preflight of a slope map run here,
 * off the page's main thread: at 32² they take about 20 s and 3 s on one core,
 * and the frame loop, the GUI and the charts go on meanwhile.
 */
const post = (reply: WorkerReply, transfer: Transferable[] = []) =>
  (self as unknown as { postMessage(message: unknown, transfer: Transferable[]): void }).postMessage(reply, transfer);

self.addEventListener('message', (event: MessageEvent<WorkerRequest>) => {
  const { id, kind, config } = event.data;
  try {
    if (kind === 'preflight') {
      assertRunnable(config);
      post({ id, ok: true, value: null });
    } else {
      const summary = summarizeTheory(linearTheory(config));
      post({ id, ok: true, value: summary }, summary.localDensity ? [summary.localDensity.buffer] : []);
    }
  } catch (e) {
    const error = e as Error;
    // A linearisation with no stationary state (LinearisationUnavailable) is a TheoryNotApplicable to the page.
    const name = e instanceof TheoryNotApplicable ? 'TheoryNotApplicable' : error.name;
    post({ id, ok: false, error: { name, message: error.message, ...(e instanceof ConfigError ? { problems: e.problems } : {}) } });
  }
});
