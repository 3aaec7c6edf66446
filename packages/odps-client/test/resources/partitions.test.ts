import { afterEach, describe, expect, it } from 'vitest';
import { InvalidPartitionSpecError } from '../../src/errors.js';
import { PartitionSpec } from '../../src/core/partition-spec.js';
import { collect, harness } from '../odps/harness.js';

describe('PartitionSpec', () => {
  it('parses quoted, unquoted and path forms', () => {
    expect(PartitionSpec.parse("ds='2025',hh=08").toObject()).toEqual({ ds: '2025', hh: '08' });
    expect(PartitionSpec.parse('ds=2025/hh=08').toObject()).toEqual({ ds: '2025', hh: '08' });
    expect(PartitionSpec.parse(` ds = "a b:c" , region='it\\'s' `).toObject()).toEqual({ ds: 'a b:c', region: "it's" });
    expect(PartitionSpec.from({ ds: 20250101, hh: '08' }).toString()).toBe("ds='20250101',hh='08'");
  });

  it('renders REST, SQL and path forms with escaping', () => {
    const s = PartitionSpec.from({ pt: "a'b", region: '北' });
    expect(s.toString()).toBe("pt='a\\'b',region='北'");
    expect(s.toSql()).toBe("`pt`='a\\'b', `region`='北'");
    expect(s.toPath()).toBe("pt=a'b/region=北");
  });

  it.each(['', 'ds', "ds='x", 'ds=1,', '1ds=2', 'ds=a=b', 'ds=1,ds=2', "ds=''", 'd-s=1'])('rejects %j', (bad) => {
    expect(() => PartitionSpec.parse(bad)).toThrow(InvalidPartitionSpecError);
  });
});

const tableXml = `<Table><Name>t</Name><Schema format="Json"><![CDATA[${JSON.stringify({ columns: [{ name: 'v', type: 'string' }], partitionKeys: [{ name: 'ds', type: 'string' }, { name: 'hh', type: 'string' }] })}]]></Schema></Table>`;
const part = (ds: string, hh: string) => `<Partition><Column Name="ds" Value="${ds}"/><Column Name="hh" Value="${hh}"/><CreationTime>1736757000</CreationTime><LastDDLTime>1736757000</LastDDLTime><LastModifiedTime>1736757060</LastModifiedTime><PartitionSize>100</PartitionSize><PartitionRecordCount>7</PartitionRecordCount></Partition>`;

