// Bounded store of tunnel sessions: expire after a lifetime (24 h, tunnel.md §11) and evict least-recently-used.
import { randomBytes } from 'node:crypto';

export const SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;

interface Entry<T> {
  value: T;
  createdMs: number;
}

/** Session ids shaped like the service's: UTC yyyyMMddHHmmss then 18 hex digits. */
export function newSessionId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:TZ.]/g, '').slice(0, 14);
  return stamp + randomBytes(9).toString('hex');
}

/**
 * Map id -> session. Reads refresh recency; inserting beyond `maxEntries` drops the least recently
 * used one, so a long-running emulator with abandoned sessions keeps bounded memory.
 */
export class SessionStore<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly now: () => Date,
    private readonly maxEntries: number,
    private readonly lifetimeMs = SESSION_LIFETIME_MS,
  ) {}

  add(id: string, value: T): void {
    this.entries.set(id, { value, createdMs: this.now().getTime() });
    this.evict();
  }

  get(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (this.now().getTime() - entry.createdMs >= this.lifetimeMs) {
      this.entries.delete(id);
      return undefined;
    }
    // Re-insert: Map order is insertion order, so the front is the least recently used.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.value;
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    const nowMs = this.now().getTime();
    for (const [id, entry] of this.entries) {
      if (nowMs - entry.createdMs >= this.lifetimeMs) this.entries.delete(id);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
