import { afterEach, describe, expect, it } from 'vitest';
import { harness } from '../odps/harness.js';

const meta = (schema: string) =>
  `<Table><Name>t</Name><Project>p1</Project><SchemaName>${schema}</SchemaName><Schema format="Json"><![CDATA[${JSON.stringify({
    columns: [{ name: 'id', type: 'bigint' }, { name: 'at', type: 'datetime' }, { name: 'ok', type: 'boolean' }],
    partitionKeys: [{ name: 'ds', type: 'string' }],
  })}]]></Schema></Table>`;

describe('table.head() on the wire', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('sends data, linenum, partition, cols and the schema as PyODPS does, and types the CSV by the table schema', async () => {
    h = harness({ schema: 'ana' });
    h.on('GET', '/projects/p1/tables/t', { body: meta('ana') }, { when: (q) => !q.has('data') });
    h.on('GET', '/projects/p1', { body: '<Project><Name>p1</Name><Properties><Property><Name>odps.sql.timezone</Name><Value>Asia/Shanghai</Value></Property></Properties></Project>' });
    h.on('GET', '/projects/p1/tables/t', { body: 'id,at,ok,ds\n7,2024-03-01 08:00:00,true,d1\n\\N,\\N,\\N,d1\n', headers: { 'content-type': 'text/plain' } }, { when: (q) => q.has('data') });
    const t = await h.odps.tables.get('t');
    const head = await t.head(5, { partition: { ds: 'd1' }, columns: ['ok', 'id', 'at'] });
    const q = h.seen.find((s) => s.query.has('data'))!.query;
    expect(Object.fromEntries(q)).toEqual({ data: '', linenum: '5', partition: "ds='d1'", cols: 'ok,id,at', curr_schema: 'ana', schema_name: 'ana', curr_project: 'p1' });
    expect(head.columns).toEqual([{ name: 'id', type: 'bigint' }, { name: 'at', type: 'datetime' }, { name: 'ok', type: 'boolean' }, { name: 'ds', type: 'string' }]);
    expect(head.rows).toEqual([[7n, new Date('2024-03-01T00:00:00Z'), true, 'd1'], [null, null, null, 'd1']]);
  });

  it('a header name the schema lacks reads as string; an explicit zone skips the project lookup', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/t', { body: meta('default') }, { when: (q) => !q.has('data') });
    h.on('GET', '/projects/p1/tables/t', { body: 'at,extra\n2024-03-01 08:00:00,5\n' }, { when: (q) => q.has('data') && !q.has('curr_schema') && !q.has('schema_name') });
    const head = await (await h.odps.tables.get('t')).head(1, { timeZone: 'UTC' });
    expect(head.rows).toEqual([[new Date('2024-03-01T08:00:00Z'), '5']]);
    expect(h.seen.some((s) => s.path === '/projects/p1')).toBe(false);
  });
});
