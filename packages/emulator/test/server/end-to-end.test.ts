import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/index.js';
import { call, sqlJob, xmlText } from './helpers.js';

async function runSql(emu: Emulator, sql: string): Promise<{ status: string; result: string; descriptor?: string }> {
  const res = await call(emu, 'POST', '/projects/demo/instances', { body: sqlJob(sql) });
  expect(res.status).toBe(201);
  const id = (res.headers['location'] as string).split('/').pop() as string;
  for (let i = 0; i < 30; i++) {
    const st = await call(emu, 'GET', `/projects/demo/instances/${id}?instancestatus`);
    if (xmlText(st.text, 'Status') === 'Terminated') break;
  }
  const r = await call(emu, 'GET', `/projects/demo/instances/${id}?result`);
  const descriptor = xmlText(r.text, 'ResultDescriptor');
  return { status: xmlText(r.text, 'Status') as string, result: xmlText(r.text, 'Result') as string, ...(descriptor ? { descriptor } : {}) };
}

describe('emulator with the DuckDB engine', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('serves the seeded demo tables', async () => {
    const list = await call(emu, 'GET', '/projects/demo/tables?expectmarker=true');
    expect(list.text).toContain('<Name>ods_orders</Name>');
    const meta = await call(emu, 'GET', '/projects/demo/tables/ods_orders');
    const schema = JSON.parse(xmlText(meta.text, 'Schema') as string);
    expect(schema.partitionKeys.map((k: { name: string }) => k.name)).toEqual(['ds']);
    const parts = await call(emu, 'GET', '/projects/demo/tables/ods_orders?partitions');
    expect(parts.text).toContain('<Column Name="ds" Value="');
  });

  it('runs DDL, DML and a query end to end', async () => {
    expect((await runSql(emu, 'create table e2e_t (id bigint, s string);')).status).toBe('Success');
    expect((await runSql(emu, "insert into e2e_t values (1, 'a'), (2, null);")).status).toBe('Success');
    const q = await runSql(emu, 'select id, s from e2e_t order by id;');
    expect(q.status).toBe('Success');
    expect(q.result).toBe('id,s\n1,a\n2,\\N\n');
    expect(JSON.parse(q.descriptor as string).Schema.Columns).toEqual([
      { Name: 'id', Type: 'bigint' },
      { Name: 's', Type: 'string' },
    ]);
    const bad = await runSql(emu, 'select * from no_such_table_xyz;');
    expect(bad.status).toBe('Failed');
    expect(bad.result).toMatch(/^ODPS-0130131:/);
  });
});
