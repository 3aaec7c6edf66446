// The one mapping from any thrown error to its exit code (the README's table).
import { CommanderError } from 'commander';
import { CredentialsError } from '@odps-ts/auth';
import { OdpsArgumentError } from '@odps-ts/odps-client';
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, InterruptedError, isHelpExit, UsageError } from './errors.js';

/**
 * Credential problems the user fixes in their setup (nothing configured, a half-set pair, an unreadable
 * file); the others (a credentials service failing or answering garbage, expiry) are runtime failures.
 */
const CREDENTIAL_SETUP_CODES = new Set(['CredentialsNotFound', 'MalformedCredentialsFile', 'BearerTokenMissing']);

export function isCredentialSetupError(err: unknown): err is CredentialsError {
  return err instanceof CredentialsError && CREDENTIAL_SETUP_CODES.has(err.code);
}

/**
 * The exit code for an error a command threw. OdpsArgumentError is the client refusing an argument before
 * any request (a name, a spec, the endpoint), so it is the user's to fix; every other error of the client
 * (HTTP failures, NetworkError, malformed answers, checksum and decoding errors) and anything unexpected is 1.
 */
export function exitCodeFor(err: unknown): number {
  if (isHelpExit(err)) return EXIT_OK;
  if (err instanceof CommanderError) return EXIT_USAGE;
  if (err instanceof InterruptedError) return EXIT_INTERRUPTED;
  if (err instanceof UsageError || err instanceof OdpsArgumentError || isCredentialSetupError(err)) return EXIT_USAGE;
  return EXIT_ERROR;
}
