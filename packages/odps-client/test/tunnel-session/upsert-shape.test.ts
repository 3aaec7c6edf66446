// Upsert session wire shape (MockAgent): create, per-bucket PUTs, commit polling and its lost-answer rules, bad session answers.
import { describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { ODPS } from '../../src/odps.js';
import { Table } from '../../src/resources/table.js';
import type { TableMeta } from '../../src/resources/table-meta.js';
import { parseType } from '../../src/types/odps-type.js';
import { bucketOf } from '../../src/tunnel/upsert/upsert-hasher.js';
import { FakeAccount } from '../http/fakes.js';

const COLUMNS = [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }];
const PATH = '/projects/p1/tables/t/upserts';

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
  id: 'u1', status: 'NORMAL', hash_key: ['id'], hasher: 'default', quota_name: 'q',
  slots: [{ slot_id: '0', worker_addr: '10.0.0.1:80', buckets: [0, 2] }, { slot_id: '1', worker_addr: '10.0.0.2:80', buckets: [1, 3] }],
  schema: { columns: COLUMNS, partitionKeys: [{ name: 'ds', type: 'string' }] }, ...extra,
});

interface Seen { method: string; url: URL; headers: Record<string, string> }
function record(list: Seen[], o: { method: string; path: string; headers?: unknown }): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((o.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = String(v);
  list.push({ method: o.method, url: new URL(o.path, 'http://tunnel.test'), headers });
}

describe('upsert session request shape', () => {
  it('creates with slotnum/partition, PUTs each bucket to its slot server, commits on bucket 0 until COMMITTED', async () => {
    const { agent, table } = setup();
    const seen: Seen[] = [];
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.startsWith(`${PATH}?`) && p.includes('slotnum=') }).reply((o) => {
      record(seen, o);
      return { statusCode: 200, data: session() };
    });
    pool.intercept({ method: 'PUT', path: (p) => p.startsWith(`${PATH}?`) }).reply((o) => {
      record(seen, o);
      return { statusCode: 200, data: '' };
    }).times(4);
    let commits = 0;
    pool.intercept({ method: 'POST', path: (p) => p.startsWith(`${PATH}?`) && p.includes('upsertid=u1') }).reply((o) => {
      record(seen, o);
      commits++;
      return { statusCode: 200, data: session({ status: commits === 1 ? 'COMMITTING' : 'COMMITTED' }) };
    }).times(2);
    pool.intercept({ method: 'GET', path: (p) => p.startsWith(`${PATH}?`) }).reply(200, session({ status: 'COMMITTING' })).persist();
    const w = await table.openUpsertWriter({ partition: { ds: '1' }, slotNum: 2, lifecycle: 3 });
    const ids = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
    for (const id of ids) await w.upsert([id, `n${id}`]);
    await w.delete({ id: 9n });
    await w.commit();
    const create = seen[0]!;
    expect(create.url.searchParams.get('slotnum')).toBe('2');
    expect(create.url.searchParams.get('partition')).toBe('ds=1');
    expect(create.url.searchParams.get('lifecycle')).toBe('3');
    const puts = seen.filter((s) => s.method === 'PUT');
    const counts = new Map<number, number>();
    for (const id of [...ids, 9n]) {
      const b = bucketOf('default', [parseType('bigint')], [id], 4);
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    expect(puts.length).toBe(counts.size);
    for (const p of puts) {
      const b = Number(p.url.searchParams.get('bucketid'));
      expect(p.url.searchParams.get('upsertid')).toBe('u1');
      expect(p.url.searchParams.get('slotid')).toBe(String(b % 2));
      expect(p.url.searchParams.get('record_count')).toBe(String(counts.get(b)));
      expect(p.headers['odps-tunnel-routed-server']).toBe(b % 2 === 0 ? '10.0.0.1:80' : '10.0.0.2:80');
      expect(p.headers['content-type']).toBe('application/octet-stream');
    }
    const cs = seen.filter((s) => s.method === 'POST').slice(1);
    expect(cs.length).toBe(2);
    for (const c of cs) {
      expect(c.url.searchParams.get('upsertid')).toBe('u1');
      expect(c.headers['odps-tunnel-routed-server']).toBe('10.0.0.1:80');
    }
    expect(w.session.status).toBe('COMMITTED');
  });

  it('a lost commit answer followed by UpsertSessionNotFound on reload counts as committed (Java/PyODPS rule)', async () => {
    const { agent, table } = setup();
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.includes('slotnum=') }).reply(200, session());
    pool.intercept({ method: 'POST', path: (p) => p.includes('upsertid=u1') }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    pool.intercept({ method: 'GET', path: (p) => p.includes('upsertid=u1') }).reply(404, JSON.stringify({ Code: 'UpsertSessionNotFound', Message: 'gone' }));
    const w = await table.openUpsertWriter({ partition: 'ds=1' });
    await w.commit();
    expect(w.session.status).toBe('COMMITTED');
  });

  it('a final status other than COMMITTED fails the commit; a refused commit is not retried', async () => {
    const { agent, table } = setup();
    const pool = agent.get('http://tunnel.test');
    pool.intercept({ method: 'POST', path: (p) => p.includes('slotnum=') }).reply(200, session()).times(2);
    pool.intercept({ method: 'POST', path: (p) => p.includes('upsertid=u1') }).reply(200, session({ status: 'CRITICAL' }));
    const w = await table.openUpsertWriter({ partition: 'ds=1' });
    await expect(w.commit()).rejects.toMatchObject({ code: 'CommitFailed' });
    pool.intercept({ method: 'POST', path: (p) => p.includes('upsertid=u1') }).reply(400, JSON.stringify({ Code: 'InvalidArgument', Message: 'no' }));
    const w2 = await table.openUpsertWriter({ partition: 'ds=1' });
    await expect(w2.commit()).rejects.toMatchObject({ code: 'InvalidArgument' });
  });

  it('refuses bad session answers and options before any row is sent', async () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ hash_key: [] }, /primary key/],
      [{ hash_key: undefined }, /primary key/],
      [{ hash_key: ['nope'] }, /not a column/],
      [{ hasher: 'crc' }, /hasher/],
      [{ slots: [] }, /no slots/],
      [{ slots: [{ slot_id: '0', worker_addr: '10.0.0.1:80', buckets: [0, 2] }] }, /lacks bucket 1/],
      [{ slots: [{ slot_id: '0', worker_addr: '10.0.0.1:80', buckets: [0, 0] }] }, /invalid upsert bucket/],
      [{ slots: [{ slot_id: '0', worker_addr: 'no-port', buckets: [0] }] }, /invalid upsert slot/],
      [{ slots: [{ slot_id: '0', worker_addr: '1.2.3.4:5', buckets: [-1] }] }, /invalid upsert bucket/],
    ];
    for (const [extra, msg] of bad) {
      const { agent, table } = setup();
      agent.get('http://tunnel.test').intercept({ method: 'POST', path: (p) => p.includes('slotnum=') }).reply(200, session(extra));
      await expect(table.openUpsertWriter({ partition: 'ds=1' }), JSON.stringify(extra)).rejects.toThrow(msg);
    }
    const { table } = setup();
    await expect(table.openUpsertWriter({ slotNum: 0 })).rejects.toThrow(/slotNum/);
    await expect(table.openUpsertWriter({ lifecycle: 25 })).rejects.toThrow(/lifecycle/);
  });
});
