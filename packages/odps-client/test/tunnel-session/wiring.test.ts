// The user-facing entry points: table.openReader/openWriter/openArrowReader/openArrowWriter, instance.openReader.
import { afterEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { Table as ArrowTable, vectorFromArray, Int64, Utf8, type RecordBatch } from 'apache-arrow';
import { ODPS } from '../../src/odps.js';
import { Instance } from '../../src/resources/instance.js';
import { Table } from '../../src/resources/table.js';
import type { TableMeta } from '../../src/resources/table-meta.js';
import { parseType } from '../../src/types/odps-type.js';
import { encodeRecordStream } from '../../src/tunnel/records/record-encoder.js';
import { frameArrowPayload } from '../../src/tunnel/arrow/framing.js';
import { recordBatchMessages } from '../../src/tunnel/arrow/ipc.js';
import { deframeArrowBody } from '../../src/tunnel/arrow/framing.js';
import { decodeArrowPayload } from '../../src/tunnel/arrow/reader.js';
import { FakeAccount } from '../http/fakes.js';
import { startTunnelServer, type TunnelServer } from './loopback.js';

const COLUMNS = [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }];
const rowAt = (i: number): unknown[] => [BigInt(i), `n${i}`];

function tableOf(odps: ODPS): Table {
  const col = (c: { name: string; type: string }) => ({ ...c, odpsType: parseType(c.type) });
  const meta = {
    name: 't', project: 'p1', type: 'MANAGED_TABLE', isVirtualView: false, isMaterializedView: false, isExternal: false,
    extendedLoaded: false, raw: {}, schema: { columns: COLUMNS.map(col), partitionColumns: [col({ name: 'ds', type: 'string' })] },
  } as TableMeta;
  return new Table(odps, meta);
}

let server: TunnelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('table entry points (loopback)', () => {
  it('openReader creates a session and streams rows; openWriter writes blocks and commits', async () => {
    server = await startTunnelServer({ columns: COLUMNS, rowAt, count: 300 });
    const table = tableOf(server.odps());
    const reader = await table.openReader({ partition: 'ds=1', start: 10, count: 5, asObjects: true });
    expect(reader.session.recordCount).toBe(300);
    const rows = [];
    for await (const r of reader) rows.push(r);
    expect(rows).toEqual([10, 11, 12, 13, 14].map((i) => ({ id: BigInt(i), name: `n${i}` })));

    const w = await table.openWriter({ partition: { ds: '1' }, overwrite: true });
    await w.write([[1n, 'a'], [2n, 'b']]);
    await w.commit();
    expect(server.log.find((l) => l.method === 'POST' && l.query.has('uploads'))!.query.get('overwrite')).toBe('true');
    expect(server.blocks.size).toBe(1);
  });

  it('openArrowWriter frames batch messages (arrow= on the PUT) that decode back', async () => {
    server = await startTunnelServer({ columns: COLUMNS, rowAt, count: 0 });
    const table = tableOf(server.odps());
    const w = await table.openArrowWriter({ partition: 'ds=1' });
    const t = new ArrowTable({ id: vectorFromArray([1n, 2n, 3n], new Int64()), name: vectorFromArray(['a', null, 'c'], new Utf8()) });
    await w.write(t);
    await w.commit();
    const put = server.log.find((l) => l.method === 'PUT')!;
    expect(put.query.get('arrow')).toBe('');
    expect(put.body.readUInt32BE(0)).toBe(65536);
    const batches = [];
    for await (const b of decodeArrowPayload(deframeArrowBody((async function* () { yield server!.blocks.get(0)!; })()), COLUMNS)) batches.push(b);
    expect(batches[0]!.numRows).toBe(3);
    expect(batches[0]!.getChild('name')!.toArray()).toEqual(['a', null, 'c']);
    await expect(w.write(new ArrowTable({ x: vectorFromArray([1n], new Int64()) }))).rejects.toThrow();
  });
});

describe('table Arrow reader (MockAgent)', () => {
  it('reads framed RecordBatch messages into apache-arrow batches', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const odps = new ODPS({ account: new FakeAccount(), project: 'p1', endpoint: 'http://odps.test/api', tunnelEndpoint: 'http://tunnel.test', dispatcher: agent });
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.includes('downloads') }).reply(201, JSON.stringify({ DownloadID: 'd', Status: 'NORMAL', RecordCount: 2, Schema: { columns: COLUMNS } }));
    const batch: RecordBatch = new ArrowTable({ id: vectorFromArray([7n, 8n], new Int64()), name: vectorFromArray(['x', 'y'], new Utf8()) }).batches[0]!;
    let query: URLSearchParams | undefined;
    pool.intercept({ method: 'GET', path: (p) => p.includes('data') }).reply((o) => {
      query = new URL(o.path, 'http://tunnel.test').searchParams;
      return { statusCode: 200, data: Buffer.from(frameArrowPayload(recordBatchMessages(batch))) };
    });
    const reader = await tableOf(odps).openArrowReader();
    const got = [];
    for await (const b of reader) got.push(b);
    expect(got).toHaveLength(1);
    expect(got[0]!.getChild('id')!.toArray()).toEqual(new BigInt64Array([7n, 8n]));
    expect(query!.get('arrow')).toBe('');
    expect(query!.get('rowrange')).toBe('(0,2)');
  });
});

