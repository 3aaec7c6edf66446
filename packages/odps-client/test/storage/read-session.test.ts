// Storage API request shapes on a MockAgent, split descriptor validation, and resumed split reads.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { ODPS } from '../../src/odps.js';
import { OdpsArgumentError, TunnelError } from '../../src/errors.js';
import { col, P } from '../../src/storage/predicate.js';
import { InvalidSplitDescriptorError, parseSplitDescriptor, serializeSplitDescriptor, type SplitDescriptor } from '../../src/storage/split.js';
import { FakeAccount } from '../http/fakes.js';

const TUNNEL = 'http://tunnel.test';
const BASE = '/api/storage/v1/projects/p1/schemas/default/tables/t1';

interface Seen { method: string; path: string; query: URLSearchParams; headers: Record<string, string>; body: string }

function setup() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const odps = new ODPS({ account: new FakeAccount(), project: 'p1', endpoint: 'http://odps.test/api', tunnelEndpoint: TUNNEL, dispatcher: agent, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
  const seen: Seen[] = [];
  const pool = agent.get(TUNNEL);
  function on(method: string, path: string, reply: { status?: number; body?: string | Uint8Array }, times = 1) {
    pool.intercept({ method, path: (p) => decodeURIComponent(new URL(p, TUNNEL).pathname) === path })
      .reply((o) => {
        const u = new URL(o.path, TUNNEL);
        seen.push({ method: o.method, path: decodeURIComponent(u.pathname), query: u.searchParams, headers: Object.fromEntries(Object.entries(o.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])), body: typeof o.body === 'string' ? o.body : '' });
        return { statusCode: reply.status ?? 200, data: reply.body ?? '', responseOptions: { headers: { 'content-type': 'application/json' } } };
      }).times(times);
  }
  return { odps, agent, seen, on };
}

const sessionBody = (status = 'NORMAL', splits = 3) => JSON.stringify({
  SessionId: 's-1', SessionType: 'batch_read', SessionStatus: status, SplitsCount: splits, RecordCount: 10,
  DataSchema: { DataColumns: [{ Name: 'id', Type: 'BIGINT', Comment: '', Nullable: true }], PartitionColumns: [] },
});

describe('read session requests', () => {
  it('create: POST sessions?session_type=batch_read with the PyODPS JSON body, hex Content-MD5, then poll while INIT', async () => {
    const { odps, seen, on } = setup();
    on('POST', `${BASE}/sessions`, { status: 200, body: sessionBody('INIT') });
    on('GET', `${BASE}/sessions/s-1`, { body: sessionBody('NORMAL') });
    const s = await odps.storage.createReadSession('t1', {
      columns: ['id'], partitions: [{ ds: '1', hh: '2' }, 'ds=3'], filter: P.gt(col('id'), 5), split: { mode: 'Parallelism', number: 3 },
    });
    expect(s.status).toBe('NORMAL');
    expect(s.splitsCount).toBe(3);
    expect(s.dataColumns).toEqual([{ name: 'id', type: 'bigint', nullable: true }]);
    const [create, poll] = seen;
    expect(create!.query.get('session_type')).toBe('batch_read');
    expect(create!.headers['content-type']).toBe('application/json');
    expect(create!.headers['content-md5']).toBe(createHash('md5').update(create!.body).digest('hex'));
    expect(JSON.parse(create!.body)).toEqual({
      RequiredDataColumns: ['id'], RequiredPartitionColumns: [], RequiredPartitions: ['ds=1,hh=2', 'ds=3'], RequiredBucketIds: [],
      SplitOptions: { SplitMode: 'Parallelism', SplitNumber: 3, CrossPartition: true },
      ArrowOptions: { TimestampUnit: 'nano', DatetimeUnit: 'milli' },
      FilterPredicate: '`id` > 5',
    });
    expect(poll!.method).toBe('GET');
    expect(poll!.query.get('session_type')).toBe('batch_read');
    expect(s.splits().map((d) => d.splitIndex)).toEqual([0, 1, 2]);
  });

  it('refuses bad split options before any request', async () => {
    const { odps, seen } = setup();
    await expect(odps.storage.createReadSession('t1', { split: { mode: 'Size', number: 0 } })).rejects.toThrow(OdpsArgumentError);
    await expect(odps.storage.createReadSession('t1', { split: { mode: 'Nope' as 'Size' } })).rejects.toThrow(OdpsArgumentError);
    await expect(odps.storage.createReadSession('t1', { split: { number: -1 } })).rejects.toThrow(OdpsArgumentError);
    expect(seen).toHaveLength(0);
  });

  it('an EXPIRED session is a typed error', async () => {
    const { odps, on } = setup();
    on('POST', `${BASE}/sessions`, { status: 201, body: sessionBody('EXPIRED') });
    await expect(odps.storage.createReadSession('t1')).rejects.toMatchObject({ code: 'SessionEXPIRED' });
  });
});

