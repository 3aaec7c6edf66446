// Upload exactly-once (block retry, single commit, crashed writers) and abort signals at every stage, without leaks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OdpsError, ValueTypeError, type ODPS, type Row } from '@odps-ts/odps-client';
import { isAbort, openSockets, settleSockets, startHarness, within, type Harness } from './helpers.js';

const SINK = 'rel_up';
const SINK_PATH = new RegExp(`^/projects/[^/]+/(schemas/[^/]+/)?tables/${SINK}$`);
const BIG = 'rel_big';

function row(i: number): Row {
  return [BigInt(i), `v-${i}`, i % 2 === 0];
}

describe('reliability: uploads and aborts', () => {
  let h: Harness;
  const count = (): Promise<number> => h.emu.engine.countRows(h.emu.project, SINK, {});
  /** Server-side requests on the sink table's tunnel path: block PUTs and commit POSTs (query `uploadid`, no `uploads`). */
  const puts = (): number => h.server.filter((r) => r.method === 'PUT' && SINK_PATH.test(r.path.split('?')[0]!)).length;
  const commits = (): number => h.server.filter((r) => r.method === 'POST' && SINK_PATH.test(r.path.split('?')[0]!) && /[?&]uploadid=/.test(r.path)).length;

  beforeAll(async () => {
    h = await startHarness({ seed: true });
    await h.emu.engine.execute(h.emu.project, `CREATE TABLE ${SINK} (id BIGINT, name STRING, ok BOOLEAN)`);
    await h.emu.engine.execute(h.emu.project, `CREATE TABLE ${BIG} (id BIGINT, pad STRING)`);
    const rows: Row[] = [];
    for (let i = 0; i < 20_000; i++) rows.push([BigInt(i), 'p'.repeat(40)]);
    await h.emu.engine.writeRows(h.emu.project, BIG, rows, {});
  }, 60_000);
  beforeEach(() => {
    h.emu.faults.clear();
  });
  afterAll(async () => {
    expect(h.observed.leaks()).toEqual([]);
    await h?.close();
  });

  describe('exactly once', () => {
    it('retries a failed block PUT, commits once, and the table gains exactly the rows written', async () => {
      const { odps } = h.client();
      const table = await odps.tables.get(SINK);
      const before = await count();
      const [puts0, commits0] = [puts(), commits()];
      h.emu.faults.set([{ method: 'PUT', pathRegex: SINK_PATH, status: 500, count: 1 }]);
      const writer = await table.openWriter({ blockSize: 2048 });
      const n = 1000;
      for (let i = 0; i < n; i++) await writer.write(row(i));
      await writer.commit();
      const blocks = writer.blockIds.length;
      expect(blocks).toBeGreaterThan(2);
      expect(h.emu.faults.list()).toEqual([]);
      expect(puts() - puts0).toBe(blocks + 1);
      expect(commits() - commits0).toBe(1);
      expect(await count()).toBe(before + n);
      // The rows are the ones written, each once.
      const ids = new Set<bigint>();
      for await (const r of await table.openReader({ columns: ['id'] })) ids.add(r[0] as bigint);
      expect(ids.size).toBe(before + n);
    });

    it('a block PUT that times out is resent under the same id: the rows land once', async () => {
      const before = await count();
      const commits0 = commits();
      // The first PUT's answer is held past the client's headers timeout; the late original can only
      // replace the same block id (or meet a closed session), never add rows.
      const slow = h.client({ timeouts: { headersMs: 200 } }).odps;
      const table = await slow.tables.get(SINK);
      h.emu.faults.set([{ method: 'PUT', pathRegex: SINK_PATH, latencyMs: 2500, count: 1 }]);
      const writer = await table.openWriter();
      await writer.write([row(1), row(2), row(3)]);
      await writer.commit();
      expect(writer.blockIds).toEqual([0]);
      expect(commits() - commits0).toBe(1);
      expect(await count()).toBe(before + 3);
      // Let the delayed original reach the server, then check again.
      await new Promise((r) => setTimeout(r, 2600));
      expect(await count()).toBe(before + 3);
    });

    it('commit whose answer is cut is not repeated: the session is seen CLOSED and rows land once', async () => {
      const { odps } = h.client();
      const table = await odps.tables.get(SINK);
      const before = await count();
      const commits0 = commits();
      const writer = await table.openWriter();
      await writer.write([row(10), row(11)]);
      await writer.close();
      h.emu.faults.set([{ method: 'POST', pathRegex: SINK_PATH, resetAfterBytes: 5, count: 1 }]);
      await writer.commit();
      expect(commits() - commits0).toBe(1);
      expect(await count()).toBe(before + 2);
    });

    it('a writer whose row source throws mid-write commits nothing', async () => {
      const { odps } = h.client();
      const table = await odps.tables.get(SINK);
      const before = await count();
      const commits0 = commits();
      const writer = await table.openWriter({ blockSize: 1024 });
      async function* rows(): AsyncGenerator<Row> {
        for (let i = 0; i < 500; i++) yield row(i);
        throw new Error('source crashed');
      }
      await expect(writer.writeRows(rows())).rejects.toThrow('source crashed');
      expect(writer.blockIds.length).toBeGreaterThan(0);
      await writer.abort();
      await expect(writer.commit()).rejects.toBeInstanceOf(OdpsError);
      expect(commits() - commits0).toBe(0);
      expect(await count()).toBe(before);
    });

    it('an aborted writer commits nothing even after blocks were uploaded', async () => {
      const { odps } = h.client();
      const table = await odps.tables.get(SINK);
      const before = await count();
      const commits0 = commits();
      const writer = await table.openWriter({ blockSize: 1024 });
      for (let i = 0; i < 300; i++) await writer.write(row(i));
      expect(writer.blockIds.length).toBeGreaterThan(0);
      await writer.abort();
      await expect(writer.commit()).rejects.toMatchObject({ code: 'WriterClosed' });
      expect(commits() - commits0).toBe(0);
      expect(await count()).toBe(before);
    });

    it('a type-mismatched value raises ValueTypeError naming the column; nothing is sent or committed', async () => {
      const { odps } = h.client();
      const table = await odps.tables.get(SINK);
      const before = await count();
      const [puts0, commits0] = [puts(), commits()];
      const writer = await table.openWriter();
      const err = await h.observed.failure(writer.write([[1n, 'ok', true], [2n, 42, true]]));
      expect(err).toBeInstanceOf(ValueTypeError);
      expect((err as Error).message).toContain('name');
      const err2 = await h.observed.failure(writer.write([3n, 'x', 'yes']));
      expect(err2).toBeInstanceOf(ValueTypeError);
      expect((err2 as Error).message).toContain('ok');
      await writer.abort();
      expect(puts() - puts0).toBe(0);
      expect(commits() - commits0).toBe(0);
      expect(await count()).toBe(before);
    });
  });

  describe('abort signals at every stage, no leaked sockets', () => {
    let odps: ODPS;
    let baseline = 0;
    beforeAll(async () => {
      await h.closeClients();
      baseline = await settleSockets(0, 2000);
      odps = h.client().odps;
      await odps.tables.exists(SINK);
    });

    /** Runs `op` with a signal aborted after `ms`; expects an abort rejection well before the fault's latency. */
    async function abortAfter(ms: number, op: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(), ms);
      const started = Date.now();
      const err = await h.observed.failure(within(5000, op(ac.signal), 'aborted operation'));
      clearTimeout(timer);
      expect(isAbort(err)).toBe(true);
      expect(Date.now() - started).toBeLessThan(1500);
    }

    it('list', async () => {
      h.emu.faults.set([{ method: 'GET', pathRegex: '^/api/projects/[^/]+/tables$', latencyMs: 3000, count: 1 }]);
      await abortAfter(100, async (signal) => {
        for await (const _ of odps.tables.list({ signal })) { /* page */ }
      });
    });

    it('get', async () => {
      h.emu.faults.set([{ method: 'GET', path: `/tables/${SINK}`, latencyMs: 3000, count: 1 }]);
      await abortAfter(100, (signal) => odps.tables.get(SINK, { signal }));
    });

    it('wait', async () => {
      const inst = await odps.runSql('SELECT 1');
      h.emu.faults.set([{ method: 'GET', pathRegex: '/instances/[^/]+$', latencyMs: 3000 }]);
      await abortAfter(100, (signal) => inst.waitForSuccess({ signal }));
    });

    it('download mid-stream', async () => {
      const table = await odps.tables.get(BIG);
      const ac = new AbortController();
      const reader = await table.openReader({ signal: ac.signal });
      let n = 0;
      const err = await h.observed.failure(within(5000, (async () => {
        for await (const _ of reader) {
          if (++n === 100) ac.abort();
        }
      })(), 'aborted download'));
      expect(isAbort(err)).toBe(true);
      expect(n).toBeLessThan(20_000);
    });

    it('download mid-stream, parallel ranges', async () => {
      const table = await odps.tables.get(BIG);
      const ac = new AbortController();
      const reader = await table.openReader({ signal: ac.signal, parallel: 3, bufferRows: 500 });
      let n = 0;
      const err = await h.observed.failure(within(5000, (async () => {
        for await (const _ of reader) {
          if (++n === 700) ac.abort();
        }
      })(), 'aborted parallel download'));
      expect(isAbort(err)).toBe(true);
    });

    it('upload mid-block: nothing committed', async () => {
      const table = await odps.tables.get(SINK);
      const before = await count();
      const ac = new AbortController();
      const writer = await table.openWriter({ signal: ac.signal });
      await writer.write([row(1), row(2)]);
      h.emu.faults.set([{ method: 'PUT', pathRegex: SINK_PATH, latencyMs: 3000, count: 1 }]);
      await abortAfter(100, (signal) => {
        signal.addEventListener('abort', () => ac.abort(signal.reason));
        return writer.commit();
      });
      expect(await count()).toBe(before);
    });

    it('commit: aborted while the commit POST is in flight', async () => {
      const table = await odps.tables.get(SINK);
      const before = await count();
      const ac = new AbortController();
      const writer = await table.openWriter({ signal: ac.signal });
      await writer.write([row(1), row(2)]);
      await writer.close();
      h.emu.faults.set([{ method: 'POST', pathRegex: SINK_PATH, latencyMs: 2000, count: 1 }]);
      await abortAfter(100, (signal) => {
        signal.addEventListener('abort', () => ac.abort(signal.reason));
        return writer.commit();
      });
      // The server may still apply a commit whose request already arrived; it is all or nothing.
      await new Promise((r) => setTimeout(r, 2100));
      expect([before, before + 2]).toContain(await count());
    });

    it('odps.close() drains and every socket is released', async () => {
      expect(openSockets()).toBeGreaterThan(baseline);
      await within(3000, odps.close(), 'odps.close()');
      expect(await settleSockets(baseline, 4000)).toBeLessThanOrEqual(baseline);
    });
  });
});