describe('table.partitions', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  async function table() {
    h.on('GET', '/projects/p1/tables/t', { body: tableXml }, { when: (q) => !q.has('partitions') && !q.has('partition') });
    return h.odps.tables.get('t');
  }

  it('lists partitions across pages (empty page with marker continues)', async () => {
    h = harness();
    const t = await table();
    const isList = (m?: string) => (q: URLSearchParams) => q.has('partitions') && q.get('expectmarker') === 'true' && (m === undefined ? !q.has('marker') : q.get('marker') === m);
    h.on('GET', '/projects/p1/tables/t', { body: `<Partitions>${part('1', '00')}<Marker>a</Marker></Partitions>` }, { when: isList() });
    h.on('GET', '/projects/p1/tables/t', { body: '<Partitions><Marker>b</Marker></Partitions>' }, { when: isList('a') });
    h.on('GET', '/projects/p1/tables/t', { body: `<Partitions>${part('2', '00')}${part('2', '01')}<Marker></Marker></Partitions>` }, { when: isList('b') });
    const parts = await collect(t.partitions.list({ spec: 'ds=1' }));
    expect(parts.map((p) => p.spec.toPath())).toEqual(['ds=1/hh=00', 'ds=2/hh=00', 'ds=2/hh=01']);
    expect(parts[0]).toMatchObject({ size: 100, recordNum: 7 });
    expect(parts[0]!.creationTime?.getTime()).toBe(1736757000_000);
    expect(h.seen[1]!.query.get('partition')).toBe("ds='1'");
  });

  it('get / exists with a full spec in key order; typed errors for bad specs', async () => {
    h = harness();
    const t = await table();
    h.on('GET', '/projects/p1/tables/t', { body: `<Partition><Column Name="ds" Value="1"/><Column Name="hh" Value="08"/><Schema><![CDATA[{"createTime":1736757000,"partitionSize":5,"partitionRecordNum":2}]]></Schema></Partition>` }, { when: (q) => q.get('partition') === "ds='1',hh='08'" });
    h.on('GET', '/projects/p1/tables/t', { status: 404, body: '<Error><Code>NoSuchPartition</Code><Message>none</Message></Error>' }, { when: (q) => q.get('partition') === "ds='9',hh='08'" });
    const p = await t.partitions.get({ hh: '08', ds: '1' });
    expect(p).toMatchObject({ size: 5, recordNum: 2 });
    expect(await t.partitions.exists('ds=9/hh=08')).toBe(false);
    await expect(t.partitions.get('ds=1')).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    await expect(t.partitions.get('dt=1,hh=2')).rejects.toBeInstanceOf(InvalidPartitionSpecError);
  });

  it('get({ extended }) does the plain GET, then ?extended, and merges the extended keys over it', async () => {
    h = harness();
    const t = await table();
    const spec = (q: URLSearchParams) => q.get('partition') === "ds='1',hh='08'";
    h.on('GET', '/projects/p1/tables/t', { body: `<Partition><Column Name="ds" Value="1"/><Column Name="hh" Value="08"/><Schema><![CDATA[{"createTime":1736757000,"partitionSize":5,"partitionRecordNum":2}]]></Schema></Partition>` }, { when: (q) => spec(q) && !q.has('extended'), times: 2 });
    // Only extended keys (Go partitionExtendedModel): the plain size and count must survive.
    h.on('GET', '/projects/p1/tables/t', { body: `<Partition><Schema><![CDATA[{"IsArchived":true,"IsExstore":false,"LifeCycle":-1,"PhysicalSize":77,"FileNum":4,"Reserved":"{\\"cdc_size\\":\\"12\\"}"}]]></Schema></Partition>` }, { when: (q) => spec(q) && q.has('extended') });
    const plain = await t.partitions.get('ds=1/hh=08');
    expect(plain.physicalSize).toBeUndefined();
    const p = await t.partitions.get('ds=1/hh=08', { extended: true });
    expect(h.seen.slice(-2).map((r) => r.query.has('extended'))).toEqual([false, true]);
    expect(p).toMatchObject({ size: 5, recordNum: 2, isArchived: true, isExstore: false, physicalSize: 77, fileNum: 4, reserved: { cdc_size: '12' } });
    expect(p.lifecycle).toBeUndefined();
    expect(p.spec.toPath()).toBe('ds=1/hh=08');
    expect(p.creationTime?.getTime()).toBe(1736757000_000);
  });

  it('add / drop run ALTER TABLE through SQL', async () => {
    h = harness();
    const t = await table();
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/i-p' } }, { times: 2 });
    h.on('GET', '/projects/p1/instances/i-p', { body: '<Instance><Status>Terminated</Status></Instance>' }, { when: (q) => q.has('instancestatus'), times: 2 });
    h.on('GET', '/projects/p1/instances/i-p', { body: '<Instance><Tasks><Task><Name>AnonymousSQLTask</Name><Status>Success</Status></Task></Tasks></Instance>' }, { when: (q) => q.has('taskstatus'), times: 2 });
    await t.partitions.add("ds='2025',hh=08", { ifNotExists: true });
    await t.partitions.drop({ ds: '2025', hh: '08' }, { ifExists: true });
    const bodies = h.seen.filter((s) => s.method === 'POST').map((s) => s.body);
    expect(bodies[0]).toContain("ALTER TABLE `p1`.`t` ADD IF NOT EXISTS PARTITION (`ds`='2025', `hh`='08');");
    expect(bodies[1]).toContain("ALTER TABLE `p1`.`t` DROP IF EXISTS PARTITION (`ds`='2025', `hh`='08');");
  });
});
