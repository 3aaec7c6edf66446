import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrowFrameDecoder, decodeArrowStream, decodeRecordStream, decompressBody, RecordStreamDecoder, Timestamp, type Column } from '@odps-ts/odps-client';
import { tableFromIPC, type RecordBatch } from 'apache-arrow';
import type { Emulator } from '../../src/index.js';
import { call } from '../server/helpers.js';
import { startTunnelEmulator, T0, tunnel } from './helpers.js';
import { expectServerMetrics } from './metrics-assert.js';

const ITEMS = '/projects/demo/tables/items';
const SALES = '/projects/demo/tables/sales';
const N = 50;

function itemRow(i: number): unknown[] {
  return [
    BigInt(i),
    i === 1 ? null : `name-${i}`,
    i * 1.5,
    new Timestamp(BigInt(T0 / 1000 + i), 123456789),
    `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
    `${i}.25`,
    [BigInt(i), null, 3n],
    new Map([['k', BigInt(i)]]),
    { a: BigInt(i * 10), b: `s${i}` },
    new Date(T0 + i),
    i % 2 === 0,
  ];
}

function endMetricsAt(body: Buffer): number {
  return body.indexOf(Buffer.from([0x80, 0xf0, 0xff, 0x7f]));
}

async function arrowBatches(body: Uint8Array, columns: Column[], layout: 'ns' | 'struct' | 'auto' = 'auto'): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  async function* once() {
    yield body;
  }
  for await (const b of decodeArrowStream(once(), columns, { timestampLayout: layout })) out.push(b);
  return out;
}

describe('tunnel table download', () => {
  let emu: Emulator;
  let columns: Column[];
  beforeAll(async () => {
    emu = await startTunnelEmulator();
    const rows: unknown[][] = [];
    for (let i = 0; i < N; i++) rows.push(itemRow(i));
    await emu.engine.writeRows('demo', 'items', rows, {});
    await emu.engine.writeRows('demo', 'sales', [[1n, 'x', 1.5], [2n, 'y', 2.5], [3n, null, 3.5]], { partition: { ds: '20250101', hh: '08' }, createPartition: true });
    await emu.engine.writeRows('demo', 'sales', [[9n, 'other', 9.5]], { partition: { ds: '20250102', hh: '08' }, createPartition: true });
    columns = emu.engine.getTable('demo', 'items')!.columns;
  }, 60_000);
  afterAll(async () => {
    await emu.close();
  });

  async function session(path: string, query = 'downloads'): Promise<{ DownloadID: string; RecordCount: number; Status: string; Schema: { columns: Column[]; partitionKeys: Column[] } }> {
    const res = await tunnel(emu, 'POST', `${path}?${query}`);
    expect(res.status, res.body.toString()).toBe(200);
    return res.json();
  }

  it('creates a session (bare `downloads` and `downloads=`) with schema and record count, and reloads it', async () => {
    const s = await session(ITEMS);
    expect(s.Status).toBe('NORMAL');
    expect(s.RecordCount).toBe(N);
    expect(s.Schema.columns.map((c) => [c.name, c.type])).toEqual(columns.map((c) => [c.name, c.type]));
    expect(s.Schema.partitionKeys).toEqual([]);
    const s2 = await session(ITEMS, 'downloads=&asyncmode=true');
    expect(s2.DownloadID).not.toBe(s.DownloadID);
    const reload = await tunnel(emu, 'GET', `${ITEMS}?downloadid=${s.DownloadID}`);
    expect(reload.status).toBe(200);
    expect(reload.json()).toMatchObject({ DownloadID: s.DownloadID, RecordCount: N });
  });

  it('streams every row in the record format with verified checksums and the v6 metrics trailer', async () => {
    const s = await session(ITEMS);
    const res = await tunnel(emu, 'GET', `${ITEMS}?data&downloadid=${s.DownloadID}&rowrange=(0,${N})`);
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(endMetricsAt(res.body)).toBeGreaterThan(0);
    const decoder = new RecordStreamDecoder(columns);
    const rows = [...decoder.push(res.body), ...decoder.end()];
    expectServerMetrics(decoder.result?.metrics);
    expect(rows).toHaveLength(N);
    for (const i of [0, 1, 7, N - 1]) expect(rows[i]).toEqual(itemRow(i));
  });

  it('omits the metrics trailer for tunnel version 5', async () => {
    const s = await session(ITEMS);
    const res = await tunnel(emu, 'GET', `${ITEMS}?data&downloadid=${s.DownloadID}&rowrange=(0,3)`, { version: '5' });
    expect(res.status).toBe(200);
    expect(endMetricsAt(res.body)).toBe(-1);
    const decoded = decodeRecordStream(columns, res.body);
    expect(decoded.rows).toHaveLength(3);
    expect(decoded.metrics).toBeUndefined();
  });

  it('reads a partition with a projection in the requested order', async () => {
    const s = await session(SALES, 'downloads&partition=ds%3D20250101%2Chh%3D08');
    expect(s.RecordCount).toBe(3);
    expect(s.Schema.partitionKeys.map((c) => c.name)).toEqual(['ds', 'hh']);
    const res = await tunnel(emu, 'GET', `${SALES}?data&downloadid=${s.DownloadID}&rowrange=(1,2)&columns=c%2Ca&partition=ds%3D20250101%2Chh%3D08`);
    expect(res.status).toBe(200);
    const cols = [{ name: 'c', type: 'double' }, { name: 'a', type: 'bigint' }];
    const decoder = new RecordStreamDecoder(cols);
    expect([...decoder.push(res.body), ...decoder.end()]).toEqual([[2.5, 2n], [3.5, 3n]]);
    // Field 1 carries `c` (wire type 1, fixed64): the first tag byte is 0x09.
    expect(res.body[0]).toBe(0x09);
  });

  it('requires a full partition spec of an existing partition', async () => {
    const missing = await tunnel(emu, 'POST', `${SALES}?downloads`);
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ Code: 'MissingPartitionSpec' });
    const partial = await tunnel(emu, 'POST', `${SALES}?downloads&partition=ds%3D20250101`);
    expect(partial.json()).toMatchObject({ Code: 'InvalidPartitionSpec' });
    const absent = await tunnel(emu, 'POST', `${SALES}?downloads&partition=ds%3D20991231%2Chh%3D00`);
    expect(absent.status).toBe(404);
    expect(absent.json()).toMatchObject({ Code: 'NoSuchPartition' });
  });

  it('checks rowrange bounds and column names with JSON errors', async () => {
    const s = await session(ITEMS);
    const data = (q: string) => tunnel(emu, 'GET', `${ITEMS}?data&downloadid=${s.DownloadID}&${q}`);
    const beyond = await data(`rowrange=(${N - 1},2)`);
    expect(beyond.status).toBe(400);
    expect(beyond.headers['content-type']).toBe('application/json');
    expect(beyond.json()).toMatchObject({ Code: 'InvalidRowRange' });
    expect(beyond.json<{ RequestId: string }>().RequestId).toBe(beyond.headers['x-odps-request-id']);
    expect((await data(`rowrange=(${N + 1},0)`)).json()).toMatchObject({ Code: 'InvalidRowRange' });
    expect((await data('rowrange=0,5')).json()).toMatchObject({ Code: 'InvalidRowRange' });
    expect((await data('rowrange=(0,1)&columns=nope')).json()).toMatchObject({ Code: 'InvalidColumnSpec' });
    const last = await data(`rowrange=(${N - 1},1)`);
    expect(last.status).toBe(200);
    const empty = await data(`rowrange=(${N},0)`);
    expect(empty.status).toBe(200);
    expect(decodeRecords(empty.body, columns)).toEqual([]);
    const unknown = await tunnel(emu, 'GET', `${ITEMS}?data&downloadid=nosuch&rowrange=(0,1)`);
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ Code: 'NoSuchDownload' });
  });

  it('serves a frozen snapshot: later writes do not change the session', async () => {
    const s = await session(SALES, 'downloads&partition=ds%3D20250102%2Chh%3D08');
    await emu.engine.writeRows('demo', 'sales', [[10n, 'late', 10.5]], { partition: { ds: '20250102', hh: '08' } });
    const res = await tunnel(emu, 'GET', `${SALES}?data&downloadid=${s.DownloadID}&rowrange=(0,1)&partition=ds%3D20250102%2Chh%3D08`);
    expect(decodeRecords(res.body, [{ name: 'a', type: 'bigint' }, { name: 'b', type: 'string' }, { name: 'c', type: 'double' }])).toEqual([[9n, 'other', 9.5]]);
    expect((await session(SALES, 'downloads&partition=ds%3D20250102%2Chh%3D08')).RecordCount).toBe(2);
  });

  it('deflates the body when the client accepts deflate', async () => {
    const s = await session(ITEMS);
    const res = await tunnel(emu, 'GET', `${ITEMS}?data&downloadid=${s.DownloadID}&rowrange=(0,${N})`, { headers: { 'Accept-Encoding': 'deflate' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('deflate');
    const plain = inflateSync(res.body);
    const rows = decodeRecords(plain, columns);
    expect(rows).toHaveLength(N);
    expect(rows[5]).toEqual(itemRow(5));
    // Codecs the emulator does not produce fall back to identity.
    for (const other of ['x-snappy-framed', 'gzip, br', 'zstd;q=0', 'constructor', '__proto__']) {
      const res2 = await tunnel(emu, 'GET', `${ITEMS}?data&downloadid=${s.DownloadID}&rowrange=(0,2)`, { headers: { 'Accept-Encoding': other } });
      expect(res2.headers['content-encoding'], other).toBeUndefined();
      expect(decodeRecords(res2.body, columns), other).toHaveLength(2);
    }
  });

  it('answers LZ4 frame and zstd in the name the client asked for, record and Arrow', async () => {
    const s = await session(ITEMS);
    // Tunnel version 5: no metrics trailer, whose timings would differ between two bodies.
    const plain = await tunnel(emu, 'GET', `${ITEMS}?data&downloadid=${s.DownloadID}&rowrange=(0,${N})`, { version: '5' });
    const plainArrow = await tunnel(emu, 'GET', `${ITEMS}?data&arrow&downloadid=${s.DownloadID}&rowrange=(0,${N})`);
    const cases: [string, string, Buffer][] = [
      ['x-lz4-frame', '', plain.body], ['zstd', '', plain.body],
      ['x-odps-lz4-frame', '&arrow', plainArrow.body], ['zstd', '&arrow', plainArrow.body],
      ['snappy, X-LZ4-FRAME', '', plain.body], ['LZ4_FRAME', '&arrow', plainArrow.body],
    ];
    for (const [accept, arrow, want] of cases) {
      const res = await tunnel(emu, 'GET', `${ITEMS}?data${arrow}&downloadid=${s.DownloadID}&rowrange=(0,${N})`, { headers: { 'Accept-Encoding': accept }, version: '5' });
      expect(res.status).toBe(200);
      const name = accept.split(',').pop()!.trim().toLowerCase();
      expect(res.headers['content-encoding'], accept).toBe(name);
      expect(res.body.equals(want), accept).toBe(false);
      const out: Uint8Array[] = [];
      for await (const c of decompressBody((async function* () { yield res.body; })(), name)) out.push(c);
      expect(Buffer.concat(out).equals(want), accept).toBe(true);
    }
  });

  it('streams Arrow (`arrow` and `arrow=`) with timestamp[ns] and the right values', async () => {
    const s = await session(ITEMS);
    for (const flag of ['arrow', 'arrow=']) {
      const res = await tunnel(emu, 'GET', `${ITEMS}?data&${flag}&downloadid=${s.DownloadID}&rowrange=(2,5)&columns=ts%2Cid%2Cname%2Cprice%2Cday%2Ctags`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
      // Framing header: chunk size 65536 big-endian.
      expect(res.body.readUInt32BE(0)).toBe(65536);
      const cols = ['ts', 'id', 'name', 'price', 'day', 'tags'].map((n) => columns.find((c) => c.name === n)!);
      const batches = await arrowBatches(res.body, cols, 'ns');
      const batch = batches[0]!;
      expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(5);
      expect(batch.schema.fields.map((f) => f.name)).toEqual(['ts', 'id', 'name', 'price', 'day', 'tags']);
      const ts = batch.getChildAt(0)!.data[0]!.values as BigInt64Array;
      expect(ts[0]).toBe(BigInt(T0 / 1000 + 2) * 1_000_000_000n + 123456789n);
      expect(batch.getChildAt(1)!.data[0]!.values as BigInt64Array).toEqual(BigInt64Array.from([2n, 3n, 4n, 5n, 6n]));
      expect(batch.getChildAt(2)!.get(0)).toBe('name-2');
      expect(batch.getChildAt(4)!.data[0]!.values[0]).toBe(Math.round(Date.UTC(2025, 0, 3) / 86_400_000));
      expect([...(batch.getChildAt(5)!.get(0) as Iterable<bigint>)]).toEqual([2n, null, 3n]);
      // decimal(10,2) 2.25 -> unscaled 225 in the low word.
      expect((batch.getChildAt(3)!.data[0]!.values as Uint32Array)[0]).toBe(225);
    }
  });

  it('decodes every column type through the Arrow path', async () => {
    const s = await session(ITEMS);
    const res = await tunnel(emu, 'GET', `${ITEMS}?data&arrow&downloadid=${s.DownloadID}&rowrange=(0,${N})`);
    const batches = await arrowBatches(res.body, columns, 'ns');
    const { arrowBatchToRows } = await import('@odps-ts/odps-client');
    const rows = batches.flatMap((b) => arrowBatchToRows(b, columns));
    expect(rows).toHaveLength(N);
    expect(rows[1]).toEqual(itemRow(1));
    expect(rows[N - 1]).toEqual(itemRow(N - 1));
  });

  it('frames an Arrow body over several chunks with valid checksums', async () => {
    const big = 3000;
    await emu.engine.execute('demo', 'CREATE TABLE wide (id BIGINT, text STRING)');
    const rows: unknown[][] = [];
    for (let i = 0; i < big; i++) rows.push([BigInt(i), `row ${i} `.repeat(20)]);
    await emu.engine.writeRows('demo', 'wide', rows, {});
    const s = await session('/projects/demo/tables/wide');
    const res = await tunnel(emu, 'GET', `/projects/demo/tables/wide?data&arrow&downloadid=${s.DownloadID}&rowrange=(0,${big})`);
    expect(res.body.length).toBeGreaterThan(3 * 65536);
    const deframer = new ArrowFrameDecoder();
    const payload = [...deframer.push(res.body), ...deframer.end()];
    expect(payload.reduce((n, p) => n + p.byteLength, 0)).toBeGreaterThan(3 * 65536);
    const cols = [{ name: 'id', type: 'bigint' }, { name: 'text', type: 'string' }];
    const batches = await arrowBatches(res.body, cols, 'ns');
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(big);
    const last = batches[batches.length - 1]!;
    expect(last.getChildAt(0)!.get(last.numRows - 1)).toBe(BigInt(big - 1));
  });

  it('verifies tunnel signatures (tunnel JSON error on mismatch)', async () => {
    const wrong = await tunnel(emu, 'POST', `${ITEMS}?downloads`, { secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toMatchObject({ Code: 'SignatureNotMatch' });
  });

  it('previews a table as a complete Arrow IPC stream in table column order', async () => {
    const res = await tunnel(emu, 'GET', '/projects/demo/schemas/default/tables/items/preview?limit=3&columns=ts%2Cid');
    expect(res.status).toBe(200);
    const table = tableFromIPC(res.body);
    expect(table.numRows).toBe(3);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'ts']);
    expect(table.getChild('id')!.get(2)).toBe(2n);
    // TIMESTAMP as struct<sec, nano> in preview (tunnel.md §8).
    expect(table.getChild('ts')!.get(0)!.toJSON()).toEqual({ sec: BigInt(T0 / 1000), nano: 123456789 });
    const none = await tunnel(emu, 'GET', '/projects/demo/schemas/default/tables/items/preview?limit=0');
    expect(none.body.length).toBe(0);
  });

  it('keeps tunnel discovery working and answers unknown tables with tunnel JSON', async () => {
    const discovery = await call(emu, 'GET', '/projects/demo/tunnel?service');
    expect(discovery.status).toBe(200);
    expect(`http://${discovery.text}`).toBe(emu.tunnelEndpoint);
    const missing = await tunnel(emu, 'POST', '/projects/demo/tables/nosuch?downloads');
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ Code: 'NoSuchObject' });
    expect((await tunnel(emu, 'POST', '/projects/nosuch/tables/items?downloads')).json()).toMatchObject({ Code: 'NoSuchProject' });
  });

  it('supports the schema path form', async () => {
    const res = await tunnel(emu, 'POST', '/projects/demo/schemas/default/tables/items?downloads');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ RecordCount: N });
  });
});

function decodeRecords(body: Uint8Array, columns: readonly { name: string; type: string }[]): unknown[][] {
  const d = new RecordStreamDecoder(columns);
  return [...d.push(body), ...d.end()];
}
