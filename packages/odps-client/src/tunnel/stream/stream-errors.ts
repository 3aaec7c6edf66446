// Typed failures of stream flushes: a batch whose fate the client cannot know, and a changed table schema.
import { TunnelError } from '../../errors.js';

/**
 * The connection broke after a micro-batch may have reached the server, and the session could not
 * tell whether it was written. Stream batches commit on arrival and the protocol has no idempotency
 * key, so resending could duplicate the rows: the writer stops instead. `recordCount` rows are in doubt.
 */
export class StreamFlushUncertainError extends TunnelError {
  override name = 'StreamFlushUncertainError';
  constructor(readonly sessionId: string, readonly recordCount: number, cause: unknown) {
    super(`stream session ${sessionId}: a flush of ${recordCount} rows may or may not have been written (the connection broke and the session cannot tell); not resent to avoid duplicates`, {
      code: 'StreamFlushUncertain',
      cause,
    });
  }
}
