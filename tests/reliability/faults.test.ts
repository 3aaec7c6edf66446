// Reliability against emulator faults: resets mid-download, 503 bursts, 409 on submit, STS expiry, clock skew, slow server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NetworkError, OdpsError, type Row } from '@odps-ts/odps-client';
import { faultPresets } from '@odps-ts/emulator';
import { FAST_RETRY, openSockets, settleSockets, startHarness, within, type Harness } from './helpers.js';

const ROWS = 20_000;
const TABLE = 'rel_src';
const DATA_PATH = new RegExp(`^/projects/[^/]+/(schemas/[^/]+/)?tables/${TABLE}$`);

/** The source rows, in the value model the tunnel reads back (design §4). */
function sourceRow(i: number): Row {
  return [
    BigInt(i) * 1_000_003n - 7n,
    i % 97 === 0 ? null : `name-${i}-${'x'.repeat(i % 13)}`,
    i % 5 === 0 ? null : i / 8,
    new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    i % 3 === 0,
  ];
}
const SOURCE: Row[] = Array.from({ length: ROWS }, (_, i) => sourceRow(i));

/** Compares every row with the source; reports the first differing index instead of a giant diff. */
function expectSameRows(got: Row[], want: Row[] = SOURCE): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (JSON.stringify(got[i], big) !== JSON.stringify(want[i], big)) {
      expect({ index: i, row: got[i] }).toEqual({ index: i, row: want[i] });
    }
  }
}
function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}

