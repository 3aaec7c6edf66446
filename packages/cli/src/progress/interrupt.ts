// Ctrl-C handling: the first SIGINT aborts the running operation so it can clean up (stop the
// instance, abort the upload session); a second one exits at once.
import { EXIT_INTERRUPTED } from '../errors.js';

export interface Interrupt {
  readonly signal: AbortSignal;
  /** True once the user pressed Ctrl-C. */
  readonly interrupted: boolean;
  dispose(): void;
}

export function onInterrupt(note: (line: string) => void): Interrupt {
  const controller = new AbortController();
  let count = 0;
  const handler = (): void => {
    count++;
    if (count === 1) {
      note('\ninterrupted: cleaning up (press Ctrl-C again to quit at once)');
      controller.abort(new Error('interrupted by SIGINT'));
    } else {
      process.exit(EXIT_INTERRUPTED);
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    get interrupted() {
      return count > 0;
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
