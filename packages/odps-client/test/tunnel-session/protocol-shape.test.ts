// Exact request shapes of the tunnel sessions, checked on an undici MockAgent.
import { describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { ODPS } from '../../src/odps.js';
import { AuthError, TunnelError } from '../../src/errors.js';
import { encodeRecordStream } from '../../src/tunnel/records/record-encoder.js';
import { TableDownloadSession } from '../../src/tunnel/download/table-download-session.js';
import { InstanceDownloadSession } from '../../src/tunnel/instance/instance-download-session.js';
import { TableUploadSession } from '../../src/tunnel/upload/upload-session.js';
import { FakeAccount } from '../http/fakes.js';

const TUNNEL = 'http://tunnel.test';
const SCHEMA = { columns: [{ name: 'id', type: 'BIGINT' }, { name: 'name', type: 'string' }], partitionKeys: [{ name: 'ds', type: 'string' }, { name: 'hh', type: 'string' }] };

interface Seen { method: string; path: string; raw: string; query: URLSearchParams; headers: Record<string, string> }

function setup(extra: { tunnelEndpoint?: string } = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const odps = new ODPS({ account: new FakeAccount(), project: 'p1', endpoint: 'http://odps.test/api', tunnelEndpoint: extra.tunnelEndpoint ?? TUNNEL, dispatcher: agent, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
  const seen: Seen[] = [];
  const pool = agent.get(TUNNEL);
  function on(method: string, when: (q: URLSearchParams, path: string) => boolean, reply: { status?: number; body?: string | Uint8Array; headers?: Record<string, string> }, times = 1) {
    pool.intercept({ method, path: (p) => { const u = new URL(p, TUNNEL); return when(u.searchParams, decodeURIComponent(u.pathname)); } })
      .reply((o) => {
        const u = new URL(o.path, TUNNEL);
        seen.push({ method: o.method, path: decodeURIComponent(u.pathname), raw: o.path, query: u.searchParams, headers: o.headers as Record<string, string> });
        return { statusCode: reply.status ?? 200, data: reply.body ?? '', responseOptions: { headers: { 'content-type': 'application/json', 'x-odps-request-id': 'rid-9', ...reply.headers } } };
      }).times(times);
  }
  return { odps, agent, seen, on };
}

const session = (status: string, count = 100) => JSON.stringify({ DownloadID: 'dl-7', Status: status, RecordCount: count, Schema: SCHEMA, QuotaName: 'q1' });

describe('download session requests', () => {
  it('create: POST ?downloads with unquoted partition, tunnel headers, quotaName, curr_project; async polling by reload', async () => {
    const { odps, agent, seen, on } = setup();
    // With a quota the core runs discovery (quotaName) even though an endpoint is configured.
    agent.get('http://odps.test').intercept({ method: 'GET', path: (p) => p.startsWith('/api/projects/p1/tunnel?') && p.includes('quotaName=q1') }).reply(200, 'tunnel.test');
    on('POST', (q) => q.has('downloads'), { status: 201, body: session('INITIATING') });
    on('GET', (q) => q.get('downloadid') === 'dl-7' && !q.has('data'), { body: session('INITIATING') });
    on('GET', (q) => q.get('downloadid') === 'dl-7' && !q.has('data'), { body: session('NORMAL') });
    const s = await TableDownloadSession.create(odps, { project: 'p1', name: 'orders' }, { partition: "ds='2025',hh=08", async: true, quotaName: 'q1' });
    expect(s.id).toBe('dl-7');
    expect(s.status).toBe('NORMAL');
    expect(s.recordCount).toBe(100);
    expect(s.columns).toEqual([{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }]);
    expect(s.schema.partitionColumns.map((c) => c.name)).toEqual(['ds', 'hh']);
    const [create, r1, r2] = seen;
    expect(create!.method).toBe('POST');
    expect(create!.path).toBe('/projects/p1/tables/orders');
    expect(create!.query.get('downloads')).toBe('');
    expect(create!.query.get('partition')).toBe('ds=2025,hh=08');
    expect(create!.query.get('asyncmode')).toBe('true');
    expect(create!.query.get('quotaName')).toBe('q1');
    expect(create!.query.get('curr_project')).toBe('p1');
    expect(create!.headers['x-odps-tunnel-version']).toBe('6');
    expect(create!.headers['odps-tunnel-date-transform']).toBe('v1');
    for (const r of [r1!, r2!]) {
      expect(r.query.get('partition')).toBe('ds=2025,hh=08');
      expect(r.query.get('quotaName')).toBe('q1');
      expect(r.query.has('downloads')).toBe(false);
    }
  });

  it('data GET: data, downloadid, rowrange=(0,100), columns, arrow; three-tier path; attach by id', async () => {
    const { odps, seen, on } = setup();
    on('GET', (q) => !q.has('data'), { body: session('NORMAL') });
    const body = encodeRecordStream([{ name: 'name', type: 'string' }], Array.from({ length: 100 }, (_, i) => [`n${i}`]));
    on('GET', (q) => q.has('data'), { body });
    const s = await TableDownloadSession.attach(odps, { project: 'p1', name: 'orders', schema: 's1' }, 'dl-7');
    const rows = [];
    for await (const r of s.openRecordReader({ columns: ['name'] })) rows.push(r);
    expect(rows[99]).toEqual(['n99']);
    const data = seen[1]!;
    expect(data.path).toBe('/projects/p1/schemas/s1/tables/orders');
    expect(data.query.get('data')).toBe('');
    expect(data.query.get('downloadid')).toBe('dl-7');
    expect(data.query.get('rowrange')).toBe('(0,100)');
    expect(data.query.get('columns')).toBe('name');
    expect(data.query.has('arrow')).toBe(false);
    expect(data.headers['x-odps-tunnel-version']).toBe('6');
  });

  it('an Arrow read adds the bare arrow parameter; an empty range sends nothing', async () => {
    const { odps, seen, on } = setup();
    on('POST', (q) => q.has('downloads'), { body: session('NORMAL', 5) });
    on('GET', (q) => q.has('data'), { body: new Uint8Array(0) });
    const s = await TableDownloadSession.create(odps, { project: 'p1', name: 'orders' });
    const none = [];
    for await (const b of s.openArrowReader({ start: 5 })) none.push(b);
    expect(none).toEqual([]);
    await expect((async () => { for await (const _ of s.openArrowReader({ start: 2, count: 2 })) { /* */ } })()).rejects.toMatchObject({ code: 'ShortRead' });
    const data = seen.find((x) => x.query.has('data'))!;
    expect(data.query.get('arrow')).toBe('');
    expect(data.query.get('rowrange')).toBe('(2,2)');
    expect(data.raw).toMatch(/[?&]arrow(&|$)/);
  });

  it('JSON error bodies become TunnelError with the server code; auth failures keep their class', async () => {
    const { odps, on } = setup();
    on('POST', () => true, { status: 400, body: JSON.stringify({ Code: 'InvalidPartitionSpec', Message: 'bad partition', RequestId: 'r1' }) });
    const err = await TableDownloadSession.create(odps, { project: 'p1', name: 'orders' }, { partition: 'ds=1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TunnelError);
    expect(err).toMatchObject({ code: 'InvalidPartitionSpec', status: 400, requestId: 'rid-9' });
    on('POST', () => true, { status: 403, body: JSON.stringify({ Code: 'NoPermission', Message: 'denied' }) });
    const e2 = await TableDownloadSession.create(odps, { project: 'p1', name: 'orders' }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(AuthError);
  });

  it('XML error bodies are parsed too', async () => {
    const { odps, on } = setup();
    on('POST', () => true, { status: 404, body: '<?xml version="1.0"?><Error><Code>NoSuchPartition</Code><Message>no such partition</Message></Error>', headers: { 'content-type': 'application/xml' } });
    await expect(TableDownloadSession.create(odps, { project: 'p1', name: 'orders' }, { partition: 'ds=9' })).rejects.toMatchObject({ code: 'NoSuchPartition', status: 404 });
  });

  it('a session that is EXPIRED is refused', async () => {
    const { odps, on } = setup();
    on('POST', () => true, { body: session('EXPIRED') });
    await expect(TableDownloadSession.create(odps, { project: 'p1', name: 'orders' })).rejects.toMatchObject({ code: 'SessionEXPIRED' });
  });

  it('without a configured endpoint the tunnel host is discovered per project and quota', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const odps = new ODPS({ account: new FakeAccount(), project: 'p1', endpoint: 'http://odps.test/api', dispatcher: agent });
    let discovery: URLSearchParams | undefined;
    agent.get('http://odps.test').intercept({ method: 'GET', path: (p) => p.startsWith('/api/projects/p2/tunnel') })
      .reply((o) => { discovery = new URL(o.path, 'http://odps.test').searchParams; return { statusCode: 200, data: 'tunnel.test' }; });
    agent.get(TUNNEL).intercept({ method: 'POST', path: (p) => p.startsWith('/projects/p2/tables/t?') }).reply(201, session('NORMAL'));
    const s = await TableDownloadSession.create(odps, { project: 'p2', name: 't' }, { quotaName: 'q9' });
    expect(s.id).toBe('dl-7');
    expect(discovery?.get('quotaName')).toBe('q9');
    expect(discovery?.has('service')).toBe(true);
  });
});

describe('upload session requests', () => {
  const up = (status = 'NORMAL', blocks: number[] = []) => JSON.stringify({ UploadID: 'up-3', Status: status, UploadedBlockList: blocks.map((b) => ({ BlockID: b })), Schema: SCHEMA, MaxFieldSize: 8388608 });

  it('create with overwrite + create_partition; reload by id; commit POST with no body after the block check', async () => {
    const { odps, seen, on } = setup();
    on('POST', (q) => q.has('uploads'), { status: 201, body: up() });
    on('GET', (q) => q.get('uploadid') === 'up-3', { body: up('NORMAL', [0, 1]) });
    on('POST', (q) => q.get('uploadid') === 'up-3', { body: up('CLOSED', [0, 1]) });
    const s = await TableUploadSession.create(odps, { project: 'p1', name: 'orders' }, { partition: "ds='1',hh='2'", overwrite: true, createPartition: true });
    expect(s.id).toBe('up-3');
    expect(s.maxFieldSize).toBe(8388608);
    await s.commit([1, 0]);
    expect(s.status).toBe('CLOSED');
    const [create, check, commit] = seen;
    expect(create!.query.get('uploads')).toBe('');
    expect(create!.query.get('overwrite')).toBe('true');
    expect(create!.query.get('create_partition')).toBe('true');
    expect(create!.query.get('partition')).toBe('ds=1,hh=2');
    expect(check!.method).toBe('GET');
    expect(commit!.method).toBe('POST');
    expect(commit!.query.get('partition')).toBe('ds=1,hh=2');
  });

  it('block ids outside 0..19999 are refused before any request', async () => {
    const { odps, seen, on } = setup();
    on('POST', (q) => q.has('uploads'), { body: up() });
    const s = await TableUploadSession.create(odps, { project: 'p1', name: 'orders' });
    await expect(s.uploadBlock(20000, [new Uint8Array(1)])).rejects.toThrow(/0\.\.19999/);
    expect(() => s.openWriter({ firstBlockId: 20000 })).toThrow(/firstBlockId/);
    expect(seen).toHaveLength(1);
  });
});

describe('instance download session requests', () => {
  it('POST /instances/<id>?downloads with the limit flag, repeated on data reads', async () => {
    const { odps, seen, on } = setup();
    on('POST', (q) => q.has('downloads'), { body: JSON.stringify({ DownloadID: 'i-dl', Status: 'NORMAL', RecordCount: 2, Schema: { columns: [{ name: 'c', type: 'string' }] } }) });
    on('GET', (q) => q.has('data'), { body: encodeRecordStream([{ name: 'c', type: 'string' }], [['a'], ['b']]) });
    const s = await InstanceDownloadSession.create(odps, { project: 'p1', id: '2025abc' }, { limitEnabled: true });
    const rows = [];
    for await (const r of s.openRecordReader()) rows.push(r);
    expect(rows).toEqual([['a'], ['b']]);
    expect(seen[0]!.path).toBe('/projects/p1/instances/2025abc');
    expect(seen[0]!.query.get('instance_tunnel_limit_enabled')).toBe('');
    expect(seen[1]!.query.get('instance_tunnel_limit_enabled')).toBe('');
    expect(seen[1]!.query.get('downloadid')).toBe('i-dl');
    expect(seen[1]!.query.get('rowrange')).toBe('(0,2)');
  });
});
