// Bounded store of tunnel sessions: expire after a lifetime (24 h, tunnel.md §11) and evict least-recently-used.
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../request-context.js';
import { tunnelErrors } from './tunnel-errors.js';

export const SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface Entry<T> {
  value: T;
  createdMs: number;
  weight: number;
}

export interface SessionStoreLimits {
  /** Most sessions kept. */
  maxEntries: number;
  /** Most total weight kept (e.g. snapshot rows); the newest session always stays. */
  maxWeight?: number;
  /** Weight of one session (default 1). */
  weigh?: (value: unknown) => number;
  lifetimeMs?: number;
  /** Called once for every session that leaves the store (expiry, eviction, delete, clear). */
  onRemove?: (value: unknown) => void;
}

/** Session ids shaped like the service's: UTC yyyyMMddHHmmss then 18 hex digits. */
export function newSessionId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
  return stamp + randomBytes(9).toString('hex');
}

/**
 * Map id -> session. Reads refresh recency; going beyond the entry or weight limit drops the least
 * recently used sessions, so a long-running emulator with abandoned sessions keeps bounded memory. A
 * request already streaming from an evicted session keeps its own reference and finishes normally.
 */
export class SessionStore<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private totalWeight = 0;
  private readonly lifetimeMs: number;

  constructor(
    private readonly now: () => Date,
    private readonly limits: SessionStoreLimits,
  ) {
    this.lifetimeMs = limits.lifetimeMs ?? SESSION_LIFETIME_MS;
  }

  add(id: string, value: T): void {
    this.delete(id);
    const weight = this.limits.weigh ? this.limits.weigh(value) : 1;
    this.entries.set(id, { value, createdMs: this.now().getTime(), weight });
    this.totalWeight += weight;
    this.evict();
  }

  get(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (this.now().getTime() - entry.createdMs >= this.lifetimeMs) {
      this.delete(id);
      return undefined;
    }
    // Re-insert: Map order is insertion order, so the front is the least recently used.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.value;
  }

  delete(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.totalWeight -= entry.weight;
    this.limits.onRemove?.(entry.value);
  }

  /** Live sessions (without refreshing recency). */
  values(): T[] {
    const nowMs = this.now().getTime();
    return [...this.entries.values()].filter((e) => nowMs - e.createdMs < this.lifetimeMs).map((e) => e.value);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.delete(id);
  }

  private evict(): void {
    const nowMs = this.now().getTime();
    for (const [id, entry] of this.entries) {
      if (nowMs - entry.createdMs >= this.lifetimeMs) this.delete(id);
    }
    const maxWeight = this.limits.maxWeight ?? Infinity;
    while (this.entries.size > 1 && (this.entries.size > this.limits.maxEntries || this.totalWeight > maxWeight)) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }
}

/** What a write-side session (upload, stream, upsert) is bound to. */
export interface TableBoundSession {
  project: string;
  table: string;
}

/**
 * The write session named by query parameter `idParam`, checked against the request's project (else
 * `notFound`, as the service does not reveal other projects' sessions) and table (else a mismatch error).
 */
export function tableSessionFor<T extends TableBoundSession>(
  ctx: RequestContext, store: SessionStore<T>, idParam: string, notFound: (id: string) => Error,
): T {
  const id = ctx.q(idParam) ?? '';
  const session = store.get(id);
  if (!session || session.project !== ctx.param('project')) throw notFound(id);
  if (session.table !== ctx.param('table').toLowerCase()) throw tunnelErrors.sessionMismatch('upload', id, 'table');
  return session;
}
