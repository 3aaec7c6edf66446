// Caches a credential loader: refresh-ahead, single flight, serve-while-valid on refresh failure.

import { CredentialsError, describeFailure } from '../errors.js';
import { refuseExpired } from './expiration.js';
import type { CredentialLoader, ProvidedCredentials } from './provided-credentials.js';

export const DEFAULT_REFRESH_BEFORE_MS = 15 * 60_000;
export const DEFAULT_RETRY_BACKOFF_MS = 1_000;
export const MAX_RETRY_BACKOFF_MS = 30_000;

export interface MemoizeOptions {
  /** Refresh this long before expiration (default 15 min). */
  refreshBeforeMs?: number;
  /** First backoff after a failed refresh while the cached credential is still valid (doubles, max 30 s). */
  retryBackoffMs?: number;
  /** Clock for refresh decisions (tests). */
  now?: () => number;
}

interface Entry {
  provided: ProvidedCredentials;
  refreshAt: number;
  expiresAt: number | undefined;
}

/**
 * Refresh time for a fresh snapshot. With a lifetime longer than the window, refresh `refreshBeforeMs`
 * before expiry; with a shorter one (short-lived test tokens) refresh once two thirds are used, so the
 * token is still used for a while instead of being refetched on every call.
 */
function refreshTime(fetchedAt: number, provided: ProvidedCredentials, refreshBeforeMs: number): number {
  const exp = provided.credentials.expiration?.getTime();
  if (exp === undefined) return provided.reuseForMs === undefined ? Number.POSITIVE_INFINITY : fetchedAt + provided.reuseForMs;
  const lifetime = exp - fetchedAt;
  if (lifetime > refreshBeforeMs) return exp - refreshBeforeMs;
  return fetchedAt + Math.max(0, (lifetime * 2) / 3);
}

export class MemoizedCredentials {
  private entry: Entry | undefined;
  private inflight: Promise<ProvidedCredentials> | undefined;
  private generation = 0;
  private failures = 0;
  private retryAfter = 0;
  /**
   * Set while the source keeps answering with already-expired credentials: asking again at once
   * would get the same answer, so until `retryAfter` callers get this error without a fetch.
   */
  private refusedExpired: CredentialsError | undefined;
  private readonly refreshBeforeMs: number;
  private readonly retryBackoffMs: number;
  private readonly now: () => number;

  constructor(
    private readonly load: CredentialLoader,
    opts: MemoizeOptions = {},
  ) {
    this.refreshBeforeMs = opts.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
    this.retryBackoffMs = opts.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS;
    this.now = opts.now ?? Date.now;
    if (!(this.refreshBeforeMs >= 0)) throw new RangeError('refreshBeforeMs must be >= 0');
  }

  /** The source of the last snapshot, if any. */
  get lastSource(): string | undefined {
    return this.entry?.provided.source;
  }

  /** A snapshot usable now; fetches (once, shared by concurrent callers) when due. */
  async get(): Promise<ProvidedCredentials> {
    const entry = this.entry;
    const now = this.now();
    if (entry !== undefined && now < entry.refreshAt) return entry.provided;
    if (now < this.retryAfter) {
      if (entry !== undefined && this.isValid(entry, now)) return entry.provided;
      if (this.refusedExpired !== undefined) throw this.refusedExpired;
    }
    if (entry === undefined) return this.refresh();
    try {
      return await this.refresh();
    } catch (err) {
      // A refresh that fails while the cached snapshot still works must not fail the request.
      const current = this.entry;
      if (current !== undefined && this.isValid(current, this.now())) return current.provided;
      if (current !== undefined) {
        throw new CredentialsError(
          err instanceof CredentialsError ? err.code : 'CredentialsFetchFailed',
          `cached credentials from ${current.provided.source} expired and refreshing failed: ${describeFailure(err)}`,
          err instanceof CredentialsError ? err.attempts : [],
        );
      }
      throw err;
    }
  }

  /** Forget the cached snapshot: the next get() fetches (the server said the credentials expired). */
  invalidate(): void {
    this.entry = undefined;
    this.generation++;
    this.retryAfter = 0;
    this.refusedExpired = undefined;
  }

  private isValid(entry: Entry, now: number): boolean {
    return entry.expiresAt === undefined || now < entry.expiresAt;
  }

  private refresh(): Promise<ProvidedCredentials> {
    if (this.inflight !== undefined) return this.inflight;
    const generation = this.generation;
    const run = (async () => {
      // Yield once so `this.inflight` is set before the loader runs, even if it throws synchronously.
      await Promise.resolve();
      try {
        const provided = await this.load();
        refuseExpired(provided, this.now());
        // A fetch that began before invalidate() still answers its waiters but is not cached.
        if (generation === this.generation) {
          const fetchedAt = this.now();
          this.entry = {
            provided,
            refreshAt: refreshTime(fetchedAt, provided, this.refreshBeforeMs),
            expiresAt: provided.credentials.expiration?.getTime(),
          };
        }
        this.failures = 0;
        this.retryAfter = 0;
        this.refusedExpired = undefined;
        return provided;
      } catch (err) {
        this.failures++;
        const backoff = Math.min(this.retryBackoffMs * 2 ** Math.min(this.failures - 1, 20), MAX_RETRY_BACKOFF_MS);
        this.retryAfter = this.now() + backoff;
        this.refusedExpired = err instanceof CredentialsError && err.code === 'CredentialsExpired' ? err : undefined;
        throw err;
      } finally {
        this.inflight = undefined;
      }
    })();
    this.inflight = run;
    return run;
  }
}
