// End-to-end: the real client against the emulator over loopback, for the REST and SQL features.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount, CredentialProviderAccount } from '@odps-ts/auth';
import type { OdpsError} from '@odps-ts/odps-client';
import { AuthError, NoSuchObjectError, ODPS, SqlError, Timestamp, InvalidIdentifierError } from '@odps-ts/odps-client';
import { faultPresets, type Emulator } from '@odps-ts/emulator';
import { startEmulatorClient, type EmulatorClient } from '../support/emulator-client.js';

describe('client against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;
  let env: EmulatorClient | undefined;

  beforeAll(async () => {
    env = await startEmulatorClient({ pageSize: 3 });
    ({ emu, odps } = env);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('lists tables across marker pages (page size 3) with a prefix filter', async () => {
    for (let i = 0; i < 7; i++) {
      await odps.executeSql(`CREATE TABLE IF NOT EXISTS page_t${i} (id BIGINT)`);
    }
    const names: string[] = [];
    for await (const t of odps.tables.list({ prefix: 'page_t' })) names.push(t.name);
    expect(names).toEqual(['page_t0', 'page_t1', 'page_t2', 'page_t3', 'page_t4', 'page_t5', 'page_t6']);
    const all: string[] = [];
    for await (const t of odps.tables.list()) all.push(t.name);
    expect(all).toEqual(expect.arrayContaining(['ods_orders', 'dim_customers', 'page_t6']));
    expect(new Set(all).size).toBe(all.length);
  });

  it('reads a table schema with parsed types and partition keys', async () => {
    const t = await odps.tables.get('ods_orders');
    expect(t.name).toBe('ods_orders');
    expect(t.schema.partitionColumns.map((c) => c.name)).toEqual(['ds']);
    const amount = t.schema.columns.find((c) => c.name === 'amount');
    expect(amount?.odpsType).toMatchObject({ kind: 'decimal', precision: 18, scale: 2 });
    const tags = t.schema.columns.find((c) => c.name === 'tags');
    expect(tags?.odpsType).toMatchObject({ kind: 'array', element: { kind: 'string' } });
    expect(await odps.tables.exists('ods_orders')).toBe(true);
    expect(await odps.tables.exists('no_such_table_here')).toBe(false);
    await expect(odps.tables.get('no_such_table_here')).rejects.toBeInstanceOf(NoSuchObjectError);
  });

  it('creates a partitioned table, manages partitions and drops it', async () => {
    await odps.tables.create('e2e_sales', {
      columns: [
        { name: 'id', type: 'bigint', comment: "the order's id" },
        { name: 'price', type: 'decimal(10,2)' },
        { name: 'at', type: 'timestamp' },
      ],
      partitionColumns: [{ name: 'ds', type: 'string' }],
      comment: 'e2e table',
      lifecycle: 7,
      ifNotExists: true,
    });
    const t = await odps.tables.get('e2e_sales');
    expect(t.comment).toBe('e2e table');
    expect(t.lifecycle).toBe(7);
    expect(t.schema.columns[0]?.comment).toBe("the order's id");

    await t.partitions.add({ ds: '20250101' });
    await t.partitions.add("ds='20250102'");
    expect(await t.partitions.exists({ ds: '20250101' })).toBe(true);
    const specs: string[] = [];
    for await (const p of t.partitions.list()) specs.push(p.spec.toString());
    expect(specs).toHaveLength(2);
    await t.partitions.drop({ ds: '20250101' });
    expect(await t.partitions.exists({ ds: '20250101' })).toBe(false);

    await odps.tables.drop('e2e_sales');
    expect(await odps.tables.exists('e2e_sales')).toBe(false);
    await expect(odps.tables.create('bad\nname', { columns: [{ name: 'a', type: 'bigint' }] })).rejects.toBeInstanceOf(InvalidIdentifierError);
  });

  it('runs SQL and reads typed results, with a logview link', async () => {
    await odps.executeSql(`CREATE TABLE IF NOT EXISTS e2e_types (id BIGINT, name STRING, price DECIMAL(38,18), at DATETIME, ts TIMESTAMP, ok BOOLEAN)`);
    await odps.executeSql(`INSERT INTO e2e_types VALUES
      (9007199254740993, 'a,"b"', 12345678901234567890.123456789012345678, CAST('2025-01-02 03:04:05' AS DATETIME), CAST('1969-12-31 23:59:59.5' AS TIMESTAMP), true),
      (2, NULL, NULL, NULL, NULL, false)`);
    const inst = await odps.executeSql('SELECT id, name, price, at, ts, ok FROM e2e_types ORDER BY id');
    const result = await inst.getResult();
    expect(result.columns.map((c) => c.name)).toEqual(['id', 'name', 'price', 'at', 'ts', 'ok']);
    expect(result.rows).toHaveLength(2);
    const [nulls, big] = result.rows as [unknown[], unknown[]];
    expect(nulls).toEqual([2n, null, null, null, null, false]);
    expect(big[0]).toBe(9007199254740993n);
    expect(big[1]).toBe('a,"b"');
    expect(big[2]).toBe('12345678901234567890.123456789012345678');
    expect(big[3]).toEqual(new Date('2025-01-02T03:04:05Z'));
    expect(big[4]).toBeInstanceOf(Timestamp);
    expect((big[4] as Timestamp).epochSeconds).toBe(-1n);
    expect((big[4] as Timestamp).nanos).toBe(500_000_000);
    expect(big[5]).toBe(true);

    const url = await inst.logviewUrl();
    expect(url).toContain(`i=${inst.id}`);
    expect(url).toMatch(/token=[^&]+/);
  });

  it('reports progress while waiting and raises SqlError with the server message', async () => {
    let calls = 0;
    const inst = await odps.runSql('SELECT COUNT(*) FROM ods_orders');
    await inst.waitForSuccess({ onProgress: () => void calls++ });
    expect(calls).toBeGreaterThan(0);
    const err = await odps.executeSql('SELECT * FROM table_that_is_missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).message).toMatch(/ODPS-0130131/);
    const parse = await odps.executeSql('SELEC nonsense').catch((e: unknown) => e);
    expect(parse).toBeInstanceOf(SqlError);
  });

  it('stops a running instance and lists instances', async () => {
    const inst = await odps.runSql('SELECT 1');
    await inst.waitForSuccess();
    const ids: string[] = [];
    for await (const i of odps.instances.list()) ids.push(i.id);
    expect(ids).toContain(inst.id);
  });

  it('rejects a wrong secret with SignatureNotMatch and never shows the secret', async () => {
    const bad = new ODPS({ account: new AliyunAccount(emu.accessKeyId, 'wrong-secret-value'), project: emu.project, endpoint: emu.endpoint });
    try {
      const err = await bad.tables.get('ods_orders').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AuthError);
      expect((err as OdpsError).code).toBe('SignatureNotMatch');
      expect((err as OdpsError).status).toBe(401);
      expect(String((err as Error).message)).not.toContain('wrong-secret-value');
      expect((err as OdpsError).requestId).toBeTruthy();
    } finally {
      await bad.close();
    }
  });

  it('signs with v4 as well', async () => {
    const v4 = new ODPS({
      account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret, { signatureVersion: 'v4', region: 'cn-hangzhou' }),
      project: emu.project,
      endpoint: emu.endpoint,
    });
    try {
      expect(await v4.tables.exists('ods_orders')).toBe(true);
    } finally {
      await v4.close();
    }
  });

  it('refreshes an expired STS token through the credentials URI mid-run', async () => {
    const account = new CredentialProviderAccount(undefined, { credentialsUri: emu.credentialsUri, libraryChain: false, env: {} });
    const sts = new ODPS({ account, project: emu.project, endpoint: emu.endpoint });
    try {
      expect(await sts.tables.exists('ods_orders')).toBe(true);
      const first = await account.getCredentials();
      emu.faults.set({ expireSts: true });
      // The server now rejects the cached token; the client must invalidate, refetch and retry once.
      expect(await sts.tables.exists('dim_customers')).toBe(true);
      const second = await account.getCredentials();
      expect(second.accessKeyId).not.toBe(first.accessKeyId);
    } finally {
      await sts.close();
    }
  });

  it('survives 503 bursts on reads and 409 Retry-After on submission', async () => {
    emu.faults.set([{ path: '/tables/ods_orders', status: 503, count: 2 }]);
    expect((await odps.tables.get('ods_orders')).name).toBe('ods_orders');
    emu.faults.set([faultPresets.busyOnCreateInstance(1, 0)]);
    const inst = await odps.executeSql('SELECT 1');
    expect(await inst.isSuccessful()).toBe(true);
    emu.faults.set([]);
  });

  it('corrects clock skew from the server Date and retries', async () => {
    emu.faults.set({ clockSkewMs: 30 * 60 * 1000 });
    try {
      expect(await odps.tables.exists('ods_orders')).toBe(true);
    } finally {
      emu.faults.set({ clockSkewMs: 0 });
    }
  });

  it('aborts a wait promptly', async () => {
    emu.faults.set([{ pathRegex: '/instances/[^/?]+$', method: 'GET', latencyMs: 2000 }]);
    try {
      const inst = await odps.runSql('SELECT 1');
      const ac = new AbortController();
      const started = Date.now();
      setTimeout(() => ac.abort(), 100);
      await expect(inst.waitForSuccess({ signal: ac.signal })).rejects.toThrow(/abort/i);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      emu.faults.set([]);
    }
  });
});
