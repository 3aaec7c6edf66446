import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/index.js';
import { call, fakeEngine, xmlText } from './helpers.js';

function names(xml: string): string[] {
  return [...xml.matchAll(/<Table>\s*<Name>([^<]*)<\/Name>/g)].map((m) => m[1] as string);
}

describe('emulator project and table routes', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ engine: fakeEngine(), pageSize: 10 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('pages the table list with markers until Marker is empty', async () => {
    const seen: string[] = [];
    let marker = '';
    let pages = 0;
    for (; pages < 10; pages++) {
      const res = await call(emu, 'GET', `/projects/demo/tables?curr_project=demo&expectmarker=true${marker ? `&marker=${encodeURIComponent(marker)}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/xml');
      seen.push(...names(res.text));
      expect(xmlText(res.text, 'MaxItems')).toBe('10');
      marker = xmlText(res.text, 'Marker') ?? '';
      if (!marker) break;
    }
    expect(pages).toBe(2);
    expect(seen).toHaveLength(26);
    expect(new Set(seen).size).toBe(26);
    expect(seen[0]).toBe('sales');
  });

  it('honours maxitems, name prefix and extended', async () => {
    const res = await call(emu, 'GET', '/projects/demo/tables?expectmarker=true&maxitems=3&name=t1&extended');
    expect(names(res.text)).toEqual(['t10', 't11', 't12']);
    expect(res.text).toContain('<Type>MANAGED_TABLE</Type>');
    const plain = await call(emu, 'GET', '/projects/demo/tables?expectmarker=true&maxitems=3');
    expect(plain.text).not.toContain('<Type>');
  });

  it('a plain list item carries Name and Owner only; extended adds Type and Comment (Go reads Name/Owner, Java type/comment)', async () => {
    const items = (xml: string): string[] => [...xml.matchAll(/<Table>([\s\S]*?)<\/Table>/g)].map((m) => [...(m[1] as string).matchAll(/<(\w+)>/g)].map((e) => e[1]).join(','));
    const plain = await call(emu, 'GET', '/projects/demo/tables?expectmarker=true&maxitems=2');
    expect(items(plain.text)).toEqual(['Name,Owner', 'Name,Owner']);
    const ext = await call(emu, 'GET', '/projects/demo/tables?expectmarker=true&maxitems=2&extended');
    expect(items(ext.text)).toEqual(['Name,Owner,Type,Comment', 'Name,Owner,Type,Comment']);
    for (const text of [plain.text, ext.text]) for (const invented of ['TableLabel', 'CreationTime', 'LastModifiedTime', 'LastAccessTime', 'Schema']) expect(text).not.toContain(`<${invented}>`);
  });

  it('keeps Reserved and the other extended-only keys out of the plain meta; ?extended answers them without columns', async () => {
    const plain = JSON.parse(xmlText((await call(emu, 'GET', '/projects/demo/tables/t03')).text, 'Schema') as string);
    for (const k of ['Reserved', 'IsArchived', 'PhysicalSize', 'FileNum']) expect(plain).not.toHaveProperty(k);
    const res = await call(emu, 'GET', '/projects/demo/tables/t03?extended&curr_schema=default');
    expect(res.status).toBe(200);
    expect(xmlText(res.text, 'Name')).toBe('t03');
    const ext = JSON.parse(xmlText(res.text, 'Schema') as string);
    expect(ext).not.toHaveProperty('columns');
    expect(ext).toMatchObject({ IsArchived: false, FileNum: 1 });
    expect(ext.PhysicalSize).toBeGreaterThan(0);
    expect(typeof ext.Reserved).toBe('string');
    expect(JSON.parse(ext.Reserved)).toMatchObject({ Transactional: 'false', PrimaryKey: [] });
    const missing = await call(emu, 'GET', '/projects/demo/tables/nope?extended');
    expect(missing.status).toBe(404);
  });

  it('answers table meta with the Schema JSON document', async () => {
    const res = await call(emu, 'GET', '/projects/demo/tables/t03?curr_schema=default');
    expect(res.status).toBe(200);
    expect(res.headers['x-odps-owner']).toBe('ALIYUN$emulator@localhost');
    expect(res.text).toContain('<Schema format="Json"><![CDATA[');
    const schema = JSON.parse(xmlText(res.text, 'Schema') as string);
    expect(schema.tableName).toBe('t03');
    expect(schema.columns).toEqual([
      expect.objectContaining({ name: 'id', type: 'bigint', comment: 'the id' }),
      expect.objectContaining({ name: 'name', type: 'string', comment: '' }),
    ]);
    expect(schema.partitionKeys).toEqual([]);
    expect(schema.createTime).toBe(Date.UTC(2025, 0, 1) / 1000);
    expect(schema.lifecycle).toBe(-1);
    expect(schema.recordNum).toBe(42);
    expect(schema.isVirtualView).toBe(false);
  });

  it('answers 404 NoSuchObject for a missing table and NoSuchProject for another project', async () => {
    const res = await call(emu, 'GET', '/projects/demo/tables/nope');
    expect(res.status).toBe(404);
    expect(xmlText(res.text, 'Code')).toBe('NoSuchObject');
    expect(xmlText(res.text, 'Message')).toMatch(/^ODPS-0130131:Table not found - /);
    expect(res.text).toContain('<HostId>');
    const proj = await call(emu, 'GET', '/projects/other/tables');
    expect(proj.status).toBe(404);
    expect(xmlText(proj.text, 'Code')).toBe('NoSuchProject');
  });

  it('lists partitions with Column Name/Value attributes, filters and pages them', async () => {
    const res = await call(emu, 'GET', '/projects/demo/tables/sales?partitions&expectmarker=true');
    expect(res.status).toBe(200);
    expect([...res.text.matchAll(/<Partition>/g)]).toHaveLength(3);
    expect(res.text).toContain('<Column Name="ds" Value="20250101"/><Column Name="region" Value="north"/>');
    expect(res.text).toContain(`<CreationTime>${Date.UTC(2025, 0, 1) / 1000}</CreationTime>`);
    expect(res.text).toContain('<PartitionRecordCount>3</PartitionRecordCount>');
    const filtered = await call(emu, 'GET', `/projects/demo/tables/sales?partitions&partition=${encodeURIComponent("ds='20250102'")}`);
    expect([...filtered.text.matchAll(/<Partition>/g)]).toHaveLength(1);
    const p1 = await call(emu, 'GET', '/projects/demo/tables/sales?partitions&expectmarker=true&maxitems=2');
    expect([...p1.text.matchAll(/<Partition>/g)]).toHaveLength(2);
    const marker = xmlText(p1.text, 'Marker') as string;
    expect(marker).not.toBe('');
    const p2 = await call(emu, 'GET', `/projects/demo/tables/sales?partitions&expectmarker=true&maxitems=2&marker=${encodeURIComponent(marker)}`);
    expect([...p2.text.matchAll(/<Partition>/g)]).toHaveLength(1);
    expect(xmlText(p2.text, 'Marker')).toBe('');
  });

  it('answers one partition and 404 for a missing one', async () => {
    const spec = encodeURIComponent("ds='20250101',region='south'");
    const res = await call(emu, 'GET', `/projects/demo/tables/sales?partition=${spec}`);
    expect(res.status).toBe(200);
    const plain = JSON.parse(xmlText(res.text, 'Schema') as string);
    expect(plain.partitionRecordNum).toBe(2);
    for (const k of ['IsArchived', 'IsExstore', 'LifeCycle', 'PhysicalSize', 'FileNum', 'Reserved']) expect(plain).not.toHaveProperty(k);
    const ext = JSON.parse(xmlText((await call(emu, 'GET', `/projects/demo/tables/sales?partition=${spec}&extended`)).text, 'Schema') as string);
    expect(ext).toMatchObject({ IsArchived: false, IsExstore: false, LifeCycle: -1, FileNum: 1, Reserved: '{}' });
    expect(ext).not.toHaveProperty('partitionRecordNum');
    const missing = await call(emu, 'GET', `/projects/demo/tables/sales?partition=${encodeURIComponent("ds='1',region='x'")}`);
    expect(missing.status).toBe(404);
    expect(xmlText(missing.text, 'Code')).toBe('NoSuchPartition');
  });

  it('answers tenants, projects, schemas and host discovery', async () => {
    const tenant = await call(emu, 'GET', '/tenants');
    expect(JSON.parse(tenant.text).Tenant.Parameters['odps.namespace.schema']).toBe('false');
    const ext = await call(emu, 'GET', '/projects/demo?extended');
    expect(ext.status).toBe(200);
    expect(ext.text).toContain('<ExtendedProperties><Property><Name>chargableAliveDataSize</Name><Value>0</Value></Property>');
    expect(ext.text).not.toContain('<Properties>');
    const projects = await call(emu, 'GET', '/projects?expectmarker=true');
    expect(xmlText(projects.text, 'Name')).toBe('demo');
    const schemas = await call(emu, 'GET', '/projects/demo/schemas?expectmarker=true');
    expect(xmlText(schemas.text, 'Name')).toBe('default');
    expect((await call(emu, 'GET', '/projects/demo/schemas/nope')).status).toBe(404);
    const logview = await call(emu, 'GET', '/logview/host');
    expect(logview.text).toBe(emu.tunnelEndpoint);
    expect((await call(emu, 'GET', '/webconsole/host')).status).toBe(200);
  });

  it('answers 404 and 405 XML errors for unknown routes and methods', async () => {
    const unknown = await call(emu, 'GET', '/projects/demo/volumes');
    expect(unknown.status).toBe(404);
    expect(xmlText(unknown.text, 'Code')).toBe('NoSuchObject');
    const wrongMethod = await call(emu, 'DELETE', '/projects/demo/tables');
    expect(wrongMethod.status).toBe(405);
    expect(xmlText(wrongMethod.text, 'Code')).toBe('MethodNotAllowed');
  });
});
