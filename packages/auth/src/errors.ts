// CredentialsError and the helpers that keep secrets out of error messages.

export type CredentialsErrorCode =
  | 'CredentialsNotFound'
  | 'MalformedCredentialsFile'
  | 'CredentialsFetchFailed'
  | 'InvalidCredentials'
  | 'CredentialsExpired'
  | 'BearerTokenMissing'
  | (string & {});

/** One entry of the default chain's report: which source was looked at and what happened (no secrets). */
export interface CredentialSourceAttempt {
  source: string;
  outcome: string;
}

/** Credentials could not be obtained. The message names sources and fields, never values. */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
  readonly code: CredentialsErrorCode;
  /** Sources the default chain looked at, in order (empty for single-source errors). */
  readonly attempts: readonly CredentialSourceAttempt[];

  constructor(code: CredentialsErrorCode, message: string, attempts: readonly CredentialSourceAttempt[] = []) {
    super(message);
    this.code = code;
    this.attempts = attempts;
  }
}

const REDACTED = '<redacted>';

/** Replaces every occurrence of each (non-empty) secret in `text`. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length > 0) out = out.split(s).join(REDACTED);
  }
  return out;
}

const SENSITIVE_KEY = '[A-Za-z_-]*(?:secret|token|password|signature|credential)[A-Za-z_-]*';
const JSON_FIELD = new RegExp(`("${SENSITIVE_KEY}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const ASSIGNMENT = new RegExp(`\\b(${SENSITIVE_KEY}\\s*[=:]\\s*)[^\\s,;&"']+`, 'gi');
const MAX_FOREIGN_MESSAGE = 300;

/**
 * Scrubs a message we did not write (a provider's or library's error) before it goes into ours:
 * the library's URI provider, for one, quotes the whole response body, secret included.
 * Masks JSON fields and key=value pairs whose key mentions a secret/token, and truncates.
 */
export function scrubForeignMessage(text: string): string {
  let out = text.replace(JSON_FIELD, `$1"${REDACTED}"`).replace(ASSIGNMENT, `$1${REDACTED}`);
  if (out.length > MAX_FOREIGN_MESSAGE) out = `${out.slice(0, MAX_FOREIGN_MESSAGE)}…`;
  return out;
}

/** Message of an unknown thrown value, scrubbed. */
export function describeFailure(err: unknown): string {
  if (err instanceof CredentialsError) return err.message;
  const msg = err instanceof Error ? err.message : String(err);
  return scrubForeignMessage(msg);
}

const PLAIN_CODE = /^[A-Za-z0-9._-]{1,64}$/;
// Shorter credential values are too likely to occur by chance inside an ordinary code.
const MIN_SECRET_MATCH = 6;

/**
 * A server-chosen error code fit to quote: a short plain token such as `Forbidden.RAM`. Anything else
 * (control characters, ANSI escapes, long text, a value of the response's own credentials) becomes
 * `<redacted>`; undefined when the server sent no code.
 */
export function safeServerCode(value: unknown, secrets: readonly unknown[] = []): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !PLAIN_CODE.test(value)) return REDACTED;
  for (const s of secrets) {
    if (typeof s === 'string' && s !== '' && (s === value || (s.length >= MIN_SECRET_MATCH && value.includes(s)))) return REDACTED;
  }
  return value;
}
