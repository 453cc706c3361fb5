/**
 * A sweep refused: a bad --param or --shard, an --out that holds another
 * sweep, shards that do not make one sweep. One line naming what is wrong and
 * what is allowed. A RangeError, so the command line reports it as it reports
 * other refused values: the message alone, exit status 2.
 */
export class SweepError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'SweepError';
  }
}
