// How a failed command is reported: one message on stderr (secrets masked), then its exit code (exit-code.ts).
import { CommanderError } from 'commander';
import { CredentialsError } from '@odps-ts/auth';
import { OdpsError } from '@odps-ts/odps-client';
import type { CliIo } from './context.js';
import { EXIT_USAGE, InterruptedError } from './errors.js';
import { exitCodeFor } from './exit-code.js';
import { redactSecrets } from './redact.js';

const EXPIRED = /expired|InvalidSecurityToken|SecurityToken/i;

/** What to check when the server refused the credentials: the most common setup mistakes. */
export function authHint(err: OdpsError): string | undefined {
  const code = `${err.code} ${err.odpsCode ?? ''}`;
  if (/SignatureNotMatch|SignatureDoesNotMatch/i.test(code) || /signature.*not match/i.test(err.serverMessage)) {
    return 'the AccessKey secret does not match the AccessKey id (or this machine\'s clock is far off); `odps whoami` shows which credentials are used and where they came from';
  }
  if (EXPIRED.test(code) || (err.status === 401 || err.status === 403) && /expired/i.test(err.serverMessage)) {
    return 'the credentials have expired (an STS token?): get fresh ones or use a refreshing source (ALIBABA_CLOUD_CREDENTIALS_URI, a RAM role); `odps whoami` shows the source';
  }
  if (/InvalidAccessKeyId/i.test(code)) return 'the AccessKey id is unknown or disabled; `odps whoami` shows which one is used';
  return undefined;
}

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
    // The client's message carries the request id in its context "(GET /x, HTTP 404, request id R)": it is
    // taken out there and printed once, on its own line, where scripts and support look for it.
    const id = err.requestId;
    const message = id ? err.message.replace(`, request id ${id})`, ')').replace(` (request id ${id})`, '') : err.message;
    say(`odps: ${err.name}: ${message}`);
    if (id) say(`request id: ${id}`);
    const hint = authHint(err);
    if (hint) say(`hint: ${hint}`);
    const instanceId = (err as { instanceId?: string }).instanceId;
    if (instanceId) say(`instance id: ${instanceId}`);
  } else {
    say(`odps: ${(err as Error | undefined)?.message ?? String(err)}`);
  }
  return code;
}