describe('reliability: emulator faults', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ seed: true });
    await h.emu.engine.execute(h.emu.project, `CREATE TABLE ${TABLE} (id BIGINT, name STRING, price DOUBLE, at DATETIME, ok BOOLEAN)`);
    await h.emu.engine.writeRows(h.emu.project, TABLE, SOURCE, {});
    await h.emu.engine.execute(h.emu.project, 'CREATE TABLE rel_sink (id BIGINT, name STRING)');
  }, 60_000);
  beforeEach(() => {
    h.emu.faults.clear();
  });
  afterAll(async () => {
    expect(h.observed.leaks()).toEqual([]);
    await h?.close();
  });

  describe('connection reset mid-download', () => {
    it('resumes from the cursor: every row read once, in order, equal to the source', async () => {
      const { odps } = h.client();
      // Two cuts on consecutive data GETs: the first and the resumed body both break mid-stream.
      h.emu.faults.set([
        { method: 'GET', pathRegex: DATA_PATH, resetAfterBytes: 60_000, count: 1 },
        { method: 'GET', pathRegex: DATA_PATH, resetAfterBytes: 150_000, count: 1 },
      ]);
      const before = h.observed.count(`/tables/${TABLE}`, 'GET');
      const table = await odps.tables.get(TABLE);
      const rows: Row[] = [];
      for await (const row of await table.openReader()) rows.push(row);
      expectSameRows(rows);
      expect(h.emu.faults.list()).toEqual([]);
      // The REST get above is on /api; the tunnel GETs are the data GETs: 1 + 2 reopens.
      const dataGets = h.server.filter((r) => r.method === 'GET' && DATA_PATH.test(r.path.split('?')[0]!) && r.path.includes('rowrange'));
      expect(dataGets.length).toBe(3);
      const starts = dataGets.map((r) => Number(/rowrange=%28(\d+)%2C/i.exec(r.path)?.[1] ?? /rowrange=\((\d+),/.exec(decodeURIComponent(r.path))?.[1]));
      expect(starts[0]).toBe(0);
      expect(starts[1]).toBeGreaterThan(0);
      expect(starts[2]).toBeGreaterThan(starts[1]!);
      expect(h.observed.count(`/tables/${TABLE}`, 'GET') - before).toBe(4);
    });

    it('resumes each range of a parallel read and still yields the rows in order', async () => {
      const { odps } = h.client();
      h.emu.faults.set([
        { method: 'GET', pathRegex: DATA_PATH, resetAfterBytes: 20_000, count: 1 },
        { method: 'GET', pathRegex: DATA_PATH, resetAfterBytes: 45_000, count: 1 },
        { method: 'GET', pathRegex: DATA_PATH, resetAfterBytes: 70_000, count: 1 },
      ]);
      const table = await odps.tables.get(TABLE);
      const rows: Row[] = [];
      for await (const row of await table.openReader({ parallel: 4, bufferRows: 2000 })) rows.push(row);
      expectSameRows(rows);
      expect(h.emu.faults.list()).toEqual([]);
    });

    it('resumes an Arrow read: ids are exactly 0..n-1 of the source, none lost or repeated', async () => {
      const { odps } = h.client();
      h.emu.faults.set([{ method: 'GET', pathRegex: DATA_PATH, resetAfterBytes: 100_000, count: 1 }]);
      const table = await odps.tables.get(TABLE);
      const ids: bigint[] = [];
      for await (const batch of await table.openArrowReader({ columns: ['id'] })) {
        for (const v of batch.getChildAt(0)!) ids.push(v as bigint);
      }
      expect(h.emu.faults.list()).toEqual([]);
      expect(ids.length).toBe(ROWS);
      ids.forEach((id, i) => {
        if (id !== SOURCE[i]![0]) expect({ i, id }).toEqual({ i, id: SOURCE[i]![0] });
      });
    });

    it('gives up with a typed TunnelError when every reopen breaks before a row arrives', async () => {
      const { odps } = h.client();
      h.emu.faults.set([{ method: 'GET', pathRegex: DATA_PATH, resetAfterBytes: 3, count: 50 }]);
      const table = await odps.tables.get(TABLE);
      const reader = await table.openReader({ maxAttempts: 3 });
      const err = await h.observed.failure((async () => {
        for await (const _ of reader) { /* drain */ }
      })());
      expect(err).toBeInstanceOf(OdpsError);
      expect((err as Error).name).toBe('TunnelError');
      expect((err as Error).message).toMatch(/failed 3 times/);
      expect(h.emu.faults.list()[0]?.remaining).toBe(47);
    });
  });

  describe('503 bursts', () => {
    it('retries a REST read through a burst with growing, bounded backoff', async () => {
      const { odps } = h.client();
      h.emu.faults.set([{ path: '/tables/ods_orders', status: 503, count: 3 }]);
      const retriesBefore = h.observed.retries.length;
      expect((await odps.tables.get('ods_orders')).name).toBe('ods_orders');
      const retries = h.observed.retries.slice(retriesBefore);
      expect(retries.map((r) => r.reason)).toEqual(['ServiceUnavailable', 'ServiceUnavailable', 'ServiceUnavailable']);
      // Equal-jitter exponential: attempt n waits within [b*2^(n-1)/2, b*2^(n-1)], capped at maxDelayMs.
      retries.forEach((r, i) => {
        const exp = Math.min(FAST_RETRY.maxDelayMs, FAST_RETRY.baseDelayMs * 2 ** i);
        expect(r.delayMs).toBeGreaterThanOrEqual(Math.floor(exp / 2));
        expect(r.delayMs).toBeLessThanOrEqual(exp);
      });
    });

    it('gives up after its retry budget with a typed 503 error (server saw exactly maxAttempts requests)', async () => {
      const { odps } = h.client();
      h.emu.faults.set([{ path: '/tables/ods_orders', status: 503, count: 100 }]);
      const seen = h.server.length;
      const err = await h.observed.failure(odps.tables.get('ods_orders'));
      expect(err).toBeInstanceOf(OdpsError);
      expect(err).toMatchObject({ status: 503, code: 'ServiceUnavailable' });
      expect(h.emu.faults.list()[0]?.remaining).toBe(100 - FAST_RETRY.maxAttempts);
      expect(h.server.slice(seen).filter((r) => r.path.includes('/tables/ods_orders')).length).toBe(FAST_RETRY.maxAttempts);
    });

    it('retries tunnel data GETs through a burst and reads every row', async () => {
      const { odps } = h.client();
      h.emu.faults.set([{ method: 'GET', pathRegex: DATA_PATH, status: 503, count: 2 }]);
      const table = await odps.tables.get(TABLE);
      const rows: Row[] = [];
      for await (const row of await table.openReader({ start: 19_000 })) rows.push(row);
      expectSameRows(rows, SOURCE.slice(19_000));
      expect(h.emu.faults.list()).toEqual([]);
    });
  });

  describe('409 Retry-After on submit', () => {
    it('waits and resubmits; one instance runs', async () => {
      const { odps } = h.client();
      h.emu.faults.set([faultPresets.busyOnCreateInstance(2, 0)]);
      const seen = h.server.length;
      const inst = await odps.executeSql('SELECT 1');
      expect(await inst.isSuccessful()).toBe(true);
      const posts = h.server.slice(seen).filter((r) => r.method === 'POST' && /\/api\/projects\/[^/]+\/instances(\?|$)/.test(r.path));
      expect(posts.map((p) => p.status >= 200 && p.status < 300 ? 'ok' : p.status)).toEqual([409, 409, 'ok']);
    });

    it('stops after the conflict budget with a typed 409 error', async () => {
      const { odps } = h.client({ retry: { ...FAST_RETRY, conflictMaxWaitMs: 2500 } });
      h.emu.faults.set([faultPresets.busyOnCreateInstance(10, 0)]);
      const err = await h.observed.failure(odps.runSql('SELECT 1'));
      expect(err).toBeInstanceOf(OdpsError);
      expect(err).toMatchObject({ status: 409 });
      // Each round counts >= 1 s against 2.5 s: two resubmissions, then the error.
      expect(h.emu.faults.list()[0]?.remaining).toBe(7);
    });
  });

  describe('STS expiry', () => {
    it('mid-download: the resumed GET is refused, credentials are refetched from the URI, all rows arrive', async () => {
      const { odps, account } = h.client();
      h.emu.faults.set([{ method: 'GET', pathRegex: DATA_PATH, resetAfterBytes: 80_000, count: 1 }]);
      const table = await odps.tables.get(TABLE);
      const first = await account.getCredentials();
      const rows: Row[] = [];
      for await (const row of await table.openReader()) {
        // Expire once the first body streams: the reopen after the cut carries a dead token.
        if (rows.length === 0) h.emu.faults.set({ expireSts: true });
        rows.push(row);
      }
      expectSameRows(rows);
      const second = await account.getCredentials();
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
      expect(h.observed.retries.some((r) => r.reason === 'CredentialsExpired')).toBe(true);
    });

    it('mid-upload: later blocks and the commit go through on refreshed credentials; rows land once', async () => {
      const { odps, account } = h.client();
      const table = await odps.tables.get('rel_sink');
      const before = await h.emu.engine.countRows(h.emu.project, 'rel_sink', {});
      const writer = await table.openWriter({ blockSize: 4096 });
      const first = await account.getCredentials();
      const n = 3000;
      for (let i = 0; i < n; i++) {
        if (i === 1500) {
          expect(writer.blockIds.length).toBeGreaterThan(0);
          h.emu.faults.set({ expireSts: true });
        }
        await writer.write([BigInt(i), `sts-${i}`]);
      }
      await writer.commit();
      expect((await account.getCredentials()).accessKeyId).not.toBe(first.accessKeyId);
      expect(await h.emu.engine.countRows(h.emu.project, 'rel_sink', {})).toBe(before + n);
    });
  });

  describe('clock skew', () => {
    it('learns the offset from the server Date and completes tunnel download and upload', async () => {
      h.emu.faults.set({ clockSkewMs: 40 * 60_000 });
      try {
        const { odps } = h.client();
        const table = await odps.tables.get(TABLE);
        expect(Math.abs(odps.transport.clockOffsetMs - 40 * 60_000)).toBeLessThan(60_000);
        const rows: Row[] = [];
        for await (const row of await table.openReader({ start: 19_900 })) rows.push(row);
        expectSameRows(rows, SOURCE.slice(19_900));
        const sink = await odps.tables.get('rel_sink');
        const before = await h.emu.engine.countRows(h.emu.project, 'rel_sink', {});
        const w = await sink.openWriter();
        await w.write([[1n, 'skew'], [2n, 'skew']]);
        await w.commit();
        expect(await h.emu.engine.countRows(h.emu.project, 'rel_sink', {})).toBe(before + 2);
      } finally {
        h.emu.faults.set({ clockSkewMs: 0 });
      }
    });
  });

  describe('slow server', () => {
    it('fires the headers timeout, retries within budget, raises NetworkError, and releases the sockets', async () => {
      const baseline = openSockets();
      const { odps } = h.client({ timeouts: { headersMs: 250 }, retry: { ...FAST_RETRY, maxAttempts: 2 } });
      // Prime discovery-free state (credentials fetch) so only the slow calls are timed.
      await odps.tables.exists('ods_orders');
      h.emu.faults.set([{ path: '/tables/dim_customers', latencyMs: 4000, count: 2 }]);
      const started = Date.now();
      const err = await h.observed.failure(odps.tables.get('dim_customers'));
      const elapsed = Date.now() - started;
      expect(err).toBeInstanceOf(NetworkError);
      expect((err as NetworkError).code).toBe('UND_ERR_HEADERS_TIMEOUT');
      // undici checks socket timeouts on a ~1 s tick: each attempt ends within headersMs + ~1 s, far
      // below the 4 s the server would have taken for one answer.
      expect(elapsed).toBeLessThan(3500);
      await within(3000, odps.close(), 'odps.close() after timeouts');
      expect(await settleSockets(baseline, 4000)).toBeLessThanOrEqual(baseline);
    });
  });
});
