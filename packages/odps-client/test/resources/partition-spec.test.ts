// Partition spec validation and escaping: hostile values are refused before any request, tricky ones escaped.
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidPartitionSpecError } from '../../src/errors.js';
import { PartitionSpec } from '../../src/core/partition-spec.js';
import { partitionParam } from '../../src/tunnel/session/partition-param.js';
import { harness } from '../odps/harness.js';
import { HOSTILE_KEYS, HOSTILE_VALUES, TRICKY_VALUES } from './partition-values.js';

describe('PartitionSpec validation', () => {
  it.each(HOSTILE_VALUES)('refuses a value with %s', (_why, value) => {
    expect(() => PartitionSpec.from({ ds: '20250101', hh: value })).toThrow(InvalidPartitionSpecError);
    expect(() => partitionParam({ ds: '20250101', hh: value })).toThrow(InvalidPartitionSpecError);
  });

  it.each(HOSTILE_KEYS)('refuses the key %j', (key) => {
    expect(() => PartitionSpec.from({ [key]: '1' })).toThrow(InvalidPartitionSpecError);
  });

  it('names the key and the problem in the message', () => {
    expect(() => PartitionSpec.from({ ds: '1', hh: ' 07' })).toThrow(/hh.*leading or trailing whitespace/);
    expect(() => PartitionSpec.from({ hh: '99/hh=07' })).toThrow(/hh.*'\/'/);
  });

  it('accepts 255 bytes and the documented special characters', () => {
    expect(PartitionSpec.from({ ds: 'x'.repeat(255) }).get('ds')).toHaveLength(255);
    expect(PartitionSpec.from({ ds: 'a b:c_d$e#f.g!h@i' }).get('ds')).toBe('a b:c_d$e#f.g!h@i');
  });

  it('parses quoted text with escapes and refuses separators inside quotes', () => {
    expect(PartitionSpec.parse("ds='a\\\\b',hh='it\\'s'").toObject()).toEqual({ ds: 'a\\b', hh: "it's" });
    expect(PartitionSpec.parse('ds="say \\"hi\\""').get('ds')).toBe('say "hi"');
    expect(() => PartitionSpec.parse("ds='a/b'")).toThrow(InvalidPartitionSpecError);
    expect(() => PartitionSpec.parse("ds=' a'")).toThrow(InvalidPartitionSpecError);
    expect(() => PartitionSpec.parse("ds='a\\nb'")).toThrow(/unsupported escape/);
    expect(() => PartitionSpec.parse("ds='a\\")).toThrow(InvalidPartitionSpecError);
  });

  it.each(TRICKY_VALUES)('round-trips %j through REST text and the tunnel parameter', (value) => {
    const spec = PartitionSpec.from({ ds: '1', hh: value });
    expect(PartitionSpec.parse(spec.toString()).get('hh')).toBe(value);
    expect(PartitionSpec.parse(partitionParam(spec) as string).get('hh')).toBe(value);
  });

  it('writes the tunnel parameter like the SDKs for plain values and quotes only when needed', () => {
    expect(partitionParam({ ds: '20250101', hh: '08' })).toBe('ds=20250101,hh=08');
    expect(partitionParam({ ds: 'a b', hh: '北' })).toBe('ds=a b,hh=北');
    expect(partitionParam({ ds: "it's", hh: 'a\\b' })).toBe("ds='it\\'s',hh='a\\\\b'");
  });

  it('keeps server-reported specs even when they break the rules (listing must not fail)', () => {
    const spec = PartitionSpec.fromServer([['ds', '1'], ['hh', '']]);
    expect(spec.toString()).toBe("ds='1',hh=''");
    // ...but such a spec cannot be sent back.
    expect(() => partitionParam(spec)).toThrow(InvalidPartitionSpecError);
  });
});

const tableXml = `<Table><Name>t</Name><Schema format="Json"><![CDATA[${JSON.stringify({ columns: [{ name: 'v', type: 'string' }], partitionKeys: [{ name: 'ds', type: 'string' }, { name: 'hh', type: 'string' }] })}]]></Schema></Table>`;

describe('hostile partition values never reach the wire', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  /** A table object, then a catch-all interceptor that counts every later request. */
  async function setup() {
    h = harness({ tunnelEndpoint: 'http://odps.test' });
    h.on('GET', '/projects/p1/tables/t', { body: tableXml });
    const t = await h.odps.tables.get('t');
    const sent: string[] = [];
    h.pool.intercept({ method: () => true, path: (p) => (sent.push(p), true) }).reply(500, '').persist();
    return { t, sent };
  }

  it.each(HOSTILE_VALUES)('%s: typed error from every entry point, zero requests', async (_why, value) => {
    const { t, sent } = await setup();
    const spec = { ds: '20250101', hh: value };
    const calls: Array<() => Promise<unknown>> = [
      () => t.openWriter({ partition: spec, overwrite: true }),
      () => t.openArrowWriter({ partition: spec }),
      () => t.openReader({ partition: spec }),
      () => t.openArrowReader({ partition: spec }),
      () => t.createUploadSession({ partition: spec, createPartition: true }),
      () => t.createDownloadSession({ partition: spec }),
      () => t.partitions.get(spec),
      () => t.partitions.exists(spec),
      () => t.partitions.add(spec, { ifNotExists: true }),
      () => t.partitions.drop(spec, { ifExists: true }),
      async () => {
        for await (const p of t.partitions.list({ spec })) void p;
      },
    ];
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    expect(sent).toEqual([]);
  });

  it('lists a table whose stored partition has an empty or separator-laden value', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tables/t', { body: tableXml }, { when: (q) => !q.has('partitions') });
    const t = await h.odps.tables.get('t');
    const col = (ds: string, hh: string) => `<Partition><Column Name="ds" Value="${ds}"/><Column Name="hh" Value="${hh}"/></Partition>`;
    h.on('GET', '/projects/p1/tables/t', { body: `<Partitions>${col('1', '')}${col('1', 'a,b')}${col('1', 'a/b')}${col('1', '08')}<Marker></Marker></Partitions>` }, { when: (q) => q.has('partitions') });
    const names: string[] = [];
    for await (const p of t.partitions.list()) names.push(p.spec.toString());
    expect(names).toEqual(["ds='1',hh=''", "ds='1',hh='a,b'", "ds='1',hh='a/b'", "ds='1',hh='08'"]);
  });
});
