// End-to-end: table.head(n) through `GET …/tables/<t>?data&linenum=n` against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ODPS} from '@odps-ts/odps-client';
import { NoSuchObjectError, OdpsArgumentError, OdpsError } from '@odps-ts/odps-client';
import type { Emulator } from '@odps-ts/emulator';
import { startEmulatorClient, type EmulatorClient } from '../support/emulator-client.js';

describe('table.head()', () => {
  let emu: Emulator;
  let odps: ODPS;
  let env: EmulatorClient | undefined;

  beforeAll(async () => {
    env = await startEmulatorClient({ seed: false, timeZone: 'Asia/Shanghai' });
    ({ emu, odps } = env);
    const t = await odps.tables.create('head_t', {
      columns: [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }, { name: 'at', type: 'datetime' }, { name: 'tags', type: 'array<string>' }],
      partitionColumns: [{ name: 'ds', type: 'string' }],
    });
    for (const ds of ['20240101', '20240102']) {
      const w = await t.openWriter({ partition: { ds }, createPartition: true });
      await w.write([
        [1n, 'plain', new Date('2024-01-01T00:00:00Z'), ['a']],
        [2n, 'comma, "quote"\nline', null, []],
        [3n, null, new Date('2023-12-31T16:00:00Z'), null],
      ]);
      await w.commit();
    }
  });
  afterAll(async () => {
    await env?.close();
  });

  it('returns typed rows, partition columns last, in the project zone, with quoting and NULLs intact', async () => {
    const t = await odps.tables.get('head_t');
    const head = await t.head(4);
    expect(head.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:bigint', 'name:string', 'at:datetime', 'tags:array<string>', 'ds:string']);
    expect(head.rows).toEqual([
      [1n, 'plain', new Date('2024-01-01T00:00:00Z'), ['a'], '20240101'],
      [2n, 'comma, "quote"\nline', null, [], '20240101'],
      [3n, null, new Date('2023-12-31T16:00:00Z'), null, '20240101'],
      [1n, 'plain', new Date('2024-01-01T00:00:00Z'), ['a'], '20240102'],
    ]);
  });

  it('narrows to one partition and to chosen columns (table order kept)', async () => {
    const t = await odps.tables.get('head_t');
    const head = await t.head(10, { partition: { ds: '20240102' }, columns: ['at', 'id'] });
    expect(head.columns.map((c) => c.name)).toEqual(['id', 'at']);
    expect(head.rows.map((r) => r[0])).toEqual([1n, 2n, 3n]);
    const keyOnly = await t.head(2, { columns: ['ds'] });
    expect(keyOnly.rows).toEqual([['20240101'], ['20240101']]);
  });

  it('the CSV on the wire is the ?result format: header row, \\N for NULL, Shanghai wall time', async () => {
    const res = await odps.transport.request({ method: 'GET', path: ['projects', emu.project, 'tables', 'head_t'], query: { data: null, linenum: '3', partition: "ds='20240101'" } });
    expect(await res.text()).toBe('id,name,at,tags,ds\n1,plain,2024-01-01 08:00:00,"[""a""]",20240101\n2,"comma, ""quote""\nline",\\N,[],20240101\n3,\\N,2024-01-01 00:00:00,\\N,20240101\n');
  });

  it('refuses bad arguments with typed errors before or at the server', async () => {
    const t = await odps.tables.get('head_t');
    for (const n of [0, -1, 1.5, Number.NaN, 10_001]) await expect(t.head(n)).rejects.toBeInstanceOf(OdpsArgumentError);
    await expect(t.head(1, { columns: ['nope'] })).rejects.toBeInstanceOf(OdpsArgumentError);
    await expect(t.head(1, { partition: { ds: '19990101' } })).rejects.toBeInstanceOf(NoSuchObjectError);
    for (const linenum of ['0', '-3', 'x']) {
      const res = odps.transport.request({ method: 'GET', path: ['projects', emu.project, 'tables', 'head_t'], query: { data: null, linenum } });
      await expect(res).rejects.toBeInstanceOf(OdpsError);
    }
    await expect(odps.transport.request({ method: 'GET', path: ['projects', emu.project, 'tables', 'no_such'], query: { data: null, linenum: '1' } })).rejects.toBeInstanceOf(NoSuchObjectError);
  });
});
