// Table upload over a real loopback socket: block rolling, block retry with identical bytes, single commit, abort.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecordStream } from '../../src/tunnel/records/record-decoder.js';
import { TableUploadSession } from '../../src/tunnel/upload/upload-session.js';
import { ValueTypeError } from '../../src/types/value-type-error.js';
import { startTunnelServer, type ServerOptions, type TunnelServer } from './loopback.js';

const COLUMNS = [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }];

let server: TunnelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function upload(opts: Partial<ServerOptions> = {}) {
  server = await startTunnelServer({ columns: COLUMNS, rowAt: () => [], count: 0, ...opts });
  return TableUploadSession.create(server.odps(), { project: 'p1', name: 't' }, { partition: { ds: '2025' }, overwrite: true, createPartition: true });
}

function serverRows(s: TunnelServer): unknown[][] {
  const ids = [...s.blocks.keys()].sort((a, b) => a - b);
  return ids.flatMap((id) => decodeRecordStream(COLUMNS, s.blocks.get(id)!).rows);
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => [BigInt(i), `name-${i}-${'z'.repeat(50)}`]);

describe('table upload over loopback', () => {
  it('rolls blocks by size, retries a block that got a 500 with the same bytes, commits once with all blocks', async () => {
    const session = await upload({ putFault: (id, attempt) => (id === 1 && attempt === 1 ? 500 : undefined) });
    const create = server!.log[0]!;
    expect(create.method).toBe('POST');
    expect(create.query.has('uploads')).toBe(true);
    expect(create.query.get('overwrite')).toBe('true');
    expect(create.query.get('create_partition')).toBe('true');
    expect(create.query.get('partition')).toBe('ds=2025');

    const w = session.openWriter({ blockSize: 4096 });
    const data = rows(500);
    await w.write(data.slice(0, 200));
    for (const r of data.slice(200)) await w.write(r);
    await w.commit();

    const puts = server!.log.filter((l) => l.method === 'PUT');
    const ids = [...new Set(puts.map((p) => Number(p.query.get('blockid'))))];
    expect(ids.length).toBeGreaterThan(3);
    expect(ids).toEqual(ids.map((_, i) => i));
    const block1 = puts.filter((p) => p.query.get('blockid') === '1');
    expect(block1).toHaveLength(2);
    expect(block1[0]!.body.equals(block1[1]!.body)).toBe(true);
    for (const p of puts) {
      expect(p.query.get('uploadid')).toBe('up-1');
      expect(p.query.get('partition')).toBe('ds=2025');
      expect(p.headers['content-type']).toBe('application/octet-stream');
      expect(p.headers['x-odps-tunnel-version']).toBe('6');
      expect(p.headers['transfer-encoding']).toBe('chunked');
      expect(p.body.length).toBeLessThan(4096 + 200);
    }
    const commits = server!.log.filter((l) => l.method === 'POST' && l.query.has('uploadid'));
    expect(commits).toHaveLength(1);
    expect(commits[0]!.body.length).toBe(0);
    expect(commits[0]!.headers['content-length']).toBe('0');
    expect(create.headers['content-length']).toBe('0');
    // The block list was checked (GET ?uploadid) right before the commit.
    const last = server!.log.slice(-2);
    expect(last[0]!.method).toBe('GET');
    expect(last[0]!.query.get('uploadid')).toBe('up-1');
    expect(w.blockIds).toEqual(ids);
    expect(serverRows(server!)).toEqual(data);
  });

  it('abort never commits', async () => {
    const session = await upload();
    const w = session.openWriter({ blockSize: 2048 });
    await w.write(rows(100));
    expect(server!.blocks.size).toBeGreaterThan(0);
    await w.abort();
    await expect(w.write([1n, 'x'])).rejects.toThrow(/aborted/);
    await expect(w.commit()).rejects.toThrow(/aborted/);
    expect(server!.log.filter((l) => l.method === 'POST' && l.query.has('uploadid'))).toHaveLength(0);
  });

  it('a block that keeps failing poisons the writer: nothing is committed', async () => {
    const session = await upload({ putFault: () => 503 });
    const w = session.openWriter({ blockSize: 2048, maxAttempts: 3 });
    await expect(w.write(rows(100))).rejects.toMatchObject({ status: 503 });
    expect(server!.log.filter((l) => l.method === 'PUT')).toHaveLength(3);
    await expect(w.commit()).rejects.toThrow(/failed earlier/);
    expect(server!.log.filter((l) => l.method === 'POST' && l.query.has('uploadid'))).toHaveLength(0);
  });

  it('rejects a bad value with ValueTypeError naming the column before anything is sent', async () => {
    const session = await upload();
    const w = session.openWriter();
    const before = server!.log.length;
    await expect(w.write([1n, 42])).rejects.toBeInstanceOf(ValueTypeError);
    await expect(w.write({ id: 'nope' })).rejects.toThrow(/"id"/);
    expect(server!.log.length).toBe(before);
  });

  it('object rows, deflate-compressed blocks, and a commit of an all-in-one block', async () => {
    const session = await upload();
    const w = session.openWriter({ compress: true });
    await w.write({ id: 1n, name: 'a' });
    await w.write([{ name: 'b', id: 2 }, [3n, null]]);
    await w.commit();
    const put = server!.log.find((l) => l.method === 'PUT')!;
    expect(put.headers['content-encoding']).toBe('deflate');
    expect(serverRows(server!)).toEqual([[1n, 'a'], [2n, 'b'], [3n, null]]);
  });

  it('commit refuses when the server block list does not match', async () => {
    const session = await upload();
    await expect(session.commit([0, 1])).rejects.toMatchObject({ code: 'BlocksMismatch' });
    expect(server!.log.filter((l) => l.method === 'POST' && l.query.has('uploadid'))).toHaveLength(0);
  });
});
