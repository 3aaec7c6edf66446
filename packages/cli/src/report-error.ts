// How a failed command is reported: one message on stderr (secrets masked), then its exit code (exit-code.ts).
import { CommanderError } from 'commander';
import { CredentialsError } from '@odps-ts/auth';
import { OdpsError } from '@odps-ts/odps-client';
import type { CliIo } from './context.js';
import { EXIT_USAGE, InterruptedError } from './errors.js';
import { exitCodeFor } from './exit-code.js';
import { redactSecrets } from './redact.js';

/** Writes the error's message to stderr (secrets in URLs masked) and returns its exit code (exit-code.ts). */
export function reportError(err: unknown, io: CliIo): number {
  const code = exitCodeFor(err);
  const say = (line: string): void => {
    io.stderr.write(`${redactSecrets(line)}\n`);
  };
  // Commander already printed its message (help, version, unknown option...).
  if (err instanceof CommanderError) return code;
  if (err instanceof InterruptedError) {
    say(`odps: ${err.message}`);
  } else if (err instanceof CredentialsError) {
    say(`odps: ${code === EXIT_USAGE ? 'error: ' : ''}credentials: ${err.message}`);
  } else if (code === EXIT_USAGE) {
    say(`odps: error: ${(err as Error).message}`);
  } else if (err instanceof OdpsError) {
    say(`odps: ${err.name}: ${err.message}`);
    if (err.requestId) say(`request id: ${err.requestId}`);
    const instanceId = (err as { instanceId?: string }).instanceId;
    if (instanceId) say(`instance id: ${instanceId}`);
  } else {
    say(`odps: ${(err as Error | undefined)?.message ?? String(err)}`);
  }
  return code;
}
