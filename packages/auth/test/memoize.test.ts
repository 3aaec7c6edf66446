// The memoizing layer on its own: refresh timing, single flight, failure handling, invalidate.

import { describe, expect, it } from 'vitest';
import { CredentialsError } from '../src/index.js';
import { MemoizedCredentials } from '../src/credentials/memoize.js';
import type { ProvidedCredentials } from '../src/credentials/provided-credentials.js';
import { testClock } from './helpers/sts-server.js';

function loaderFrom(clock: { now: () => number }, opts: { lifetimeMs?: number; reuseForMs?: number } = {}) {
  const state = { calls: 0, fail: false, syncThrow: false, expiredBy: 0 };
  const load = (): Promise<ProvidedCredentials> => {
    state.calls++;
    if (state.syncThrow) throw new Error('sync failure');
    if (state.fail) return Promise.reject(new CredentialsError('CredentialsFetchFailed', 'source down'));
    const n = state.calls;
    return Promise.resolve({
      credentials: {
        accessKeyId: `k${n}`,
        accessKeySecret: `s${n}`,
        expiration: state.expiredBy > 0 ? new Date(clock.now() - state.expiredBy) : opts.lifetimeMs === undefined ? undefined : new Date(clock.now() + opts.lifetimeMs),
      },
      source: 'test',
      reuseForMs: opts.reuseForMs,
    });
  };
  return { state, load };
}

