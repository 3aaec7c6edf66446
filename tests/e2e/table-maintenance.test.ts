// End-to-end: table maintenance methods through the real client against the emulator, checked through metadata and data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ODPS } from '@odps-ts/odps-client';
import { InvalidPartitionSpecError, SqlError } from '@odps-ts/odps-client';
import { startEmulatorClient, type EmulatorClient } from '../support/emulator-client.js';

describe('table maintenance through the client', () => {
  let odps: ODPS;
  let env: EmulatorClient | undefined;

  beforeAll(async () => {
    env = await startEmulatorClient();
    odps = env.odps;
  });
  afterAll(async () => {
    await env?.close();
  });

  const count = async (sql: string): Promise<bigint> => (await (await odps.executeSql(sql)).getResult()).rows[0]![0] as bigint;

  it('truncate empties the table or only the named partitions', async () => {
    const t = await odps.tables.create('m_trunc', { columns: [{ name: 'v', type: 'bigint' }], partitionColumns: [{ name: 'ds', type: 'string' }] });
    await odps.executeSql("INSERT INTO m_trunc PARTITION (ds='a') VALUES (1), (2)");
    await odps.executeSql("INSERT INTO m_trunc PARTITION (ds='b') VALUES (3)");
    await t.truncate({ partitions: [{ ds: 'a' }] });
    expect(await count("SELECT COUNT(*) FROM m_trunc WHERE ds='a'")).toBe(0n);
    expect(await count("SELECT COUNT(*) FROM m_trunc WHERE ds='b'")).toBe(1n);
    await t.truncate();
    expect(await count('SELECT COUNT(*) FROM m_trunc')).toBe(0n);
  });

  it('setLifecycle, setComment (hostile text kept verbatim) and touch show in the metadata', async () => {
    const t = await odps.tables.create('m_meta', { columns: [{ name: 'v', type: 'string' }] });
    const comment = "it's \\ a `test`; DROP TABLE m_meta; --\nline2";
    await t.setLifecycle(12);
    await t.setComment(comment);
    const before = (await odps.tables.get('m_meta')).lastModifiedTime?.getTime() ?? 0;
    await new Promise((r) => setTimeout(r, 1100));
    await t.touch();
    const after = await odps.tables.get('m_meta');
    expect(after.lifecycle).toBe(12);
    expect(after.comment).toBe(comment);
    expect(after.lastModifiedTime!.getTime()).toBeGreaterThan(before);
  });

  it('add, change and drop columns; rename to a hostile name; getDdl recreates an equal table', async () => {
    const t = await odps.tables.create('m_cols', { columns: [{ name: 'id', type: 'int', comment: 'key' }, { name: 'v', type: 'string' }] });
    await t.addColumns([{ name: 'x', type: 'decimal(10,2)', comment: "o'k" }, { name: 'tags', type: 'array<string>' }]);
    await t.changeColumn('id', { type: 'bigint' });
    await t.changeColumn('v', { newName: 'value' });
    await t.changeColumn('x', { comment: 'price' });
    await t.dropColumns(['tags']);
    const renamed = await t.rename('m cols`2');
    expect(renamed.name).toBe('m cols`2');
    expect(await odps.tables.exists('m_cols')).toBe(false);
    const cols = renamed.schema.columns.map((c) => [c.name, c.type, c.comment ?? '']);
    expect(cols).toEqual([['id', 'bigint', 'key'], ['value', 'string', ''], ['x', 'decimal(10,2)', 'price']]);
    // The DDL text is runnable: recreate under another name and compare schemas.
    const ddl = renamed.getDdl().replace('`m cols``2`', '`m_cols_copy`');
    await odps.executeSql(ddl);
    const copy = await odps.tables.get('m_cols_copy');
    expect(copy.schema.columns.map((c) => [c.name, c.type, c.comment ?? ''])).toEqual(cols);
  });

  it('service refusals surface as SqlError; bad specs as InvalidPartitionSpecError', async () => {
    const t = await odps.tables.create('m_err', { columns: [{ name: 'a', type: 'bigint' }, { name: 'b', type: 'string' }] });
    await expect(t.dropColumns(['nope'])).rejects.toBeInstanceOf(SqlError);
    await expect(t.changeColumn('b', { type: 'bigint' })).rejects.toBeInstanceOf(SqlError);
    await expect(t.rename('m_trunc')).rejects.toBeInstanceOf(SqlError);
    await expect(t.touch({ partition: { ds: '1' } })).rejects.toBeInstanceOf(InvalidPartitionSpecError);
  });

  it('partitions.max() skips empty partitions; list({ filter }) pushes the prefix and filters the rest', async () => {
    const t = await odps.tables.create('m_parts', { columns: [{ name: 'v', type: 'bigint' }], partitionColumns: [{ name: 'ds', type: 'string' }, { name: 'hh', type: 'string' }] });
    await odps.executeSql("INSERT INTO m_parts PARTITION (ds='2025', hh='01') VALUES (1)");
    await odps.executeSql("INSERT INTO m_parts PARTITION (ds='2025', hh='03') VALUES (1)");
    await t.partitions.add({ ds: '2025', hh: '09' });
    await t.partitions.add({ ds: '2024', hh: '23' });
    expect((await t.partitions.max())?.spec.toPath()).toBe('ds=2025/hh=03');
    expect((await t.partitions.max({ skipEmpty: false }))?.spec.toPath()).toBe('ds=2025/hh=09');
    expect(await t.partitions.max({ spec: { ds: '2024' } })).toBeUndefined();
    const listed: string[] = [];
    for await (const p of t.partitions.list({ filter: 'ds=2025,hh>=02' })) listed.push(p.spec.toPath());
    expect(listed).toEqual(['ds=2025/hh=03', 'ds=2025/hh=09']);
    // TOUCH PARTITION stamps only that partition.
    const stamp = async (hh: string) => (await t.partitions.get({ ds: '2025', hh })).lastModifiedTime!.getTime();
    const [a, b] = [await stamp('01'), await stamp('09')];
    await new Promise((r) => setTimeout(r, 1100));
    await t.touch({ partition: { ds: '2025', hh: '09' } });
    expect(await stamp('09')).toBeGreaterThan(b);
    expect(await stamp('01')).toBe(a);
  });
});
