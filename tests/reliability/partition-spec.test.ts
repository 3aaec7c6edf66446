// Partition values end to end: hostile ones refused by the client (no request) and by the emulator (raw
// signed requests, SQL), tricky legal ones seen identically by tunnel, exists/get/list and SQL `where`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidPartitionSpecError, quoteString, type ODPS, type Table } from '@odps-ts/odps-client';
import { HOSTILE_VALUES, TRICKY_VALUES } from '../../packages/odps-client/test/resources/partition-values.js';
import { call } from '../../packages/emulator/test/server/helpers.js';
import { startHarness, type Harness } from './helpers.js';

const TABLE = 'part_rel';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('reliability: partition values', () => {
  let h: Harness;
  let odps: ODPS;
  let table: Table;

  /** Rows of (ds, hh) through SQL, so the check does not share code with the tunnel path. */
  async function sqlRows(where: string): Promise<unknown[][]> {
    const inst = await odps.executeSql(`SELECT v FROM ${TABLE} WHERE ${where} ORDER BY v`);
    return (await inst.getResult()).rows;
  }

  async function write(spec: Record<string, string>, values: string[], overwrite = false): Promise<void> {
    const w = await table.openWriter({ partition: spec, createPartition: true, overwrite });
    await w.write(values.map((v) => [v]));
    await w.commit();
  }

  beforeAll(async () => {
    h = await startHarness();
    odps = h.rootClient();
    await odps.tables.create(TABLE, { columns: [{ name: 'v', type: 'string' }], partitionColumns: [{ name: 'ds', type: 'string' }, { name: 'hh', type: 'string' }] });
    table = await odps.tables.get(TABLE);
    await write({ ds: '20250101', hh: '07' }, ['keep-1', 'keep-2']);
  });
  afterAll(async () => h?.close());

  it('the original attack: hh="99/hh=07" with overwrite is refused and hh=07 keeps its rows', async () => {
    const before = h.server.length;
    await expect(table.openWriter({ partition: { ds: '20250101', hh: '99/hh=07' }, overwrite: true })).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    expect(h.server.length).toBe(before);
    // The same spec sent raw, bypassing the client, is refused by the emulator too.
    const raw = await call(h.emu, 'POST', `/projects/${h.emu.project}/tables/${TABLE}?uploads&overwrite=true&partition=${encodeURIComponent('ds=20250101,hh=99/hh=07')}`, { service: 'tunnel' });
    expect(raw.status).toBe(400);
    expect(raw.text).toContain('InvalidPartitionSpec');
    expect(await sqlRows("ds='20250101' AND hh='07'")).toEqual([['keep-1'], ['keep-2']]);
  });

  it.each(HOSTILE_VALUES)('client refuses %s with a typed error and sends nothing', async (_why, value) => {
    const before = h.server.length;
    const spec = { ds: '20250101', hh: value };
    await expect(table.openWriter({ partition: spec, overwrite: true, createPartition: true })).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    await expect(table.openReader({ partition: spec })).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    await expect(table.partitions.exists(spec)).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    await expect(table.partitions.add(spec)).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    expect(h.server.length).toBe(before);
  });

  // Surrogates cannot travel in UTF-8 at all, so the raw requests leave them out.
  const RAW = HOSTILE_VALUES.filter(([, v]) => !/[\ud800-\udfff]/.test(v));

  it.each(RAW)('emulator refuses %s in raw tunnel and REST requests', async (_why, value) => {
    const p = h.emu.project;
    const enc = encodeURIComponent;
    const quoted = `ds='20250101',hh=${quoteString(value)}`;
    const attempts: Array<Promise<{ status: number; text: string }>> = [
      call(h.emu, 'POST', `/projects/${p}/tables/${TABLE}?uploads&overwrite=true&create_partition=true&partition=${enc(`ds=20250101,hh=${value}`)}`, { service: 'tunnel' }),
      call(h.emu, 'POST', `/projects/${p}/tables/${TABLE}?uploads&create_partition=true&partition=${enc(quoted)}`, { service: 'tunnel' }),
      call(h.emu, 'POST', `/projects/${p}/tables/${TABLE}?downloads&partition=${enc(quoted)}`, { service: 'tunnel' }),
      call(h.emu, 'GET', `/projects/${p}/tables/${TABLE}?partition=${enc(quoted)}`),
      call(h.emu, 'GET', `/projects/${p}/tables/${TABLE}?partitions&partition=${enc(`hh=${quoteString(value)}`)}`),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(r.status, r.text).toBe(400);
      expect(r.text).toMatch(/InvalidPartitionSpec|Invalid argument|ODPS-/);
    }
  });

  it.each(RAW)('emulator SQL refuses %s in PARTITION clauses and dynamic inserts', async (_why, value) => {
    const lit = quoteString(value);
    // `\0` inside a literal is already a parse error in the emulator's SQL; everything else reaches the rules.
    const refused = /invalid partition value|Parse exception/;
    await expect(odps.executeSql(`ALTER TABLE ${TABLE} ADD PARTITION (ds='20250101', hh=${lit})`)).rejects.toThrow(refused);
    await expect(odps.executeSql(`INSERT OVERWRITE TABLE ${TABLE} PARTITION (ds='20250101', hh=${lit}) VALUES ('x')`)).rejects.toThrow(refused);
    await expect(odps.executeSql(`INSERT INTO ${TABLE} PARTITION (ds='20250101', hh) SELECT 'x', ${lit}`)).rejects.toThrow(refused);
  });

  it('after every attack the table still lists, describes and reads as before', async () => {
    const listed = await collect(table.partitions.list());
    expect(listed.map((p) => p.spec.toPath())).toEqual(['ds=20250101/hh=07']);
    expect(await sqlRows("ds='20250101' AND hh='07'")).toEqual([['keep-1'], ['keep-2']]);
    expect(await sqlRows('TRUE')).toEqual([['keep-1'], ['keep-2']]);
  });

  it.each(TRICKY_VALUES.map((v, i) => [i, v] as const))('value #%i %j: tunnel, exists/get/list and SQL agree', async (i, value) => {
    const ds = `rt${i}`;
    const spec = { ds, hh: value };
    await write(spec, [`tunnel-${i}`]);
    expect(await collect(await table.openReader({ partition: spec }))).toEqual([[`tunnel-${i}`]]);
    expect(await table.partitions.exists(spec)).toBe(true);
    expect((await table.partitions.get(spec)).spec.get('hh')).toBe(value);
    const listed = await collect(table.partitions.list({ spec: { ds } }));
    expect(listed.map((p) => p.spec.toObject())).toEqual([{ ds, hh: value }]);
    expect(await sqlRows(`ds='${ds}' AND hh=${quoteString(value)}`)).toEqual([[`tunnel-${i}`]]);
    // A partition added through SQL is the same partition the REST calls and the tunnel address.
    await odps.executeSql(`ALTER TABLE ${TABLE} ADD PARTITION (ds='sql${i}', hh=${quoteString(value)})`);
    expect(await table.partitions.exists({ ds: `sql${i}`, hh: value })).toBe(true);
    await write({ ds: `sql${i}`, hh: value }, ['via-sql-partition']);
    expect(await sqlRows(`ds='sql${i}' AND hh=${quoteString(value)}`)).toEqual([['via-sql-partition']]);
    // A dynamic partition created from row data lands on the same partition too.
    await odps.executeSql(`INSERT INTO ${TABLE} PARTITION (ds='dyn${i}', hh) SELECT 'via-dynamic', ${quoteString(value)}`);
    expect((await table.partitions.get({ ds: `dyn${i}`, hh: value })).recordNum).toBe(1);
    expect(await collect(await table.openReader({ partition: { ds: `dyn${i}`, hh: value } }))).toEqual([['via-dynamic']]);
  });
});
