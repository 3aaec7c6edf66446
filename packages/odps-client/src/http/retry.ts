// Retry policy: which failures are retried, how long to wait, and the auth-recovery cases.
import type { OdpsError } from '../errors.js';

/** Retry policy of the transport (see `OdpsOptions.retry` for what is retried). */
export interface RetryOptions {
  /** Attempts in total, first one included (default 5). */
  maxAttempts: number;
  /** First backoff step (default 200 ms); doubles per attempt, jittered. */
  baseDelayMs: number;
  /** Cap for one wait, including a server's Retry-After (default 30 s). */
  maxDelayMs: number;
  /** Total time instance creation may keep waiting on 409 + Retry-After (default 180 s, as Java/Go). */
  conflictMaxWaitMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 30_000, conflictMaxWaitMs: 180_000 };

/** Equal-jitter exponential backoff: half fixed, half random, so retries of many clients spread out. */
export function backoffDelay(attempt: number, opts: RetryOptions, random: () => number = Math.random): number {
  const exp = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Failures where the request certainly never reached the server: safe to retry for any method. */
const CONNECT_ERROR_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Failures after the request may have been sent: retry only idempotent requests. */
const TRANSIENT_ERROR_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED']);

export function errorCode(err: unknown): string | undefined {
  const c = (err as { code?: unknown } | null)?.code;
  if (typeof c === 'string') return c;
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause && cause !== err ? errorCode(cause) : undefined;
}

export function isConnectError(err: unknown): boolean {
  const c = errorCode(err);
  return c !== undefined && CONNECT_ERROR_CODES.has(c);
}

export function isTransientNetworkError(err: unknown): boolean {
  const c = errorCode(err);
  return c !== undefined && (CONNECT_ERROR_CODES.has(c) || TRANSIENT_ERROR_CODES.has(c));
}

/** Codes that mean "the request itself is wrong": never retried whatever the status. */
const NEVER_RETRY = new Set(['SignatureNotMatch', 'InvalidParameter', 'InvalidArgument', 'NoSuchObject', 'NoPermission', 'AccessDenied']);

export function isRetryableStatus(status: number, error: OdpsError): boolean {
  if (NEVER_RETRY.has(error.code) || error.code.startsWith('NoSuch')) return false;
  return status === 429 || status >= 500;
}

const SKEW_CODES = new Set(['RequestTimeTooSkewd', 'RequestTimeTooSkewed']);
const EXPIRED_OR_SKEW = new Set(['AuthenticationRequestExpired', 'ODPS-0410031']);
/**
 * Answers that mean "your credentials expired": STS/temporary keys rotated under us. ODPS-0410051
 * ("invalid credentials") is included because a rotated STS key answers that way; it is only acted on
 * when the account can refresh (has `invalidate`), and only once per request.
 */
const EXPIRED_CREDENTIAL_CODES = new Set(['InvalidAccessKeyId.Expired', 'SecurityTokenExpired', 'InvalidSecurityToken.Expired', 'ExpiredToken', 'ODPS-0410051']);

/** Local and server clocks further apart than this count as skew for the ambiguous "expired" answers. */
const SKEW_THRESHOLD_MS = 5 * 60_000;

export type AuthRecovery = { kind: 'skew'; serverTimeMs: number } | { kind: 'credentials' } | undefined;

/** Decide whether an auth failure is clock skew (fix offset), expired credentials (refresh) or neither. */
export function authRecovery(error: OdpsError, headers: Record<string, string>, localNowMs: number): AuthRecovery {
  const codes = [error.code, error.odpsCode ?? ''];
  const serverDate = headers['date'] ? Date.parse(headers['date']) : Number.NaN;
  const hasServerDate = !Number.isNaN(serverDate);
  if (codes.some((c) => SKEW_CODES.has(c))) return hasServerDate ? { kind: 'skew', serverTimeMs: serverDate } : undefined;
  if (codes.some((c) => EXPIRED_OR_SKEW.has(c))) {
    if (hasServerDate && Math.abs(serverDate - localNowMs) > SKEW_THRESHOLD_MS) return { kind: 'skew', serverTimeMs: serverDate };
    return { kind: 'credentials' };
  }
  if (codes.some((c) => EXPIRED_CREDENTIAL_CODES.has(c))) return { kind: 'credentials' };
  return undefined;
}
