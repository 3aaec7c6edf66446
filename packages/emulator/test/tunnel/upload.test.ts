import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowSchemaFor, compressBody, encodeArrowBatches, encodeRecordStream, Timestamp, type Column } from '@odps-ts/odps-client';
import type { Emulator } from '../../src/index.js';
import { rowsToRecordBatch } from '../../src/server/tunnel/rows-to-arrow.js';
import { startTunnelEmulator, T0, tunnel } from './helpers.js';
import { expectServerMetrics } from './metrics-assert.js';

async function collectBody(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c);
  return Buffer.concat(out);
}

const SALES = '/projects/demo/tables/sales';
const PART = 'partition=ds%3D20250301%2Chh%3D10';
const SALES_COLS: Column[] = [
  { name: 'a', type: 'bigint' },
  { name: 'b', type: 'string' },
  { name: 'c', type: 'double' },
];

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

interface UploadJson {
  UploadID: string;
  Status: string;
  UploadedBlockList: { BlockID: number; RecordCount: number; Version: number }[];
  MaxFieldSize: number;
  IsOverwrite: boolean;
  Schema: { columns: Column[] };
}

describe('tunnel table upload', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTunnelEmulator();
  }, 60_000);
  afterAll(async () => {
    await emu.close();
  });

  async function createUpload(path: string, query: string): Promise<UploadJson> {
    const res = await tunnel(emu, 'POST', `${path}?${query}`);
    expect(res.status, res.body.toString()).toBe(200);
    return res.json<UploadJson>();
  }

  function put(path: string, id: string, block: number, body: Uint8Array | AsyncIterable<Uint8Array>, extra = '', headers: Record<string, string> = {}) {
    return tunnel(emu, 'PUT', `${path}?uploadid=${id}&blockid=${block}${extra}`, { body, headers });
  }

  it('uploads blocks (chunked, deflated, replaced), lists them, commits, and the rows are in the table', async () => {
    const s = await createUpload(SALES, `uploads&${PART}&create_partition=true`);
    expect(s.Status).toBe('normal');
    expect(s.MaxFieldSize).toBe(8 * 1024 * 1024);
    expect(s.IsOverwrite).toBe(false);
    expect(s.Schema.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);

    const block0 = encodeRecordStream(SALES_COLS, [[1n, 'one', 1.5], [2n, null, 2.5]]);
    const put0 = await put(SALES, s.UploadID, 0, chunked(block0, 7), `&${PART}`);
    expect(put0.status).toBe(200);
    expectServerMetrics(put0.headers['odps-tunnel-metrics'] as string | undefined);
    const block1 = deflateSync(encodeRecordStream(SALES_COLS, [[99n, 'replaced later', 0]]));
    expect((await put(SALES, s.UploadID, 1, block1, `&${PART}`, { 'Content-Encoding': 'deflate' })).status).toBe(200);
    const again = deflateSync(encodeRecordStream(SALES_COLS, [[3n, 'three', 3.5], [4n, 'four', 4.5]]));
    expect((await put(SALES, s.UploadID, 1, chunked(again, 5), `&${PART}`, { 'Content-Encoding': 'deflate' })).status).toBe(200);

    const status = await tunnel(emu, 'GET', `${SALES}?uploadid=${s.UploadID}&${PART}`);
    expect(status.json<UploadJson>().UploadedBlockList.map((b) => [b.BlockID, b.RecordCount, b.Version])).toEqual([[0, 2, 1], [1, 2, 2]]);

    const commit = await tunnel(emu, 'POST', `${SALES}?uploadid=${s.UploadID}&${PART}`);
    expect(commit.status, commit.body.toString()).toBe(200);
    expect(commit.json<UploadJson>().Status).toBe('closed');
    const rows = await emu.engine.readRows('demo', 'sales', { partition: { ds: '20250301', hh: '10' } });
    expect(rows).toEqual([[1n, 'one', 1.5], [2n, null, 2.5], [3n, 'three', 3.5], [4n, 'four', 4.5]]);

    const twice = await tunnel(emu, 'POST', `${SALES}?uploadid=${s.UploadID}&${PART}`);
    expect(twice.status).toBe(409);
    expect(twice.json()).toMatchObject({ Code: 'StatusConflict' });
    const late = await put(SALES, s.UploadID, 2, block0, `&${PART}`);
    expect(late.status).toBe(409);
  });

  it('overwrite=true replaces the partition on commit', async () => {
    const part = { ds: '20250302', hh: '00' };
    await emu.engine.writeRows('demo', 'sales', [[7n, 'old', 7.5], [8n, 'old', 8.5]], { partition: part, createPartition: true });
    const q = 'partition=ds%3D20250302%2Chh%3D00';
    const s = await createUpload(SALES, `uploads=1&${q}&overwrite=true`);
    expect(s.IsOverwrite).toBe(true);
    expect((await put(SALES, s.UploadID, 5, encodeRecordStream(SALES_COLS, [[100n, 'new', 0.5]]), `&${q}`)).status).toBe(200);
    expect((await tunnel(emu, 'POST', `${SALES}?uploadid=${s.UploadID}&${q}`)).status).toBe(200);
    expect(await emu.engine.readRows('demo', 'sales', { partition: part })).toEqual([[100n, 'new', 0.5]]);
  });

  it('rejects a corrupt block with MalformedDataStream and stores nothing', async () => {
    const s = await createUpload(SALES, `uploads&${PART}`);
    const good = encodeRecordStream(SALES_COLS, [[1n, 'abc', 1.5]]);
    const bad = Buffer.from(good);
    bad[4] = bad[4]! ^ 0x01; // inside the string 'abc': the record CRC no longer matches
    const res = await put(SALES, s.UploadID, 0, bad, `&${PART}`);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ Code: 'MalformedDataStream' });
    const truncated = await put(SALES, s.UploadID, 1, good.subarray(0, good.length - 3), `&${PART}`);
    expect(truncated.json()).toMatchObject({ Code: 'MalformedDataStream' });
    const badDeflate = await put(SALES, s.UploadID, 2, Buffer.from('not deflate at all'), `&${PART}`, { 'Content-Encoding': 'deflate' });
    expect(badDeflate.json()).toMatchObject({ Code: 'MalformedDataStream' });
    const lz4 = await put(SALES, s.UploadID, 3, good, `&${PART}`, { 'Content-Encoding': 'x-lz4-frame' });
    expect(lz4.json()).toMatchObject({ Code: 'MalformedDataStream' });
    const zstdCut = await collectBody(compressBody([good], 'zstd'));
    const cut = await put(SALES, s.UploadID, 3, zstdCut.subarray(0, zstdCut.length - 2), `&${PART}`, { 'Content-Encoding': 'zstd' });
    expect(cut.json()).toMatchObject({ Code: 'MalformedDataStream' });
    for (const unknown of ['x-snappy-framed', 'br', 'constructor']) {
      const res2 = await put(SALES, s.UploadID, 3, good, `&${PART}`, { 'Content-Encoding': unknown });
      expect(res2.status, unknown).toBe(400);
      expect(res2.json(), unknown).toMatchObject({ Code: 'UnsupportedCompression' });
    }
    const status = await tunnel(emu, 'GET', `${SALES}?uploadid=${s.UploadID}`);
    expect(status.json<UploadJson>().UploadedBlockList).toEqual([]);
    // The connection stays usable after an early error answer.
    expect((await put(SALES, s.UploadID, 0, good, `&${PART}`)).status).toBe(200);
  });

  it('accepts LZ4 frame and zstd blocks, record and Arrow, by every SDK name', async () => {
    const s = await createUpload(SALES, `uploads&${PART}`);
    const rows: [bigint, string, number][] = Array.from({ length: 500 }, (_, i) => [BigInt(i), `n${i % 7}`, i / 2]);
    const plain = encodeRecordStream(SALES_COLS, rows);
    const names: [string, 'lz4' | 'zstd'][] = [['x-lz4-frame', 'lz4'], ['X-ODPS-LZ4-FRAME', 'lz4'], ['lz4_frame', 'lz4'], ['zstd', 'zstd']];
    for (const [i, [name, codec]] of names.entries()) {
      const body = await collectBody(compressBody([plain], codec));
      const res = await put(SALES, s.UploadID, i, chunked(body, 7), `&${PART}`, { 'Content-Encoding': name });
      expect(res.status, name).toBe(200);
    }
    const status = await tunnel(emu, 'GET', `${SALES}?uploadid=${s.UploadID}`);
    expect(status.json<UploadJson>().UploadedBlockList).toHaveLength(names.length);
  });

  it('checks block ids and commit block lists', async () => {
    const s = await createUpload(SALES, `uploads&${PART}`);
    const block = encodeRecordStream(SALES_COLS, [[1n, 'x', 1]]);
    expect((await put(SALES, s.UploadID, 20000, block)).json()).toMatchObject({ Code: 'InvalidBlockID' });
    expect((await tunnel(emu, 'PUT', `${SALES}?uploadid=${s.UploadID}&blockid=-1`, { body: block })).json()).toMatchObject({ Code: 'InvalidBlockID' });
    expect((await put(SALES, s.UploadID, 19999, block)).status).toBe(200);
    const missing = await tunnel(emu, 'POST', `${SALES}?uploadid=${s.UploadID}`, { body: '[19999, 3]' });
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ Code: 'BlockNotFound' });
    expect((await tunnel(emu, 'GET', `${SALES}?uploadid=${s.UploadID}`)).json<UploadJson>().Status).toBe('normal');
    expect((await tunnel(emu, 'POST', `${SALES}?uploadid=nosuch`)).json()).toMatchObject({ Code: 'NoSuchUpload' });
  });

  it('accepts an Arrow block (batch messages only, CRC framing)', async () => {
    const cols = emu.engine.getTable('demo', 'items')!.columns;
    const rows: unknown[][] = [];
    for (let i = 0; i < 10; i++) {
      rows.push([
        BigInt(i), i === 3 ? null : `n${i}`, i / 4, new Timestamp(BigInt(T0 / 1000 + i), 987654321), '2025-02-03', '-1.50',
        [BigInt(i)], new Map([['k', 1n]]), { a: 1n, b: 'b' }, new Date(T0 + i * 1000), i % 3 === 0,
      ]);
    }
    const batch = rowsToRecordBatch(arrowSchemaFor(cols), cols.map((c) => c.type), rows);
    const parts: Uint8Array[] = [];
    for await (const p of encodeArrowBatches([batch])) parts.push(p);
    const s = await createUpload('/projects/demo/tables/items', 'uploads');
    const res = await put('/projects/demo/tables/items', s.UploadID, 0, Buffer.concat(parts), '&arrow=');
    expect(res.status, res.body.toString()).toBe(200);
    const bad = Buffer.concat(parts);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    const rejected = await put('/projects/demo/tables/items', s.UploadID, 1, bad, '&arrow');
    expect(rejected.json()).toMatchObject({ Code: 'MalformedDataStream' });
    expect((await tunnel(emu, 'POST', `/projects/demo/tables/items?uploadid=${s.UploadID}`)).status).toBe(200);
    const back = await emu.engine.readRows('demo', 'items', {});
    expect(back).toHaveLength(10);
    expect(back.find((r) => r[0] === 3n)).toEqual(rows[3]);
  });

  it('rejects a partition spec on a plain table and a missing partition without create_partition', async () => {
    expect((await tunnel(emu, 'POST', `/projects/demo/tables/items?uploads&${PART}`)).json()).toMatchObject({ Code: 'InvalidPartitionSpec' });
    const absent = await tunnel(emu, 'POST', `${SALES}?uploads&partition=ds%3D20990101%2Chh%3D00`);
    expect(absent.status).toBe(404);
    expect(absent.json()).toMatchObject({ Code: 'NoSuchPartition' });
  });
});
