import { describe, expect, it } from 'vitest';
import { newSessionId, SESSION_LIFETIME_MS, SessionStore } from '../../src/server/tunnel/session-store.js';

describe('SessionStore', () => {
  it('expires sessions after their lifetime', () => {
    let now = Date.UTC(2025, 0, 1);
    const store = new SessionStore<string>(() => new Date(now), { maxEntries: 10 });
    store.add('a', 'A');
    now += SESSION_LIFETIME_MS - 1;
    expect(store.get('a')).toBe('A');
    now += 1;
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('evicts the least recently used beyond the entry cap', () => {
    const store = new SessionStore<string>(() => new Date(), { maxEntries: 2 });
    store.add('a', 'A');
    store.add('b', 'B');
    expect(store.get('a')).toBe('A'); // a is now the most recent
    store.add('c', 'C');
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')).toBe('A');
    expect(store.get('c')).toBe('C');
  });

  it('evicts by total weight but always keeps the newest', () => {
    const store = new SessionStore<number[]>(() => new Date(), { maxEntries: 10, maxWeight: 5, weigh: (v) => (v as number[]).length });
    store.add('a', [1, 2, 3]);
    store.add('b', [1, 2]);
    expect(store.size).toBe(2);
    store.add('c', [1]);
    expect(store.get('a')).toBeUndefined();
    store.add('huge', new Array<number>(100).fill(0));
    expect(store.size).toBe(1);
    expect(store.get('huge')).toHaveLength(100);
  });

  it('reports every session that leaves: expiry, eviction, delete, replacement and clear', () => {
    let now = Date.UTC(2025, 0, 1);
    const removed: string[] = [];
    const store = new SessionStore<string>(() => new Date(now), { maxEntries: 2, onRemove: (v) => removed.push(v as string) });
    store.add('a', 'A');
    store.add('b', 'B');
    store.add('c', 'C');
    expect(removed).toEqual(['A']);
    store.add('b', 'B2');
    expect(removed).toEqual(['A', 'B']);
    store.delete('c');
    store.delete('c');
    expect(removed).toEqual(['A', 'B', 'C']);
    now += SESSION_LIFETIME_MS;
    expect(store.get('b')).toBeUndefined();
    expect(removed).toEqual(['A', 'B', 'C', 'B2']);
    store.add('d', 'D');
    store.add('e', 'E');
    store.clear();
    expect(removed.slice(4).sort()).toEqual(['D', 'E']);
    expect(store.size).toBe(0);
  });

  it('makes service-shaped ids', () => {
    expect(newSessionId(new Date(Date.UTC(2025, 0, 2, 3, 4, 5)))).toMatch(/^20250102030405[0-9a-f]{18}$/);
  });
});
