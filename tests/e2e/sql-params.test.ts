// End-to-end: parameterized SQL against the emulator. Hostile values come back exactly as sent and never
// run as SQL of their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ODPS} from '@odps-ts/odps-client';
import { sql } from '@odps-ts/odps-client';
import { startEmulatorClient, type EmulatorClient } from '../support/emulator-client.js';

const HOSTILE_STRINGS = [
  "' or '1'='1",
  "'; drop table victim; --",
  "\\'; drop table victim; --",
  '\\',
  "\\\\'",
  "it''s",
  '"; drop table victim; --',
  '`; drop table victim; --',
  '/* */ drop table victim',
  '-- comment',
  '*/ drop table victim /*',
  'line\nbreak\r\n\ttab',
  'semi;colon',
  ':param :=',
  '${x}',
  "\u2019 unicode quote \u02bc",
  '😀 astral',
  '%s %d %%',
  "'",
  "''",
  '\\n literally',
];

describe('parameterized SQL against the emulator', () => {
  let odps: ODPS;
  let env: EmulatorClient | undefined;

  beforeAll(async () => {
    env = await startEmulatorClient({});
    ({ odps } = env);
    await odps.executeSql('create table if not exists victim (id bigint)');
  });
  afterAll(async () => {
    await env?.close();
  });

  async function one(statement: Parameters<ODPS['executeSql']>[0], params?: Record<string, unknown>): Promise<unknown[]> {
    const inst = await odps.executeSql(statement, params ? { params } : {});
    const { rows } = await inst.getResult();
    return [...rows[0]!];
  }

  it.each(HOSTILE_STRINGS)('string %j round-trips through :name and sql``', async (value) => {
    expect(await one('select :v as v', { v: value })).toEqual([value]);
    expect(await one(sql`select ${value} as v`)).toEqual([value]);
    expect(await odps.tables.exists('victim')).toBe(true);
  });

  it('binds typed values and IN lists', async () => {
    const row = await one(sql`select ${42n} as a, ${-7} as b, ${1.5} as c, ${true} as d, ${null} as e, ${sql.decimal('12.30')} as f`);
    expect(row).toEqual([42n, -7, 1.5, true, null, '12.30']);
    await odps.executeSql('create table if not exists in_list (id bigint, name string)');
    await odps.executeSql("insert overwrite table in_list values (1, 'a'), (2, 'b'), (3, 'c'), (4, 'd')");
    const inst = await odps.executeSql(sql`select name from ${sql.ident('in_list')} where id in (${[2n, 4n]}) order by name`);
    expect((await inst.getResult<[string]>()).rows.map(([name]) => name.toUpperCase())).toEqual(['B', 'D']);
    const objects: string[] = [];
    for await (const { name } of inst.openReader<{ name: string }>({ asObjects: true })) objects.push(name);
    expect(objects).toEqual(['b', 'd']);
  });

  it('binds dates and binaries', async () => {
    const when = new Date(Date.UTC(2024, 1, 29, 23, 59, 58));
    const row = await one('select :d as d, :day as day, :bin as bin', { d: when, day: sql.date('2024-02-29'), bin: new Uint8Array([0x41, 0x42, 0x43]) });
    expect(row[0]).toEqual(when);
    expect(row[1]).toBe('2024-02-29');
    expect(Buffer.from(row[2] as Uint8Array).toString('latin1')).toBe('ABC');
  });
});
