import cliProgress from 'cli-progress';

/**
 * A progress bar on stderr that appears only once the work has taken a second
 * and only on a terminal: short runs and pipes stay clean.
 */
export function progressReporter(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  const started = Date.now();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total) {
      if (!bar && process.stderr.isTTY && Date.now() - started > 1000) {
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} steps | eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar?.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

/**
 * Start-up stages (requesting the adapter, choosing the convolution,
 * compiling...) as lines on stderr, each with the seconds since the first:
 * only on a terminal, like the progress bar.
 */
export function stageReporter(label: string, stream: NodeJS.WriteStream = process.stderr): (stage: string) => void {
  const started = Date.now();
  return (stage) => {
    if (stream.isTTY) stream.write(`${label}: ${stage} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  };
}
