// Table download over a real loopback socket: streaming, resume after a reset, checksums, truncation, parallel, deflate.
import { afterEach, describe, expect, it } from 'vitest';
import { ChecksumError, TunnelError } from '../../src/errors.js';
import { TableDownloadSession } from '../../src/tunnel/download/table-download-session.js';
import { dataRequests, startTunnelServer, type ServerOptions, type TunnelServer } from './loopback.js';

const COLUMNS = [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }];
const rowAt = (i: number): unknown[] => [BigInt(i), `row-${i}-${'x'.repeat(i % 7)}`];

let server: TunnelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function session(opts: Partial<ServerOptions> & { count: number }) {
  server = await startTunnelServer({ columns: COLUMNS, rowAt, ...opts });
  return TableDownloadSession.create(server.odps(), { project: 'p1', name: 't' }, { partition: "ds='2025'" });
}

function expectSequential(rows: unknown[][], start: number, count: number): void {
  expect(rows.length).toBe(count);
  rows.forEach((r, k) => {
    expect(r[0]).toBe(BigInt(start + k));
    expect(r[1]).toBe(rowAt(start + k)[1]);
  });
}

describe('table download over loopback', () => {
  it('streams many rows with back-pressure (the server stalls while the consumer waits)', async () => {
    const big = (i: number): unknown[] => [BigInt(i), `${i}:${'y'.repeat(200)}`];
    server = await startTunnelServer({ columns: COLUMNS, rowAt: big, count: 200_000 });
    const s = await TableDownloadSession.create(server.odps(), { project: 'p1', name: 't' });
    expect(s.recordCount).toBe(200_000);
    let n = 0;
    let checkedStall = false;
    for await (const row of s.openRecordReader()) {
      expect(row[0]).toBe(BigInt(n));
      n++;
      if (n === 1000) {
        // Stop consuming until the server reports that its socket is full: it must not have sent everything.
        for (let i = 0; i < 500 && !server.stats.waitingDrain; i++) await new Promise((r) => setTimeout(r, 10));
        expect(server.stats.waitingDrain).toBe(true);
        expect(server.stats.written).toBeLessThan(16 * 1024 * 1024);
        checkedStall = true;
      }
    }
    expect(checkedStall).toBe(true);
    expect(n).toBe(200_000);
    expect(server.stats.written).toBeGreaterThan(40 * 1024 * 1024);
  }, 60_000);

  it('resumes after a connection reset mid-body, without losing or duplicating rows', async () => {
    const s = await session({ count: 5000, dataFault: (n) => (n === 0 ? { cutAfterBytes: 20_000 } : undefined) });
    const rows: unknown[][] = [];
    for await (const r of s.openRecordReader()) rows.push(r);
    expectSequential(rows, 0, 5000);
    const reqs = dataRequests(server!.log);
    expect(reqs).toHaveLength(2);
    expect(reqs[0]!.query.get('rowrange')).toBe('(0,5000)');
    const m = /^\((\d+),(\d+)\)$/.exec(reqs[1]!.query.get('rowrange') ?? '')!;
    const resumedAt = Number(m[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThan(5000);
    expect(Number(m[2])).toBe(5000 - resumedAt);
    expect(reqs[1]!.query.get('downloadid')).toBe('dl-1');
    expect(reqs[1]!.query.get('partition')).toBe('ds=2025');
  });

  it('resumes a sub-range read from start + delivered', async () => {
    const s = await session({ count: 5000, dataFault: (n) => (n === 0 ? { cutAfterBytes: 9000 } : undefined) });
    const rows: unknown[][] = [];
    for await (const r of s.openRecordReader({ start: 1000, count: 3000 })) rows.push(r);
    expectSequential(rows, 1000, 3000);
    const reqs = dataRequests(server!.log);
    expect(reqs[0]!.query.get('rowrange')).toBe('(1000,3000)');
    const m = /^\((\d+),(\d+)\)$/.exec(reqs[1]!.query.get('rowrange') ?? '')!;
    expect(Number(m[1]) + Number(m[2])).toBe(4000);
    expect(Number(m[1])).toBeGreaterThan(1000);
  });

  it('a flipped byte is a ChecksumError and is not retried', async () => {
    const s = await session({ count: 2000, dataFault: () => ({ flipByteAt: 5000 }) });
    const rows: unknown[][] = [];
    const err = await (async () => {
      for await (const r of s.openRecordReader()) rows.push(r);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChecksumError);
    expect(rows.length).toBeLessThan(2000);
    expect(dataRequests(server!.log)).toHaveLength(1);
  });

  it('a body that keeps ending early fails clearly after bounded retries', async () => {
    const s = await session({ count: 100, dataFault: () => ({ truncateAt: 3 }) });
    const err = await (async () => {
      for await (const _ of s.openRecordReader()) { /* none */ }
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TunnelError);
    expect((err as TunnelError).code).toBe('TruncatedStream');
    expect((err as Error).message).toMatch(/failed 5 times/);
    expect(dataRequests(server!.log)).toHaveLength(5);
  });

  it('a truncated body that made progress is continued from the cursor', async () => {
    const s = await session({ count: 3000, dataFault: (n) => (n < 2 ? { truncateAt: 15_000 } : undefined) });
    const rows: unknown[][] = [];
    for await (const r of s.openRecordReader()) rows.push(r);
    expectSequential(rows, 0, 3000);
    expect(dataRequests(server!.log).length).toBe(3);
  });

  it('parallel download splits the range, keeps row order and bounded buffering', async () => {
    const s = await session({ count: 10_000, dataFault: (_n, start) => (start === 0 ? { delayMs: 100 } : undefined) });
    const reader = s.openRecordReader({ parallel: 4, bufferRows: 200 });
    const rows: unknown[][] = [];
    for await (const r of reader) rows.push(r);
    expectSequential(rows, 0, 10_000);
    const ranges = dataRequests(server!.log).map((l) => l.query.get('rowrange')).sort();
    expect(ranges).toEqual(['(0,2500)', '(2500,2500)', '(5000,2500)', '(7500,2500)']);
  });

  it('parallel download also resumes a broken range', async () => {
    const s = await session({ count: 8000, dataFault: (_n, start, count) => (start === 4000 && count === 4000 ? { cutAfterBytes: 10_000 } : undefined) });
    const rows: unknown[][] = [];
    for await (const r of s.openRecordReader({ parallel: 2, columns: ['id', 'name'] })) rows.push(r);
    expectSequential(rows, 0, 8000);
    expect(dataRequests(server!.log)).toHaveLength(3);
  });

  it('stopping early releases the connection without reading the rest', async () => {
    const s = await session({ count: 50_000 });
    let n = 0;
    for await (const _ of s.openRecordReader({ parallel: 3 })) if (++n === 10) break;
    expect(n).toBe(10);
  });

  it('asks for deflate and inflates per Content-Encoding; projection and asObjects', async () => {
    const s = await session({ count: 3000, deflate: true });
    const rows: Record<string, unknown>[] = [];
    for await (const r of s.openRecordReader({ compress: true, columns: ['name', 'id', 'ds'], asObjects: true })) rows.push(r);
    expect(rows).toHaveLength(3000);
    expect(rows[42]).toEqual({ name: rowAt(42)[1], id: 42n, ds: '2025' });
    const req = dataRequests(server!.log)[0]!;
    expect(req.headers['accept-encoding']).toBe('deflate');
    expect(req.query.get('columns')).toBe('name,id');
  });

  it('resumes a deflated body cut mid-stream', async () => {
    const s = await session({ count: 20_000, deflate: true, dataFault: (n) => (n === 0 ? { cutAfterBytes: 30_000 } : undefined) });
    const rows: unknown[][] = [];
    for await (const r of s.openRecordReader({ compress: true })) rows.push(r);
    expectSequential(rows, 0, 20_000);
    expect(dataRequests(server!.log)).toHaveLength(2);
  });
});
