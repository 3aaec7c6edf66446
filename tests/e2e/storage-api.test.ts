// End-to-end: Storage API read sessions (projection, partitions, filter pushdown, splits, resumable split reads) against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount } from '@odps-ts/auth';
import { arrowBatchToRows, col, InvalidSplitDescriptorError, ODPS, P, serializeSplitDescriptor, type Column, type SplitDescriptor } from '@odps-ts/odps-client';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import type { RecordBatch } from 'apache-arrow';

const COLUMNS = [
  { name: 'id', type: 'bigint' },
  { name: 'name', type: 'string' },
  { name: 'amount', type: 'double' },
  { name: 'region', type: 'string' },
  { name: 'ok', type: 'boolean' },
];
const REGIONS = ['north', 'south', 'east', "o'west"];

function row(i: number): unknown[] {
  return [BigInt(i), i % 11 === 0 ? null : `n-${i}`, i % 13 === 0 ? null : i / 8, REGIONS[i % 4]!, i % 3 === 0];
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function rowsOf(batches: RecordBatch[], columns: Column[]): unknown[][] {
  return batches.flatMap((b) => [...arrowBatchToRows(b, columns)]);
}

const byId = (a: unknown[], b: unknown[]): number => (a[0] as bigint) < (b[0] as bigint) ? -1 : 1;

describe('Storage API against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;
  const N = 3000;
  // Rows 0..1999 in ds=a, 2000..2999 in ds=b.
  const all = Array.from({ length: N }, (_, i) => row(i));

  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    odps = new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint });
    await odps.tables.create('st_sales', { columns: COLUMNS, partitionColumns: [{ name: 'ds', type: 'string' }] });
    const table = await odps.tables.get('st_sales');
    for (const [ds, from, to] of [['a', 0, 2000], ['b', 2000, N]] as const) {
      const writer = await table.openWriter({ partition: { ds }, createPartition: true });
      await writer.write(all.slice(from, to));
      await writer.commit();
    }
  });
  afterAll(async () => {
    await odps?.close();
    await emu?.close();
  });

  it('creates a session with projection, partitions and a filter; parallel split reads equal the SQL rows exactly', async () => {
    const filter = P.and(P.ge(col('amount'), 100), P.or(P.in(col('region'), ['north', "o'west"]), P.isNull(col('name'))));
    const session = await odps.storage.createReadSession('st_sales', {
      columns: ['id', 'region', 'name'], partitions: [{ ds: 'a' }], filter, split: { mode: 'Parallelism', number: 4 },
    });
    expect(session.status).toBe('NORMAL');
    expect(session.splitsCount).toBe(4);
    expect(session.dataColumns.map((c) => c.name)).toEqual(['id', 'region', 'name']);
    const splits = session.splits();
    const parts = await Promise.all(splits.map((d) => collect(odps.storage.readSplit(d, { maxBatchRows: 100 }))));
    const got = parts.flatMap((b) => rowsOf(b, session.dataColumns)).sort(byId);

    const inst = await odps.executeSql(
      "SELECT id, region, name FROM st_sales WHERE ds = 'a' AND amount >= 100 AND (region IN ('north', 'o\\'west') OR name IS NULL) ORDER BY id",
    );
    const sql = await collect(inst.openReader());
    expect(sql.length).toBeGreaterThan(100);
    expect(got).toEqual(sql);
    expect(session.recordCount).toBe(sql.length);
    // Batches respect max_batch_rows.
    expect(parts.flat().every((b) => b.numRows <= 100)).toBe(true);
  });

  it('pushes the filter down: fewer rows cross the wire than without it', async () => {
    const rowsOnWire = async (filter?: ReturnType<typeof P.gt>): Promise<number> => {
      const s = await odps.storage.createReadSession('st_sales', { columns: ['id'], ...(filter ? { filter } : {}), split: { mode: 'Parallelism', number: 2 } });
      let rows = 0;
      for (const d of s.splits()) for await (const b of odps.storage.readSplit(d)) rows += b.numRows;
      return rows;
    };
    expect(await rowsOnWire()).toBe(N);
    const filtered = await rowsOnWire(P.and(P.lt(col('id'), 250), P.eq(col('ok'), true)));
    expect(filtered).toBe(all.filter((r) => (r[0] as bigint) < 250n && r[4] === true).length);
    expect(filtered).toBeLessThan(N / 10);
    // A filter on the partition column prunes too, and a raw text filter works like the builder's.
    expect(await rowsOnWire(P.eq(col('ds'), 'b'))).toBe(1000);
    const s = await odps.storage.createReadSession('st_sales', { filter: "`region` LIKE 'so%' and not `id` > 99" });
    expect(s.recordCount).toBe(all.filter((r) => r[3] === 'south' && (r[0] as bigint) <= 99n).length);
  });

  it('refuses bad filters and columns with typed errors and no session', async () => {
    const bad = [
      '`nope` = 1', // unknown column
      '`id` = \'x\'', // string against BIGINT
      '`id` = 1; DROP TABLE st_sales', // not a predicate
      '`id` = (SELECT 1)',
      "`amount` LIKE 'x%'", // LIKE on a number
      'id = 1 or', // dangling
      '`id` in ()',
    ];
    for (const filter of bad) {
      await expect(odps.storage.createReadSession('st_sales', { filter }), filter).rejects.toMatchObject({ status: 400 });
    }
    await expect(odps.storage.createReadSession('st_sales', { columns: ['ds'] })).rejects.toMatchObject({ status: 400 });
    await expect(odps.storage.createReadSession('st_sales', { split: { mode: 'Bucket' } })).rejects.toMatchObject({ status: 400 });
    expect((await odps.tables.get('st_sales')).name).toBe('st_sales');
  });

  it('resumes a split whose connection is killed mid-body: no row lost or repeated', async () => {
    const session = await odps.storage.createReadSession('st_sales', { split: { mode: 'Parallelism', number: 2 } });
    const columns = session.dataColumns;
    const [first] = session.splits();
    const clean = rowsOf(await collect(odps.storage.readSplit(first!, { maxBatchRows: 64 })), columns);
    expect(clean).toHaveLength(1500);

    emu.faults.set([{ method: 'GET', path: '/api/storage/v1/', resetAfterBytes: 20_000, count: 2 }]);
    const resumes: number[] = [];
    try {
      const batches = await collect(odps.storage.readSplit(first!, { maxBatchRows: 64, onResume: (r) => resumes.push(r.fromRow) }));
      expect(resumes.length).toBe(2);
      expect(resumes[0]).toBeGreaterThan(0);
      expect(rowsOf(batches, columns)).toEqual(clean);
    } finally {
      emu.faults.set([]);
    }
    expect(clean).toEqual(all.slice(0, 1500));
  });

  it('an AbortSignal stops a split read mid-body with its reason, without a resume', async () => {
    const session = await odps.storage.createReadSession('st_sales', { split: { mode: 'Parallelism', number: 1 } });
    const ac = new AbortController();
    const resumes: number[] = [];
    let rows = 0;
    const read = async (): Promise<void> => {
      for await (const b of odps.storage.readSplit(session.splits()[0]!, { signal: ac.signal, maxBatchRows: 50, onResume: (r) => resumes.push(r.fromRow) })) {
        rows += b.numRows;
        if (rows >= 100) ac.abort(new Error('enough rows'));
      }
    };
    await expect(read()).rejects.toThrow('enough rows');
    expect(rows).toBe(100);
    expect(resumes).toEqual([]);
  });

  it('passes a split as JSON to a second client that reads it with its own credentials, and from a row offset', async () => {
    const session = await odps.storage.createReadSession('st_sales', { columns: ['id', 'amount'], split: { mode: 'Size', number: 16 * 1024 } });
    expect(session.splitsCount).toBeGreaterThan(1);
    const wire = session.splits().map(serializeSplitDescriptor);
    const other = new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint });
    try {
      const again = await other.storage.getReadSession('st_sales', session.id);
      expect(again.recordCount).toBe(N);
      const rows = (await Promise.all(wire.map((json) => collect(other.storage.readSplit(json))))).flatMap((b) => rowsOf(b, again.dataColumns));
      expect(rows).toEqual(all.map((r) => [r[0], r[2]]));
      const tail = rowsOf(await collect(other.storage.readSplit(wire[1]!, { fromRow: 10 })), again.dataColumns);
      const whole = rowsOf(await collect(other.storage.readSplit(wire[1]!)), again.dataColumns);
      expect(tail).toEqual(whole.slice(10));
    } finally {
      await other.close();
    }
    const tampered = { ...JSON.parse(wire[0]!), version: 2 } as unknown as SplitDescriptor;
    expect(() => odps.storage.readSplit(tampered)).toThrow(InvalidSplitDescriptorError);
    await expect(collect(odps.storage.readSplit({ ...JSON.parse(wire[0]!), splitIndex: 9999 }))).rejects.toMatchObject({ status: 400 });
  });

  it('reads by row offset in RowOffset mode (table.openReadSession)', async () => {
    const table = await odps.tables.get('st_sales');
    const session = await table.openReadSession({ columns: ['id'], partitions: ['ds=b'], split: { mode: 'RowOffset' } });
    expect(session.recordCount).toBe(1000);
    const splits = session.splits({ rowsPerSplit: 300 });
    expect(splits.map((s) => [s.rowIndex, s.rowCount])).toEqual([[0, 300], [300, 300], [600, 300], [900, 100]]);
    const rows = (await Promise.all(splits.map((d) => collect(odps.storage.readSplit(d))))).flatMap((b) => rowsOf(b, session.dataColumns));
    expect(rows).toEqual(all.slice(2000).map((r) => [r[0]]));
  });
});
