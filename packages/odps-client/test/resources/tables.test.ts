import { afterEach, describe, expect, it } from 'vitest';
import { InvalidIdentifierError } from '../../src/errors.js';
import { collect, harness } from '../odps/harness.js';

const tablesPage = (names: string[], marker?: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Tables>${names.map((n) => `<Table><Name>${n}</Name><Owner>ALIYUN$a@b.com</Owner><Type>MANAGED_TABLE</Type><Comment>c ${n}</Comment></Table>`).join('')}${marker === undefined ? '' : `<Marker>${marker}</Marker>`}<MaxItems>2</MaxItems></Tables>`;

const schemaJson = {
  tableName: 'orders', owner: 'ALIYUN$a@b.com', comment: 'all orders',
  columns: [
    { name: 'id', type: 'BIGINT', comment: 'pk', isNullable: false },
    { name: 'amount', type: 'decimal(38,18)' },
    { name: 'tags', type: 'map<string,array<bigint>>' },
    { name: 'info', type: 'struct<a:int,b:varchar(10)>' },
  ],
  partitionKeys: [{ name: 'ds', type: 'string' }, { name: 'hh', type: 'string' }],
  createTime: 1736757000, lastDDLTime: 1736757060, lastModifiedTime: 1736757120,
  lifecycle: 30, size: 12345, recordNum: -1, isVirtualView: false,
  Reserved: JSON.stringify({ Transactional: 'true', PrimaryKey: ['id'] }),
};

const tableXml = (json: object) =>
  `<?xml version="1.0" encoding="UTF-8"?><Table><Name>orders</Name><TableId>tid1</TableId><Owner>ALIYUN$a@b.com</Owner><Project>p1</Project><Schema format="Json"><![CDATA[${JSON.stringify(json)}]]></Schema></Table>`;

describe('tables', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('lists across 4 pages, continuing past an empty page that still has a marker', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables', { body: tablesPage(['a', 'b'], 'm1') }, { when: (q) => !q.has('marker') });
    h.on('GET', '/projects/p1/tables', { body: tablesPage([], 'm2') }, { when: (q) => q.get('marker') === 'm1' });
    h.on('GET', '/projects/p1/tables', { body: tablesPage(['c', 'd'], 'm+3 x') }, { when: (q) => q.get('marker') === 'm2' });
    h.on('GET', '/projects/p1/tables', { body: tablesPage(['e'], '') }, { when: (q) => q.get('marker') === 'm+3 x' });
    const tables = await collect(h.odps.tables.list({ prefix: 'a', pageSize: 2, extended: true }));
    expect(tables.map((t) => t.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(tables[0]).toMatchObject({ owner: 'ALIYUN$a@b.com', type: 'MANAGED_TABLE', comment: 'c a', project: 'p1' });
    expect(h.seen).toHaveLength(4);
    const q = h.seen[0]!.query;
    expect(q.get('curr_project')).toBe('p1');
    expect(q.get('expectmarker')).toBe('true');
    expect(q.get('name')).toBe('a');
    expect(q.get('maxitems')).toBe('2');
    expect(q.has('extended')).toBe(true);
    // the marker with '+' and ' ' is sent RFC 3986-encoded
    expect(h.seen[3]!.rawPath).toContain('marker=m%2B3%20x');
  });

  it('stops when the Marker element is absent', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables', { body: tablesPage(['only']) });
    expect((await collect(h.odps.tables.list())).map((t) => t.name)).toEqual(['only']);
  });

  it('gets full metadata with parsed types, times, lifecycle and Reserved JSON', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/orders', { body: tableXml(schemaJson) });
    const t = await h.odps.tables.get('orders');
    expect(t.name).toBe('orders');
    expect(t.tableId).toBe('tid1');
    expect(t.comment).toBe('all orders');
    expect(t.schema.columns.map((c) => c.type)).toEqual(['bigint', 'decimal(38,18)', 'map<string,array<bigint>>', 'struct<a:int,b:varchar(10)>']);
    expect(t.schema.columns[0]).toMatchObject({ name: 'id', comment: 'pk', nullable: false, odpsType: { kind: 'bigint' } });
    expect(t.schema.columns[2]!.odpsType).toEqual({ kind: 'map', key: { kind: 'string' }, value: { kind: 'array', element: { kind: 'bigint' } } });
    expect(t.schema.partitionColumns.map((c) => c.name)).toEqual(['ds', 'hh']);
    expect(t.creationTime?.toISOString()).toBe('2025-01-13T08:30:00.000Z');
    expect(t.lastModifiedTime?.getTime()).toBe(1736757120_000);
    expect(t.lifecycle).toBe(30);
    expect(t.size).toBe(12345);
    expect(t.recordNum).toBeUndefined();
    expect(t.transactional).toBe(true);
    expect(t.primaryKey).toEqual(['id']);
    expect(t.type).toBe('MANAGED_TABLE');
    expect(t.isPartitioned).toBe(true);
  });

  it('reads view text and sends curr_schema in three-tier projects', async () => {
    h = harness({ schema: 'analytics' });
    h.on('GET', '/projects/p1/tables/v1', { body: tableXml({ ...schemaJson, tableName: 'v1', partitionKeys: [], isVirtualView: true, viewText: 'select 1', lifecycle: -1, Reserved: undefined }) });
    const t = await h.odps.tables.get('v1');
    expect(t.type).toBe('VIRTUAL_VIEW');
    expect(t.viewText).toBe('select 1');
    expect(t.lifecycle).toBeUndefined();
    // No Reserved in the plain answer: unknown, not false (rest.md §3.2).
    expect(t.transactional).toBeUndefined();
    expect(t.primaryKey).toBeUndefined();
    expect(t.extendedLoaded).toBe(false);
    expect(h.seen[0]!.query.get('curr_schema')).toBe('analytics');
  });

  const { Reserved: _reserved, ...plainJson } = schemaJson;
  const extendedXml = (json: object) =>
    `<?xml version="1.0" encoding="UTF-8"?><Table><Name>orders</Name><Schema format="Json"><![CDATA[${JSON.stringify(json)}]]></Schema></Table>`;
  const extJson = { IsArchived: false, PhysicalSize: 999, FileNum: 3, Reserved: JSON.stringify({ Transactional: 'true', PrimaryKey: ['id'], ClusterType: 'hash' }) };

  it('a plain get leaves the Reserved-only fields unknown and does not ask for ?extended', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/orders', { body: tableXml(plainJson) });
    const t = await h.odps.tables.get('orders');
    expect(h.seen).toHaveLength(1);
    expect(h.seen[0]!.query.has('extended')).toBe(false);
    expect([t.transactional, t.primaryKey, t.physicalSize, t.fileNum, t.reserved, t.extendedLoaded]).toEqual([undefined, undefined, undefined, undefined, undefined, false]);
  });

  it('get({ extended }) does the plain GET, then ?extended, and merges the extended answer over it', async () => {
    h = harness({ schema: 'analytics' });
    h.on('GET', '/projects/p1/tables/orders', { body: tableXml(plainJson) }, { when: (q) => !q.has('extended') });
    // The extended answer has no columns: the merge must keep the plain schema.
    h.on('GET', '/projects/p1/tables/orders', { body: extendedXml(extJson) }, { when: (q) => q.has('extended') });
    const t = await h.odps.tables.get('orders', { extended: true });
    expect(h.seen.map((r) => r.query.has('extended'))).toEqual([false, true]);
    expect(h.seen.map((r) => r.query.get('curr_schema'))).toEqual(['analytics', 'analytics']);
    expect(t.schema.columns.map((c) => c.name)).toEqual(['id', 'amount', 'tags', 'info']);
    expect(t.schema.partitionColumns.map((c) => c.name)).toEqual(['ds', 'hh']);
    expect(t.comment).toBe('all orders');
    expect(t.size).toBe(12345);
    expect(t).toMatchObject({ transactional: true, primaryKey: ['id'], physicalSize: 999, fileNum: 3, isArchived: false, extendedLoaded: true });
    expect(t.reserved?.['ClusterType']).toBe('hash');
  });

  it('an extended answer without Reserved makes transactional known false, and an empty one keeps the schema', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/orders', { body: tableXml(plainJson) }, { when: (q) => !q.has('extended') });
    h.on('GET', '/projects/p1/tables/orders', { body: '<Table><Name>orders</Name></Table>' }, { when: (q) => q.has('extended') });
    const t = await h.odps.tables.get('orders', { extended: true });
    expect([t.transactional, t.primaryKey, t.extendedLoaded]).toEqual([false, [], true]);
    expect(t.schema.columns).toHaveLength(4);
  });

  it('table.loadExtendedInfo() loads the extended info later, with curr_schema, into the same object', async () => {
    h = harness({ schema: 'analytics' });
    h.on('GET', '/projects/p1/tables/orders', { body: tableXml(plainJson) }, { when: (q) => !q.has('extended') });
    h.on('GET', '/projects/p1/tables/orders', { body: extendedXml(extJson) }, { when: (q) => q.has('extended') });
    const t = await h.odps.tables.get('orders');
    expect(t.transactional).toBeUndefined();
    expect(await t.loadExtendedInfo()).toBe(t);
    expect(t).toMatchObject({ transactional: true, primaryKey: ['id'], fileNum: 3, extendedLoaded: true });
    expect(h.seen[1]!.query.get('curr_schema')).toBe('analytics');
    expect(h.seen[1]!.query.has('extended')).toBe(true);
  });

  it('an extended answer with a bad Reserved JSON or a 404 rejects with a typed error', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/orders', { body: tableXml(plainJson) }, { when: (q) => !q.has('extended') });
    h.on('GET', '/projects/p1/tables/orders', { body: extendedXml({ Reserved: '{not json' }) }, { when: (q) => q.has('extended') });
    await expect(h.odps.tables.get('orders', { extended: true })).rejects.toMatchObject({ code: 'InvalidJson' });
    h.on('GET', '/projects/p1/tables/gone', { body: tableXml(plainJson) }, { when: (q) => !q.has('extended') });
    h.on('GET', '/projects/p1/tables/gone', { status: 404, body: '<Error><Code>NoSuchObject</Code><Message>gone</Message></Error>' }, { when: (q) => q.has('extended') });
    await expect(h.odps.tables.get('gone', { extended: true })).rejects.toMatchObject({ name: 'NoSuchObjectError' });
  });

  it('list({ type }) reports the filtered type on summaries the service sends without Type', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables', { body: '<Tables><Table><Name>v1</Name><Owner>o</Owner></Table><Table><Name>v2</Name><Owner>o</Owner><Type>VIRTUAL_VIEW</Type></Table><Marker></Marker></Tables>' }, { times: 2 });
    const views = await collect(h.odps.tables.list({ type: 'VIRTUAL_VIEW' }));
    expect(views.map((v) => [v.name, v.type])).toEqual([['v1', 'VIRTUAL_VIEW'], ['v2', 'VIRTUAL_VIEW']]);
    expect(h.seen[0]!.query.get('type')).toBe('VIRTUAL_VIEW');
    expect(h.seen[0]!.query.has('extended')).toBe(false);
    const all = await collect(h.odps.tables.list());
    expect(all.map((v) => v.type)).toEqual([undefined, 'VIRTUAL_VIEW']);
  });

  it('exists: true on 200, false on 404 (XML or empty body)', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/orders', { body: tableXml(schemaJson) });
    h.on('GET', '/projects/p1/tables/nope', { status: 404, body: '<Error><Code>NoSuchObject</Code><Message>ODPS-0130131:Table not found</Message></Error>' });
    h.on('GET', '/projects/p1/tables/gone', { status: 404, body: '' });
    expect(await h.odps.tables.exists('orders')).toBe(true);
    expect(await h.odps.tables.exists('nope')).toBe(false);
    expect(await h.odps.tables.exists('gone')).toBe(false);
    await expect(h.odps.tables.get('')).rejects.toBeInstanceOf(InvalidIdentifierError);
  });

  it('get on a missing table rejects with NoSuchObjectError carrying codes', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/nope', { status: 404, body: '<Error><Code>NoSuchObject</Code><Message>ODPS-0130131:Table not found - nope</Message><RequestId>r9</RequestId></Error>', headers: { 'x-odps-request-id': 'r9' } });
    await expect(h.odps.tables.get('nope')).rejects.toMatchObject({ name: 'NoSuchObjectError', odpsCode: 'ODPS-0130131', requestId: 'r9', path: '/projects/p1/tables/nope' });
  });

  it('create runs generated DDL through an SQL instance, waits, then reads the table', async () => {
    h = harness();
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'http://odps.test/api/projects/p1/instances/i-ddl' } });
    h.on('GET', '/projects/p1/instances/i-ddl', { body: '<Instance><Status>Terminated</Status></Instance>' }, { when: (q) => q.has('instancestatus') });
    h.on('GET', '/projects/p1/instances/i-ddl', { body: '<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Status>Success</Status></Task></Tasks></Instance>' }, { when: (q) => q.has('taskstatus') });
    h.on('GET', '/projects/p1/tables/we`ird', { body: tableXml(schemaJson) });
    const t = await h.odps.tables.create('we`ird', {
      columns: [{ name: 'id', type: 'bigint', nullable: false, comment: "it's" }, { name: 'v', type: 'ARRAY<STRING>' }],
      partitionColumns: [{ name: 'ds', type: 'string' }], comment: 'c\\d', lifecycle: 7, ifNotExists: true,
    });
    expect(t.name).toBe('orders');
    const body = h.seen[0]!.body;
    expect(body).toContain("CREATE TABLE IF NOT EXISTS `p1`.`we``ird` (\n  `id` BIGINT NOT NULL COMMENT 'it\\'s',\n  `v` ARRAY<STRING>\n)\nCOMMENT 'c\\\\d'\nPARTITIONED BY (`ds` STRING)\nLIFECYCLE 7;");
  });

  it('drop generates DROP TABLE IF EXISTS and raises SqlError when the task fails', async () => {
    h = harness();
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/instances/i-drop' } });
    h.on('GET', '/projects/p1/instances/i-drop', { body: '<Instance><Status>Terminated</Status></Instance>' }, { when: (q) => q.has('instancestatus') });
    h.on('GET', '/projects/p1/instances/i-drop', { body: '<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Status>Failed</Status></Task></Tasks></Instance>' }, { when: (q) => q.has('taskstatus') });
    h.on('GET', '/projects/p1/instances/i-drop', { body: '<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Result Format="text"><![CDATA[ODPS-0130131:[1,12] Table not found - t]]></Result></Task></Tasks></Instance>' }, { when: (q) => q.has('result') });
    await expect(h.odps.tables.drop('t', { ifExists: false })).rejects.toMatchObject({ name: 'SqlError', odpsCode: 'ODPS-0130131', instanceId: 'i-drop', serverMessage: 'ODPS-0130131:[1,12] Table not found - t' });
    expect(h.seen[0]!.body).toContain('DROP TABLE `p1`.`t`;');
  });
});
