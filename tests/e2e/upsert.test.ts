// End-to-end: table.openUpsertWriter against the emulator's upsert sessions (keys, deletes, partitions, lost commit answers, abort).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ODPS } from '@odps-ts/odps-client';
import { OdpsError, TunnelError, ValueTypeError } from '@odps-ts/odps-client';
import type { Emulator } from '@odps-ts/emulator';
import { requestLogger, startEmulatorClient, type EmulatorClient, type LoggedRequest } from '../support/emulator-client.js';

describe('upsert sessions against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;
  let env: EmulatorClient | undefined;
  const seen: LoggedRequest[] = [];
  const commits = (): number => seen.filter((r) => r.method === 'POST' && /\/upserts\?(.*&)?upsertid=/.test(r.path)).length;
  const sql = async (q: string): Promise<unknown[][]> => (await (await odps.executeSql(q)).getResult()).rows;
  const download = async (table: string, partition?: string): Promise<unknown[][]> => {
    const out: unknown[][] = [];
    const t = await odps.tables.get(table);
    for await (const r of await t.openReader(partition ? { partition } : {})) out.push([...(r as unknown[])]);
    return out.sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  };

  beforeAll(async () => {
    env = await startEmulatorClient({ logger: requestLogger(seen), clientOptions: { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } } });
    ({ emu, odps } = env);
    for (const t of ['up_basic', 'up_kill', 'up_abort', 'up_bad']) {
      await odps.executeSql(`CREATE TABLE ${t} (id BIGINT NOT NULL PRIMARY KEY, name STRING, score DOUBLE) TBLPROPERTIES ('transactional'='true')`);
    }
    await odps.executeSql(`CREATE TABLE up_multi (k1 STRING NOT NULL, k2 BIGINT NOT NULL, v STRING, PRIMARY KEY (k1, k2)) TBLPROPERTIES ('transactional'='true')`);
    await odps.executeSql(`CREATE TABLE up_part (id BIGINT NOT NULL PRIMARY KEY, v STRING) PARTITIONED BY (ds STRING) TBLPROPERTIES ('transactional'='true')`);
    await odps.tables.create('up_plain', { columns: [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }] });
  });
  beforeEach(() => emu.faults.clear());
  afterAll(async () => {
    await env?.close();
  });

  it('upserts, updates existing keys and deletes, visible to SQL and downloads only after commit', async () => {
    const t = await odps.tables.get('up_basic');
    const w1 = await t.openUpsertWriter();
    for (let i = 0; i < 40; i++) await w1.upsert([BigInt(i), `n${i}`, i / 2]);
    await w1.commit();
    expect(await sql('SELECT count(*) FROM up_basic')).toEqual([[40n]]);

    const w2 = await t.openUpsertWriter({ bucketBytes: 1024 });
    for (let i = 0; i < 40; i += 2) await w2.upsert({ id: i, name: `u${i}`, score: -1 });
    for (let i = 1; i < 40; i += 4) await w2.delete({ id: BigInt(i) });
    // delete then re-insert, upsert then delete: the last operation per key wins
    await w2.delete([3n, null, null]);
    await w2.upsert([3n, 'back', 3]);
    await w2.upsert([100n, 'gone', 0]);
    await w2.delete({ id: 100n });
    await w2.flush();
    expect(await sql('SELECT count(*) FROM up_basic')).toEqual([[40n]]);
    await w2.commit();

    const expected = new Map<bigint, unknown[]>();
    for (let i = 0; i < 40; i++) expected.set(BigInt(i), [BigInt(i), `n${i}`, i / 2]);
    for (let i = 0; i < 40; i += 2) expected.set(BigInt(i), [BigInt(i), `u${i}`, -1]);
    for (let i = 1; i < 40; i += 4) expected.delete(BigInt(i));
    expected.set(3n, [3n, 'back', 3]);
    const want = [...expected.values()].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(await download('up_basic')).toEqual(want);
    const viaSql = await sql('SELECT id, name, score FROM up_basic ORDER BY id');
    expect(viaSql).toEqual([...expected.values()].sort((a, b) => Number(a[0]) - Number(b[0])));
  });

  it('routes multi-column keys (the emulator checks every record landed in its hash bucket)', async () => {
    const w = await (await odps.tables.get('up_multi')).openUpsertWriter({ slotNum: 2 });
    for (let i = 0; i < 30; i++) await w.upsert([`键${i % 5}`, BigInt(i - 15), `v${i}`]);
    await w.delete({ k1: '键0', k2: -15n });
    await w.commit();
    expect(await sql('SELECT count(*) FROM up_multi')).toEqual([[29n]]);
    expect(await sql(`SELECT v FROM up_multi WHERE k1 = '键1' AND k2 = -14`)).toEqual([['v1']]);
  });

  it('writes into one partition of a partitioned table', async () => {
    const t = await odps.tables.get('up_part');
    for (const ds of ['a', 'b']) {
      const w = await t.openUpsertWriter({ partition: `ds=${ds}` });
      for (let i = 0; i < 5; i++) await w.upsert([BigInt(i), `${ds}${i}`]);
      await w.commit();
    }
    const w = await t.openUpsertWriter({ partition: 'ds=a' });
    await w.upsert([1n, 'a1!']);
    await w.delete({ id: 2n });
    await w.commit();
    expect(await download('up_part', 'ds=a')).toEqual([[0n, 'a0'], [1n, 'a1!'], [3n, 'a3'], [4n, 'a4']]);
    expect(await download('up_part', 'ds=b')).toEqual([[0n, 'b0'], [1n, 'b1'], [2n, 'b2'], [3n, 'b3'], [4n, 'b4']]);
  });

  it('a connection killed after the server committed: the retry finds it committed, nothing lost or duplicated', async () => {
    const t = await odps.tables.get('up_kill');
    const w0 = await t.openUpsertWriter();
    for (let i = 0; i < 10; i++) await w0.upsert([BigInt(i), 'old', 0]);
    await w0.commit();
    const w = await t.openUpsertWriter();
    for (let i = 5; i < 15; i++) await w.upsert([BigInt(i), 'new', i]);
    await w.delete({ id: 0n });
    emu.faults.set([{ method: 'POST', path: '/up_kill/upserts', resetAfterBytes: 0, count: 1 }]);
    const before = commits();
    await w.commit();
    expect(emu.faults.list()).toEqual([]);
    // One commit POST (its answer lost), then a reload that finds the session COMMITTED: no second apply.
    expect(commits() - before).toBe(1);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', status: 200 });
    const rows = await sql('SELECT id, name, score FROM up_kill ORDER BY id');
    const want: unknown[][] = [];
    for (let i = 1; i < 5; i++) want.push([BigInt(i), 'old', 0]);
    for (let i = 5; i < 15; i++) want.push([BigInt(i), 'new', i]);
    expect(rows).toEqual(want);
    expect(w.session.status).toBe('COMMITTED');
  });

  it('a 503 on commit is retried; abort leaves the table unchanged', async () => {
    const t = await odps.tables.get('up_abort');
    const w0 = await t.openUpsertWriter();
    await w0.upsert([1n, 'keep', 1]);
    emu.faults.set([{ method: 'POST', path: '/up_abort/upserts', status: 503, count: 1 }]);
    const before = commits();
    await w0.commit();
    expect(emu.faults.list()).toEqual([]);
    expect(commits() - before).toBe(2);
    const w = await t.openUpsertWriter();
    await w.upsert([2n, 'x', 2]);
    await w.delete({ id: 1n });
    await w.flush();
    await w.abort();
    expect(await sql('SELECT id, name FROM up_abort')).toEqual([[1n, 'keep']]);
    await expect(w.upsert([3n, 'y', 3])).rejects.toMatchObject({ code: 'WriterClosed' });
  });

  it('refuses a table without a primary key, and bad keys before sending', async () => {
    const plain = await odps.tables.get('up_plain');
    const err = await plain.openUpsertWriter().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OdpsError);
    expect(String((err as Error).message)).toMatch(/primary key/);
    const w = await (await odps.tables.get('up_bad')).openUpsertWriter();
    await expect(w.delete({ name: 'no key' })).rejects.toBeInstanceOf(ValueTypeError);
    await expect(w.upsert([null, 'a', 1])).rejects.toBeInstanceOf(ValueTypeError);
    await expect(w.upsert(['1x', 'a', 1])).rejects.toBeInstanceOf(ValueTypeError);
    await expect(w.upsert([1n, 42, 1])).rejects.toBeInstanceOf(ValueTypeError);
    await expect(w.upsert({ nope: 1 })).rejects.toThrow(/nope/);
    await w.upsert([7n, 'ok', 1]);
    await w.commit();
    expect(await sql('SELECT id, name FROM up_bad')).toEqual([[7n, 'ok']]);
    await expect(w.commit()).rejects.toBeInstanceOf(TunnelError);
  });
});
