import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowBatchToRows, decodeArrowStream, RecordStreamDecoder, Timestamp, type Column } from '@odps-ts/odps-client';
import type { RecordBatch } from 'apache-arrow';
import { startEmulator, type Emulator } from '../../src/index.js';
import { call, fakeEngine, sqlJob } from '../server/helpers.js';
import { startTunnelEmulator, T0, tunnel } from './helpers.js';

async function submit(emu: Emulator, sql: string): Promise<string> {
  const res = await call(emu, 'POST', '/projects/demo/instances', { body: sqlJob(sql) });
  expect(res.status).toBe(201);
  return res.headers['location']!.split('/').pop()!;
}

async function waitTerminated(emu: Emulator, id: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const res = await call(emu, 'GET', `/projects/demo/instances/${id}?instancestatus`);
    if (res.text.includes('Terminated')) return;
  }
  throw new Error(`instance ${id} did not terminate`);
}

interface SessionJson {
  DownloadID: string;
  RecordCount: number;
  Schema: { columns: Column[] };
}

describe('instance tunnel', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startTunnelEmulator();
    const rows: unknown[][] = [];
    for (let i = 0; i < 20; i++) rows.push([BigInt(i), `n${i}`, null, new Timestamp(BigInt(T0 / 1000 + i), 5), null, null, null, null, null, null, null]);
    await emu.engine.writeRows('demo', 'items', rows, {});
  }, 60_000);
  afterAll(async () => {
    await emu.close();
  });

  it('downloads the rows of a SELECT instance (record and struct-timestamp Arrow)', async () => {
    const id = await submit(emu, 'SELECT id, name, ts FROM items WHERE id < 12 ORDER BY id;');
    await waitTerminated(emu, id);
    const path = `/projects/demo/instances/${id}`;
    const created = await tunnel(emu, 'POST', `${path}?downloads`);
    expect(created.status, created.body.toString()).toBe(200);
    const s = created.json<SessionJson>();
    expect(s.RecordCount).toBe(12);
    expect(s.Schema.columns.map((c) => [c.name, c.type])).toEqual([['id', 'bigint'], ['name', 'string'], ['ts', 'timestamp']]);
    expect((await tunnel(emu, 'GET', `${path}?downloadid=${s.DownloadID}`)).json()).toMatchObject({ DownloadID: s.DownloadID });

    const data = await tunnel(emu, 'GET', `${path}?data&downloadid=${s.DownloadID}&rowrange=(10,2)&columns=name%2Cid`);
    expect(data.status).toBe(200);
    const d = new RecordStreamDecoder([{ name: 'name', type: 'string' }, { name: 'id', type: 'bigint' }]);
    expect([...d.push(data.body), ...d.end()]).toEqual([['n10', 10n], ['n11', 11n]]);

    const arrow = await tunnel(emu, 'GET', `${path}?data&arrow&downloadid=${s.DownloadID}&rowrange=(0,12)`);
    expect(arrow.status).toBe(200);
    const batches: RecordBatch[] = [];
    async function* once() {
      yield arrow.body as Uint8Array;
    }
    for await (const b of decodeArrowStream(once(), s.Schema.columns, { timestampLayout: 'struct' })) batches.push(b);
    const ts = batches[0]!.getChildAt(2)!;
    expect(ts.type.toString()).toMatch(/Struct/);
    expect(ts.data[0]!.children[0]!.values[3]).toBe(BigInt(T0 / 1000 + 3));
    expect(ts.data[0]!.children[1]!.values[3]).toBe(5);
    const rows = batches.flatMap((b) => arrowBatchToRows(b, s.Schema.columns));
    expect(rows[3]).toEqual([3n, 'n3', new Timestamp(BigInt(T0 / 1000 + 3), 5)]);

    const bounds = await tunnel(emu, 'GET', `${path}?data&downloadid=${s.DownloadID}&rowrange=(5,8)`);
    expect(bounds.json()).toMatchObject({ Code: 'InvalidRowRange' });
    // The session belongs to another instance.
    const other = await tunnel(emu, 'GET', `/projects/demo/instances/nosuch?downloadid=${s.DownloadID}`);
    expect(other.status).toBe(400);
  });

  it('accepts instance_tunnel_limit_enabled and refuses non-SELECT or unknown instances', async () => {
    const ddl = await submit(emu, 'CREATE TABLE IF NOT EXISTS t_ddl (x BIGINT);');
    await waitTerminated(emu, ddl);
    const res = await tunnel(emu, 'POST', `/projects/demo/instances/${ddl}?downloads`);
    expect(res.status).toBe(400);
    // The code and message the SDKs fall back to ?result on (PyODPS open_reader, Java SQLExecutorConstants).
    expect(res.json()).toMatchObject({ Code: 'InstanceTypeNotSupported', Message: expect.stringContaining('Non select query not supported') });
    const failed = await submit(emu, 'SELECT nope FROM items;');
    await waitTerminated(emu, failed);
    const failedRes = await tunnel(emu, 'POST', `/projects/demo/instances/${failed}?downloads`);
    expect(failedRes.status).toBe(400);
    expect(failedRes.json()).toMatchObject({ Code: 'TaskFailed' });
    const missing = await tunnel(emu, 'POST', '/projects/demo/instances/20250101000000000gnosuch?downloads');
    expect(missing.status).toBe(404);
    const sel = await submit(emu, 'SELECT id FROM items;');
    await waitTerminated(emu, sel);
    const limited = await tunnel(emu, 'POST', `/projects/demo/instances/${sel}?downloads&instance_tunnel_limit_enabled`);
    expect(limited.json<SessionJson>().RecordCount).toBe(20);
  });
});

describe('instance tunnel on a running instance', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ engine: fakeEngine() });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('answers InstanceNotTerminate until the instance finished', async () => {
    const id = await submit(emu, 'select sleep(1) as x;');
    const early = await tunnel(emu, 'POST', `/projects/demo/instances/${id}?downloads`);
    expect(early.status).toBe(400);
    expect(early.json()).toMatchObject({ Code: 'InstanceNotTerminate' });
    await waitTerminated(emu, id);
    const later = await tunnel(emu, 'POST', `/projects/demo/instances/${id}?downloads=`);
    expect(later.status).toBe(200);
    expect(later.json<SessionJson>().RecordCount).toBe(3);
  });
});
