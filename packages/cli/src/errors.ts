// CLI error kinds and exit codes; kept free of the client libraries so `odps --help` loads fast (mapping: exit-code.ts).
import { CommanderError } from 'commander';

export const EXIT_OK = 0;
/** The server, the task, the network or the data the server sent failed; retrying may help. */
export const EXIT_ERROR = 1;
/** The command cannot run as given: flags, configuration, credentials setup or a local file. */
export const EXIT_USAGE = 2;
/** 128 + SIGINT, the shell convention for a Ctrl-C'd command. */
export const EXIT_INTERRUPTED = 130;

/** Bad flags, arguments, files or configuration: the user must change the command line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Plain words for the errno codes a local file operation can fail with. */
const FILE_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
};

export function fileErrorReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  if (e?.code) return FILE_REASONS[e.code] ?? e.code;
  return e?.message ?? String(err);
}

/** A local file (input, `-o` output, config) cannot be read or written; the message names it and says why. */
export class LocalFileError extends UsageError {
  override name = 'LocalFileError';
  constructor(
    readonly verb: 'read' | 'write',
    readonly path: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot ${verb} ${path}: ${reason}`, options);
  }

  static from(verb: 'read' | 'write', path: string, err: unknown): LocalFileError {
    return err instanceof LocalFileError ? err : new LocalFileError(verb, path, fileErrorReason(err), { cause: err });
  }
}

/** The user pressed Ctrl-C; the command already cleaned up (stopped the instance, aborted the upload). */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
}

/** Commander's "errors" that are really help or version output. */
export function isHelpExit(err: unknown): boolean {
  return err instanceof CommanderError && ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(err.code);
}

