// CLI error kinds and the exit code each maps to (0 ok, 1 server/task error, 2 usage error, 130 interrupted).

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
/** 128 + SIGINT, the shell convention for a Ctrl-C'd command. */
export const EXIT_INTERRUPTED = 130;

/** Bad flags, arguments, files or configuration: the user must change the command line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The user pressed Ctrl-C; the command already cleaned up (stopped the instance, aborted the upload). */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}