describe('split descriptors', () => {
  const good: SplitDescriptor = { version: 1, project: 'p1', schema: 'default', table: 't1', sessionId: 's-1', splitIndex: 2 };

  it('round-trips through JSON', () => {
    expect(parseSplitDescriptor(serializeSplitDescriptor({ ...good, rowIndex: 5, rowCount: 7, quotaName: 'q' }))).toEqual({ ...good, rowIndex: 5, rowCount: 7, quotaName: 'q' });
  });

  const bad: unknown[] = [
    null, 42, [], 'not json', '{"version":1}', { ...good, version: 2 }, { ...good, version: '1' }, { ...good, splitIndex: -1 },
    { ...good, splitIndex: 1.5 }, { ...good, splitIndex: '2' }, { ...good, rowCount: -3 }, { ...good, project: '' }, { ...good, table: '../x' },
    { ...good, sessionId: 's 1' }, { ...good, extra: true }, { ...good, accessKeySecret: 'x' }, 'x'.repeat(5000), { ...good, rowIndex: Number.MAX_SAFE_INTEGER + 2 },
  ];
  bad.forEach((d, i) => {
    it(`refuses bad descriptor #${i}`, () => expect(() => parseSplitDescriptor(d)).toThrow(InvalidSplitDescriptorError));
  });
});

function ipc(from: number, to: number): Uint8Array {
  const ids = Array.from({ length: to - from }, (_, i) => BigInt(from + i));
  return tableToIPC(tableFromArrays({ id: BigInt64Array.from(ids) }), 'stream');
}

describe('readSplit', () => {
  const d: SplitDescriptor = { version: 1, project: 'p1', schema: 'default', table: 't1', sessionId: 's-1', splitIndex: 1, rowIndex: 0, rowCount: 6 };

  it('GETs data with session_id, split_index, row_index, row_count, max_batch_rows and decodes the IPC stream', async () => {
    const { odps, seen, on } = setup();
    on('GET', `${BASE}/data`, { body: ipc(0, 6) });
    const rows: bigint[] = [];
    for await (const b of odps.storage.readSplit(d, { maxBatchRows: 128 })) for (const v of b.getChild('id')!) rows.push(v as bigint);
    expect(rows).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    expect(Object.fromEntries([...seen[0]!.query].filter(([k]) => k !== 'curr_project'))).toEqual({
      session_id: 's-1', split_index: '1', row_index: '0', row_count: '6', max_batch_rows: '128',
    });
  });

  it('fromRow opens at row_index = start + fromRow; a short body is reopened from the cursor; too many rows is an error', async () => {
    const { odps, seen, on } = setup();
    on('GET', `${BASE}/data`, { body: ipc(4, 6) });
    await collect(odps.storage.readSplit(d, { fromRow: 4 }));
    expect(seen[0]!.query.get('row_index')).toBe('4');
    expect(seen[0]!.query.get('row_count')).toBe('2');
    on('GET', `${BASE}/data`, { body: ipc(0, 3) });
    on('GET', `${BASE}/data`, { body: ipc(3, 6) });
    const resumed: number[] = [];
    const batches = await collect(odps.storage.readSplit(d, { onResume: (r) => resumed.push(r.fromRow) }));
    expect(batches.flatMap((b) => [...b.getChild('id')!])).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
    expect(resumed).toEqual([3]);
    expect(seen[2]!.query.get('row_index')).toBe('3');
    expect(seen[2]!.query.get('row_count')).toBe('3');
    on('GET', `${BASE}/data`, { body: ipc(0, 9) });
    await expect(collect(odps.storage.readSplit(d))).rejects.toMatchObject({ code: 'TooManyRows' });
  });

  it('garbage bodies are a typed CorruptStream error, not a retry loop', async () => {
    const { odps, seen, on } = setup();
    on('GET', `${BASE}/data`, { body: new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0, 1, 2, 3]) });
    await expect(collect(odps.storage.readSplit({ ...d, rowCount: undefined } as SplitDescriptor))).rejects.toBeInstanceOf(TunnelError);
    expect(seen).toHaveLength(1);
  });

  it('an aborted signal ends the read with its reason and no retry', async () => {
    const { odps, seen, on } = setup();
    on('GET', `${BASE}/data`, { body: ipc(0, 6) }, 5);
    const ac2 = new AbortController();
    ac2.abort(new Error('stopped before'));
    await expect(collect(odps.storage.readSplit(d, { signal: ac2.signal }))).rejects.toThrow('stopped before');
    expect(seen).toHaveLength(0);
  });

  it('refuses bad options at the call', () => {
    const { odps } = setup();
    expect(() => odps.storage.readSplit(d, { fromRow: 7 })).toThrow(OdpsArgumentError);
    expect(() => odps.storage.readSplit(d, { maxBatchRows: 0 })).toThrow(OdpsArgumentError);
    expect(() => odps.storage.readSplit('{')).toThrow(InvalidSplitDescriptorError);
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
