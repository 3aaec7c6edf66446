// Stream upload wire shape (MockAgent): create, PUT query/headers, slot-route following and the lost-answer rules.
import { describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { ODPS } from '../../src/odps.js';
import { Table } from '../../src/resources/table.js';
import type { TableMeta } from '../../src/resources/table-meta.js';
import { parseType } from '../../src/types/odps-type.js';
import { StreamFlushUncertainError } from '../../src/tunnel/stream/stream-errors.js';
import { FakeAccount } from '../http/fakes.js';

const COLUMNS = [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }];

function setup(): { agent: MockAgent; table: Table } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const odps = new ODPS({
    account: new FakeAccount(), project: 'p1', endpoint: 'http://odps.test/api', tunnelEndpoint: 'http://tunnel.test', dispatcher: agent,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
  });
  const col = (c: { name: string; type: string }) => ({ ...c, odpsType: parseType(c.type) });
  const meta = {
    name: 't', project: 'p1', type: 'MANAGED_TABLE', isVirtualView: false, isMaterializedView: false, isExternal: false,
    extendedLoaded: false, raw: {}, schema: { columns: COLUMNS.map(col), partitionColumns: [col({ name: 'ds', type: 'string' })] },
  } as TableMeta;
  return { agent, table: new Table(odps, meta) };
}

const session = (extra: Record<string, unknown> = {}): string => JSON.stringify({
  session_name: 's1', status: 'normal', slots: [['0', '10.0.0.1:80'], ['1', '10.0.0.2:80']], schema: { columns: COLUMNS, partitionKeys: [{ name: 'ds', type: 'string' }] },
  schema_version: '7', quota_name: 'q', ...extra,
});

interface Seen { method: string; url: URL; headers: Record<string, string> }
function record(list: Seen[], o: { method: string; path: string; headers?: unknown }): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((o.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = String(v);
  list.push({ method: o.method, url: new URL(o.path, 'http://tunnel.test'), headers });
}

describe('stream upload request shape', () => {
  it('creates on …/streams and PUTs batches with slot, routed server, record count and schema version', async () => {
    const { agent, table } = setup();
    const seen: Seen[] = [];
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.startsWith('/projects/p1/tables/t/streams') }).reply((o) => {
      record(seen, o);
      return { statusCode: 200, data: session({ last_batch_id: -1 }) };
    });
    pool.intercept({ method: 'PUT', path: (p) => p.startsWith('/projects/p1/tables/t/streams?') }).reply((o) => {
      record(seen, o);
      return { statusCode: 200, data: '', responseOptions: { headers: { 'odps-tunnel-slot-num': '2', 'odps-tunnel-routed-server': '10.0.0.9:81' } } };
    }).times(2);
    const w = await table.openStreamWriter({ partition: { ds: '1' }, createPartition: true, slotNum: 2, zorderColumns: ['id'] });
    await w.write([[1n, 'a'], [2n, 'b']]);
    await w.flush();
    await w.write([3n, 'c']);
    await w.close();
    const [create, put1, put2] = seen;
    expect(create!.url.searchParams.get('create_partition')).toBe('');
    expect(create!.url.searchParams.get('partition')).toBe('ds=1');
    expect(create!.url.searchParams.get('check_latest_schema')).toBe('false');
    expect(create!.url.searchParams.get('zorder_columns')).toBe('id');
    expect(create!.headers['odps-tunnel-slot-num']).toBe('2');
    expect(put1!.url.searchParams.get('uploadid')).toBe('s1');
    expect(put1!.url.searchParams.get('record_count')).toBe('2');
    expect(put1!.url.searchParams.get('schema_version')).toBe('7');
    expect(put2!.url.searchParams.get('record_count')).toBe('1');
    expect(put1!.headers['content-type']).toBe('application/octet-stream');
    expect(put1!.headers['x-odps-tunnel-version']).toBe('6');
    expect(put1!.headers['odps-tunnel-slot-num']).toBe('2');
    // Round robin over both slots, each PUT routed to its slot's server.
    const slots = [put1!, put2!].map((p) => p.url.searchParams.get('slotid'));
    expect(new Set(slots)).toEqual(new Set(['0', '1']));
    const first = slots[0] === '0' ? '10.0.0.1:80' : '10.0.0.2:80';
    expect(put1!.headers['odps-tunnel-routed-server']).toBe(first);
    // The answer moved the first slot to another server (same slot count: no reload).
    expect(w.session.slots.find((s) => s.id === slots[0])!.server).toBe('10.0.0.9:81');
    expect(seen.filter((s) => s.method === 'GET')).toHaveLength(0);
    await agent.close();
  });

  it('reloads the routes when an answer announces another slot count', async () => {
    const { agent, table } = setup();
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.includes('/streams') }).reply(200, session({ last_batch_id: -1 }));
    pool.intercept({ method: 'PUT', path: (p) => p.includes('/streams?') }).reply(200, '', { headers: { 'odps-tunnel-slot-num': '3', 'odps-tunnel-routed-server': '10.0.0.1:80' } });
    let reloaded = 0;
    pool.intercept({ method: 'GET', path: (p) => p.includes('/streams?') && p.includes('uploadid=s1') }).reply(() => {
      reloaded++;
      return { statusCode: 200, data: session({ last_batch_id: 0, slots: [['0', 'a:1'], ['1', 'b:1'], ['2', 'c:1']] }) };
    });
    const w = await table.openStreamWriter({ partition: 'ds=1' });
    await w.write([1n, 'a']);
    await w.close();
    expect(reloaded).toBe(1);
    expect(w.session.slots.map((s) => s.server)).toEqual(['a:1', 'b:1', 'c:1']);
    expect(w.session.lastBatchId).toBe(0);
    await agent.close();
  });

  it('a broken PUT is not resent when the server cannot say whether it landed', async () => {
    const { agent, table } = setup();
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.includes('/streams') }).reply(200, session());
    let puts = 0;
    pool.intercept({ method: 'PUT', path: (p) => p.includes('/streams?') }).reply(() => {
      puts++;
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }).persist();
    const w = await table.openStreamWriter({ partition: 'ds=1' });
    await w.write([1n, 'a']);
    const err = await w.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamFlushUncertainError);
    expect(puts).toBe(1);
    await agent.close();
  });

  it('a broken PUT is resent only when a reload shows last_batch_id did not move', async () => {
    const { agent, table } = setup();
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.includes('/streams') }).reply(200, session({ last_batch_id: 4 }));
    pool.intercept({ method: 'PUT', path: (p) => p.includes('/streams?') }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    pool.intercept({ method: 'GET', path: (p) => p.includes('/streams?') }).reply(200, session({ last_batch_id: 4 }));
    pool.intercept({ method: 'PUT', path: (p) => p.includes('/streams?') }).reply(200, '');
    const w = await table.openStreamWriter({ partition: 'ds=1' });
    await w.write([1n, 'a']);
    await w.close();
    expect(w.flushedCount).toBe(1);
    expect(w.session.lastBatchId).toBe(5);
    await agent.close();
  });
});