describe('MemoizedCredentials', () => {
  it('static credentials without expiration are fetched once', async () => {
    const clock = testClock();
    const { state, load } = loaderFrom(clock);
    const m = new MemoizedCredentials(load, { now: clock.now });
    await m.get();
    clock.advance(10 * 86_400_000);
    expect((await m.get()).credentials.accessKeyId).toBe('k1');
    expect(state.calls).toBe(1);
  });

  it('reuseForMs bounds reuse of credentials without expiration', async () => {
    const clock = testClock();
    const { state, load } = loaderFrom(clock, { reuseForMs: 1_000 });
    const m = new MemoizedCredentials(load, { now: clock.now });
    await m.get();
    clock.advance(999);
    await m.get();
    expect(state.calls).toBe(1);
    clock.advance(1);
    expect((await m.get()).credentials.accessKeyId).toBe('k2');
  });

  it('a custom refreshBeforeMs moves the refresh point', async () => {
    const clock = testClock();
    const { state, load } = loaderFrom(clock, { lifetimeMs: 3_600_000 });
    const m = new MemoizedCredentials(load, { now: clock.now, refreshBeforeMs: 5 * 60_000 });
    await m.get();
    clock.advance(54 * 60_000);
    await m.get();
    expect(state.calls).toBe(1);
    clock.advance(2 * 60_000);
    await m.get();
    expect(state.calls).toBe(2);
  });

  it('a loader that throws synchronously does not poison the cache', async () => {
    const clock = testClock();
    const { state, load } = loaderFrom(clock);
    const m = new MemoizedCredentials(load, { now: clock.now });
    state.syncThrow = true;
    await expect(m.get()).rejects.toThrow('sync failure');
    state.syncThrow = false;
    expect((await m.get()).credentials.accessKeyId).toBe('k2');
  });

  it('backoff doubles between failed refreshes while the cached credential is valid', async () => {
    const clock = testClock();
    const { state, load } = loaderFrom(clock, { lifetimeMs: 3_600_000 });
    const m = new MemoizedCredentials(load, { now: clock.now, retryBackoffMs: 1_000 });
    await m.get();
    clock.advance(50 * 60_000);
    state.fail = true;
    await m.get(); // failure 1 -> next try after 1 s
    expect(state.calls).toBe(2);
    clock.advance(1_000);
    await m.get(); // failure 2 -> next try after 2 s
    expect(state.calls).toBe(3);
    clock.advance(1_500);
    await m.get();
    expect(state.calls).toBe(3);
    clock.advance(600);
    expect((await m.get()).credentials.accessKeyId).toBe('k1');
    expect(state.calls).toBe(4);
  });

  it('an expired credential with a failing refresh throws a CredentialsError that keeps the cause code', async () => {
    const clock = testClock();
    const { state, load } = loaderFrom(clock, { lifetimeMs: 60_000 });
    const m = new MemoizedCredentials(load, { now: clock.now });
    await m.get();
    state.fail = true;
    clock.advance(60_000);
    const err = (await m.get().catch((e: unknown) => e)) as CredentialsError;
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err.code).toBe('CredentialsFetchFailed');
    expect(err.message).toMatch(/expired/);
  });

  it('invalidate() during an in-flight fetch: waiters get the result, the next call fetches again', async () => {
    const clock = testClock();
    let n = 0;
    let release: (() => void) | undefined;
    const m = new MemoizedCredentials(
      () =>
        new Promise<ProvidedCredentials>((resolve) => {
          n++;
          const id = `k${n}`;
          release = () => resolve({ credentials: { accessKeyId: id, accessKeySecret: 's' }, source: 't' });
        }),
      { now: clock.now },
    );
    const first = m.get();
    await new Promise((r) => setTimeout(r, 0));
    m.invalidate();
    release?.();
    expect((await first).credentials.accessKeyId).toBe('k1');
    const second = m.get();
    await new Promise((r) => setTimeout(r, 0));
    release?.();
    expect((await second).credentials.accessKeyId).toBe('k2');
    expect(n).toBe(2);
  });

  describe('a source that answers with already-expired credentials', () => {
    it('is refused with CredentialsExpired and asked again only after a doubling backoff', async () => {
      const clock = testClock();
      const { state, load } = loaderFrom(clock, { lifetimeMs: 3_600_000 });
      state.expiredBy = 1;
      const m = new MemoizedCredentials(load, { now: clock.now, retryBackoffMs: 1_000 });
      const errs = await Promise.all(Array.from({ length: 200 }, () => m.get().then(() => undefined, (e: unknown) => e as CredentialsError)));
      for (const e of errs) expect(e).toMatchObject({ code: 'CredentialsExpired' });
      expect(errs[0]!.message).toBe('test returned credentials that expired at 2025-01-13T08:29:59.999Z (local clock 2025-01-13T08:30:00.000Z)');
      expect(state.calls).toBe(1);
      // 10 simulated minutes of one call every 100 ms: 6000 calls, a bounded handful of loads.
      for (let i = 0; i < 6_000; i++) {
        clock.advance(100);
        await m.get().catch(() => undefined);
      }
      // Backoffs 1, 2, 4, 8, 16 s then every 30 s: about 24 loads in 600 s.
      expect(state.calls).toBeLessThanOrEqual(25);
      expect(state.calls).toBeGreaterThan(5);
    });

    it('expiring exactly now counts as expired; a millisecond later is accepted', async () => {
      const clock = testClock();
      const m = new MemoizedCredentials(async () => ({ credentials: { accessKeyId: 'k', accessKeySecret: 's', expiration: new Date(clock.now()) }, source: 'edge' }), { now: clock.now });
      await expect(m.get()).rejects.toMatchObject({ code: 'CredentialsExpired' });
      const ok = new MemoizedCredentials(async () => ({ credentials: { accessKeyId: 'k', accessKeySecret: 's', expiration: new Date(clock.now() + 1) }, source: 'edge' }), { now: clock.now });
      expect((await ok.get()).credentials.accessKeyId).toBe('k');
    });

    it('recovers once the source sends fresh credentials, and invalidate() lifts the backoff', async () => {
      const clock = testClock();
      const { state, load } = loaderFrom(clock, { lifetimeMs: 3_600_000 });
      state.expiredBy = 60_000;
      const m = new MemoizedCredentials(load, { now: clock.now, retryBackoffMs: 1_000 });
      await expect(m.get()).rejects.toMatchObject({ code: 'CredentialsExpired' });
      state.expiredBy = 0;
      await expect(m.get()).rejects.toMatchObject({ code: 'CredentialsExpired' });
      expect(state.calls).toBe(1);
      m.invalidate();
      expect((await m.get()).credentials.accessKeyId).toBe('k2');
    });

    it('while a cached credential is still valid, an expired refresh answer keeps serving the cache', async () => {
      const clock = testClock();
      const { state, load } = loaderFrom(clock, { lifetimeMs: 3_600_000 });
      const m = new MemoizedCredentials(load, { now: clock.now, retryBackoffMs: 1_000 });
      await m.get();
      clock.advance(50 * 60_000);
      state.expiredBy = 1;
      expect((await m.get()).credentials.accessKeyId).toBe('k1');
      for (let i = 0; i < 100; i++) await m.get();
      expect(state.calls).toBe(2);
      clock.advance(11 * 60_000); // the cached one has expired too
      const e = (await m.get().catch((x: unknown) => x)) as CredentialsError;
      expect(e.code).toBe('CredentialsExpired');
      for (let i = 0; i < 100; i++) await m.get().catch(() => undefined);
      expect(state.calls).toBe(3);
    });

    it('other failures with nothing cached are still retried on the next call (not negatively cached)', async () => {
      const clock = testClock();
      const { state, load } = loaderFrom(clock);
      state.fail = true;
      const m = new MemoizedCredentials(load, { now: clock.now });
      await expect(m.get()).rejects.toMatchObject({ code: 'CredentialsFetchFailed' });
      state.fail = false;
      expect((await m.get()).credentials.accessKeyId).toBe('k2');
    });
  });
});