describe('instance.openReader', () => {
  function setup() {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const odps = new ODPS({ account: new FakeAccount(), project: 'p1', endpoint: 'http://odps.test/api', tunnelEndpoint: 'http://tunnel.test', dispatcher: agent, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    return { agent, odps, inst: new Instance(odps, 'i1', { project: 'p1' }) };
  }
  const resultXml = (csv: string) => `<?xml version="1.0" encoding="UTF-8"?><Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Result Format="text"><![CDATA[${csv}]]></Result><ResultDescriptor><![CDATA[${JSON.stringify({ IsSelect: true, SelectResultStatus: 'YES', Schema: { Columns: [{ Name: 'n', Type: 'BIGINT' }, { Name: 's', Type: 'STRING' }] } })}]]></ResultDescriptor></Task></Tasks></Instance>`;

  it('reads through the instance tunnel, lazily, with a row limit', async () => {
    const { agent, inst } = setup();
    const reader = inst.openReader({ limit: 2 });
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.startsWith('/projects/p1/instances/i1?') && p.includes('downloads') }).reply(201, JSON.stringify({ DownloadID: 'x', Status: 'NORMAL', RecordCount: 3, Schema: { columns: [{ name: 'n', type: 'bigint' }] } }));
    let rowrange: string | null = null;
    pool.intercept({ method: 'GET', path: (p) => p.includes('data') }).reply((o) => {
      rowrange = new URL(o.path, 'http://tunnel.test').searchParams.get('rowrange');
      return { statusCode: 200, data: Buffer.from(encodeRecordStream([{ name: 'n', type: 'bigint' }], [[1n], [2n]])) };
    });
    const rows = [];
    for await (const r of reader) rows.push(r);
    expect(rows).toEqual([[1n], [2n]]);
    expect(rowrange).toBe('(0,2)');
  });

  // What the service answers for DDL/desc/show instances (PyODPS open_reader, Java SQLExecutorConstants).
  const refusals = [
    { Code: 'InvalidArgument', Message: 'not a select' },
    { Code: 'InstanceTypeNotSupported', Message: 'Non select query not supported' },
    { Code: 'InvalidProjectTable', Message: 'x' },
    { Code: 'ODPS-0420111', Message: 'ODPS-0420111: Non select query not supported' },
  ];
  for (const refusal of refusals) {
    it(`falls back to the ?result CSV silently when the tunnel answers ${refusal.Code}`, async () => {
      const { agent, inst } = setup();
      agent.get('http://tunnel.test').intercept({ method: 'POST', path: () => true }).reply(400, JSON.stringify(refusal));
      agent.get('http://odps.test').intercept({ method: 'GET', path: (p) => p.includes('result') }).reply(200, resultXml('n,s\n1,a\n2,b\n'), { headers: { 'content-type': 'application/xml' } });
      const rows = [];
      for await (const r of inst.openReader({ columns: ['s'], asObjects: true })) rows.push(r);
      expect(rows).toEqual([{ s: 'a' }, { s: 'b' }]);
    });
  }

  it('on TaskFailed reads ?result and raises the task\'s SQL error; other 4xx codes surface', async () => {
    const { agent, inst } = setup();
    agent.get('http://tunnel.test').intercept({ method: 'POST', path: () => true }).reply(400, JSON.stringify({ Code: 'TaskFailed', Message: 'task failed' }));
    agent.get('http://odps.test').intercept({ method: 'GET', path: (p) => p.includes('result') }).reply(200, '<Instance><Tasks><Task Type="SQL"><Name>T</Name><Status>Failed</Status><Result Format="text"><![CDATA[ODPS-0130131:[1,15] Table not found - t]]></Result></Task></Tasks></Instance>', { headers: { 'content-type': 'application/xml' } });
    await expect((async () => { for await (const _ of inst.openReader()) { /* */ } })()).rejects.toMatchObject({ name: 'SqlError', odpsCode: 'ODPS-0130131' });
    agent.get('http://tunnel.test').intercept({ method: 'POST', path: () => true }).reply(400, JSON.stringify({ Code: 'InvalidRowRange', Message: 'x' }));
    await expect((async () => { for await (const _ of inst.openReader()) { /* */ } })()).rejects.toMatchObject({ code: 'InvalidRowRange' });
  });

  it('retries with the 10 000-row limit mode on NoPermission; other errors surface', async () => {
    const { agent, inst } = setup();
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => !p.includes('instance_tunnel_limit_enabled') }).reply(403, JSON.stringify({ Code: 'NoPermission', Message: 'denied' }));
    let limited = false;
    pool.intercept({ method: 'POST', path: (p) => p.includes('instance_tunnel_limit_enabled') }).reply(() => {
      limited = true;
      return { statusCode: 201, data: JSON.stringify({ DownloadID: 'x', Status: 'NORMAL', RecordCount: 0, Schema: { columns: [{ name: 'n', type: 'bigint' }] } }) };
    });
    const rows = [];
    for await (const r of inst.openReader()) rows.push(r);
    expect(rows).toEqual([]);
    expect(limited).toBe(true);

    // Session creation is safe to repeat, so the transport retries the 500s (5 attempts).
    pool.intercept({ method: 'POST', path: () => true }).reply(500, JSON.stringify({ Code: 'InternalServerError', Message: 'x' })).times(5);
    await expect((async () => { for await (const _ of inst.openReader()) { /* */ } })()).rejects.toMatchObject({ code: 'InternalServerError' });
  });
});
