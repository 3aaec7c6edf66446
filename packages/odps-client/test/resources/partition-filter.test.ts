// partitions.list({ filter }) and partitions.max(): what goes to the server, what is filtered here, typed errors.
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidPartitionSpecError } from '../../src/errors.js';
import { collect, harness } from '../odps/harness.js';

const tableXml = `<Table><Name>t</Name><Schema format="Json"><![CDATA[${JSON.stringify({ columns: [{ name: 'v', type: 'string' }], partitionKeys: [{ name: 'ds', type: 'string' }, { name: 'hh', type: 'string' }] })}]]></Schema></Table>`;
const part = (ds: string, hh: string, size?: number) =>
  `<Partition><Column Name="ds" Value="${ds}"/><Column Name="hh" Value="${hh}"/>${size === undefined ? '' : `<PartitionSize>${size}</PartitionSize>`}</Partition>`;

describe('partition filter and max', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  async function table(listing: string, size?: (q: URLSearchParams) => string | undefined) {
    h = harness();
    h.on('GET', '/projects/p1/tables/t', { body: tableXml }, { when: (q) => !q.has('partitions') && !q.has('partition') });
    h.on('GET', '/projects/p1/tables/t', { body: `<Partitions>${listing}<Marker></Marker></Partitions>` }, { when: (q) => q.has('partitions'), persist: true });
    if (size) h.on('GET', '/projects/p1/tables/t', (s) => ({ body: `<Partition><Schema><![CDATA[{"partitionSize":${size(s.query) ?? 0}}]]></Schema></Partition>` }), { when: (q) => !q.has('partitions') && q.has('partition'), persist: true });
    return h.odps.tables.get('t');
  }
  const listQueries = () => h.seen.filter((s) => s.query.has('partitions')).map((s) => s.query.get('partition'));

  it('pushes the leading equality as partition= and applies the rest locally (string order)', async () => {
    const t = await table([part('2025', '07'), part('2025', '08'), part('2025', '10'), part('2025', '9')].join(''));
    const got = await collect(t.partitions.list({ filter: "ds='2025', hh >= 08, hh<>10" }));
    expect(got.map((p) => p.spec.toPath())).toEqual(['ds=2025/hh=08', 'ds=2025/hh=9']);
    expect(listQueries()).toEqual(["ds='2025'"]);
    // A comparison on the first key pushes nothing.
    await collect(t.partitions.list({ filter: 'ds>2024' }));
    expect(listQueries()[1]).toBeNull();
    // Two conditions on one key are not a pin either.
    expect((await collect(t.partitions.list({ filter: 'ds=2025,ds!=2025' })))).toEqual([]);
    expect(listQueries()[2]).toBeNull();
  });

  it('rejects bad filters with InvalidPartitionSpecError before any listing', async () => {
    const t = await table('');
    const bad = ['', '   ', 'ds', 'ds~1', 'dt=1', 'ds=', "ds=''", 'ds=1,,hh=2', 'ds=a\u0000b'];
    for (const f of bad) expect(() => t.partitions.list({ filter: f }), f).toThrow(InvalidPartitionSpecError);
    expect(() => t.partitions.list({ filter: 'ds=1', spec: 'ds=1' })).toThrow(InvalidPartitionSpecError);
    expect(listQueries()).toEqual([]);
  });

  it('max() is the greatest spec with data; skipEmpty=false takes the greatest at all; prefix must be leading keys', async () => {
    const t = await table([part('2025', '01', 5), part('2025', '02', 0), part('2024', '99', 7), part('2025', '010', 3)].join(''));
    expect((await t.partitions.max())?.spec.toPath()).toBe('ds=2025/hh=010');
    expect((await t.partitions.max({ skipEmpty: false }))?.spec.toPath()).toBe('ds=2025/hh=02');
    expect((await t.partitions.max({ spec: { ds: '2025' } }))?.spec.toPath()).toBe('ds=2025/hh=010');
    expect(listQueries().at(-1)).toBe("ds='2025'");
    await expect(t.partitions.max({ spec: { hh: '01' } })).rejects.toBeInstanceOf(InvalidPartitionSpecError);
    await expect(t.partitions.max({ spec: { ds: '1', hh: '01' } })).rejects.toBeInstanceOf(InvalidPartitionSpecError);
  });

  it('max() asks each partition for its size when the listing has none, and is undefined when all are empty', async () => {
    const t = await table([part('1', 'a'), part('3', 'a'), part('2', 'a')].join(''), (q) => (q.get('partition')!.includes("'3'") ? '0' : '9'));
    expect((await t.partitions.max())?.spec.toPath()).toBe('ds=2/hh=a');
    const asked = h.seen.filter((s) => !s.query.has('partitions') && s.query.has('partition')).map((s) => s.query.get('partition'));
    expect(asked).toEqual(["ds='3',hh='a'", "ds='2',hh='a'"]);
    await h.close();
    const empty = await table([part('1', 'a', 0)].join(''));
    expect(await empty.partitions.max()).toBeUndefined();
  });
});
