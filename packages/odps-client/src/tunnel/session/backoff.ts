// Small helpers for tunnel-level retries: jittered exponential waits and the "connection broke" test.
import { ChecksumError, NetworkError } from '../../errors.js';
import { sleep } from '../../http/sleep.js';

export interface BackoffOptions {
  /** First wait in ms (default 200). */
  baseDelayMs?: number;
  /** Largest wait in ms (default 5000). */
  maxDelayMs?: number;
}

export function backoffMs(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseDelayMs ?? 200;
  const cap = opts.maxDelayMs ?? 5000;
  const exp = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return ms > 0 ? sleep(ms, signal) : Promise.resolve();
}

const BROKEN_CODES = new Set([
  'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET',
  'UND_ERR_BODY_TIMEOUT', 'UND_ERR_ABORTED', 'UND_ERR_CLOSED', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'TruncatedStream', 'Z_BUF_ERROR',
]);

function codeOf(err: unknown, depth = 0): string | undefined {
  if (depth > 4 || err === null || typeof err !== 'object') return undefined;
  const c = (err as { code?: unknown }).code;
  if (typeof c === 'string' && BROKEN_CODES.has(c)) return c;
  return codeOf((err as { cause?: unknown }).cause, depth + 1);
}

/**
 * True when a data transfer died because the connection broke or the body was cut short: worth
 * reopening from the cursor. Checksum mismatches, aborts and server answers (the transport already
 * retried those) are not.
 */
export function isBrokenTransfer(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return false;
  if (err instanceof ChecksumError) return false;
  if (err instanceof NetworkError) return true;
  return codeOf(err) !== undefined;
}
