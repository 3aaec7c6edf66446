// Marker paging against hostile servers: endless empty pages, marker loops, oversized markers.
import { afterEach, describe, expect, it } from 'vitest';
import { OdpsError } from '../../src/errors.js';
import { MAX_EMPTY_PAGES } from '../../src/resources/paging.js';
import { collect, harness } from '../odps/harness.js';

type H = ReturnType<typeof harness>;

const tableXml = `<Table><Name>t</Name><Schema format="Json"><![CDATA[${JSON.stringify({ tableName: 't', columns: [{ name: 'a', type: 'BIGINT' }], partitionKeys: [{ name: 'ds', type: 'string' }] })}]]></Schema></Table>`;

/** Each listing: where it is served, how one page looks, and how to start listing. */
const listings: { name: string; path: string; page: (items: number, marker: string) => string; isList: (q: URLSearchParams) => boolean; list: (h: H) => Promise<AsyncIterable<unknown>> }[] = [
  {
    name: 'tables',
    path: '/projects/p1/tables',
    page: (n, m) => `<Tables>${'<Table><Name>x</Name></Table>'.repeat(n)}<Marker>${m}</Marker></Tables>`,
    isList: () => true,
    list: async (h) => h.odps.tables.list(),
  },
  {
    name: 'schemas',
    path: '/projects/p1/schemas',
    page: (n, m) => `<Schemas>${'<Schema><Name>x</Name></Schema>'.repeat(n)}<Marker>${m}</Marker></Schemas>`,
    isList: () => true,
    list: async (h) => h.odps.schemas.list(),
  },
  {
    name: 'instances',
    path: '/projects/p1/instances',
    page: (n, m) => `<Instances>${'<Instance><Name>i</Name><Status>Terminated</Status></Instance>'.repeat(n)}<Marker>${m}</Marker></Instances>`,
    isList: () => true,
    list: async (h) => h.odps.instances.list(),
  },
  {
    name: 'partitions',
    path: '/projects/p1/tables/t',
    page: (n, m) => `<Partitions>${'<Partition><Column Name="ds" Value="1"/></Partition>'.repeat(n)}<Marker>${m}</Marker></Partitions>`,
    isList: (q) => q.has('partitions'),
    list: async (h) => {
      h.on('GET', '/projects/p1/tables/t', { body: tableXml }, { when: (q) => !q.has('partitions') });
      return (await h.odps.tables.get('t')).partitions.list();
    },
  },
];

async function failure(it: AsyncIterable<unknown>): Promise<OdpsError> {
  const e = await collect(it).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(OdpsError);
  return e as OdpsError;
}

describe('marker paging against a hostile server', () => {
  let h: H;
  afterEach(async () => h.close());

  for (const l of listings) {
    it(`${l.name}: endless empty pages with fresh markers stop after ${MAX_EMPTY_PAGES} pages with a typed error`, async () => {
      h = harness();
      let n = 0;
      // The test's own bound: past 10x the cap the server gives in, so unfixed code fails instead of hanging.
      h.on('GET', l.path, () => ({ body: l.page(0, ++n > 10 * MAX_EMPTY_PAGES ? '' : `fresh-${n}`) }), { when: l.isList, persist: true });
      const listing = await l.list(h);
      const before = h.seen.length;
      const e = await failure(listing);
      expect(e.code).toBe('PagingStalled');
      expect(e.message).toContain(l.name);
      expect(e.message).toContain(String(MAX_EMPTY_PAGES));
      // The first page plus MAX_EMPTY_PAGES followed markers, then no more requests.
      expect(h.seen.length - before).toBe(MAX_EMPTY_PAGES);
    });

    it(`${l.name}: a marker cycle A -> B -> A is refused as PagingLoop naming the listing`, async () => {
      h = harness();
      let n = 0;
      h.on('GET', l.path, () => ({ body: l.page(1, ++n > 10 ? '' : ['A', 'B'][n % 2]!) }), { when: l.isList, persist: true });
      const listing = await l.list(h);
      const before = h.seen.length;
      const e = await failure(listing);
      expect(e.code).toBe('PagingLoop');
      expect(e.message).toContain(l.name);
      expect(h.seen.length - before).toBe(3);
    });
  }

  it('empty pages between full ones do not add up: the cap counts consecutive empty pages only', async () => {
    h = harness();
    let n = 0;
    // Runs of MAX_EMPTY_PAGES - 1 empty pages separated by one item, five times, then the end.
    h.on(
      'GET',
      '/projects/p1/tables',
      () => {
        n++;
        if (n > 5 * MAX_EMPTY_PAGES) return { body: listings[0]!.page(1, '') };
        return { body: listings[0]!.page(n % MAX_EMPTY_PAGES === 0 ? 1 : 0, `m${n}`) };
      },
      { persist: true },
    );
    const all = await collect(h.odps.tables.list());
    expect(all).toHaveLength(6);
    expect(h.seen).toHaveLength(5 * MAX_EMPTY_PAGES + 1);
  });

  it('a repeated marker that is huge or holds control characters is not quoted whole in the error', async () => {
    h = harness();
    const marker = `\u001b[31m${'z'.repeat(10_000)}`;
    h.on('GET', '/projects/p1/tables', { body: listings[0]!.page(1, marker) }, { times: 2 });
    const e = await failure(h.odps.tables.list());
    expect(e.code).toBe('PagingLoop');
    expect(e.message.length).toBeLessThan(300);
    expect(e.message).not.toContain('\u001b');
  });
});
