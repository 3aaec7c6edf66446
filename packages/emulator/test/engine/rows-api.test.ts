// writeRows / readRows / countRows: projection, partitions, overwrite, atomicity, bulk appends.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, SqlError } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

describe('rows API', () => {
  let e: Engine;
  beforeEach(async () => {
    e = await createEngine({});
    await e.execute('p', 'CREATE TABLE t (id BIGINT, name STRING, score DOUBLE) PARTITIONED BY (ds STRING)');
    await e.execute('p', 'CREATE TABLE flat (id BIGINT, name STRING)');
  });
  afterEach(() => e.close());

  it('writes into a partition (creating it when asked) and reads data columns only, in order', async () => {
    await expect(e.writeRows('p', 't', [[1n, 'a', 1]], { partition: { ds: '1' } })).rejects.toMatchObject({ kind: 'no_such_partition' });
    await e.writeRows('p', 't', [[1n, 'a', 1], [2n, 'b', 2]], { partition: { ds: '1' }, createPartition: true });
    await e.writeRows('p', 't', [[3n, 'c', 3]], { partition: { DS: '2' }, createPartition: true });
    await e.writeRows('p', 't', [[4n, 'd', 4]], { partition: { ds: '1' } });
    expect(await e.readRows('p', 't', { partition: { ds: '1' } })).toEqual([[1n, 'a', 1], [2n, 'b', 2], [4n, 'd', 4]]);
    expect(await e.readRows('p', 't', { partition: { ds: '1' }, columns: ['score', 'ID'] })).toEqual([[1, 1n], [2, 2n], [4, 4n]]);
    expect(await e.readRows('p', 't', {})).toHaveLength(4);
    expect(await e.readRows('p', 't', { partition: { ds: '1' }, offset: 1, limit: 1 })).toEqual([[2n, 'b', 2]]);
    expect(await e.countRows('p', 't', { partition: { ds: '1' } })).toBe(3);
    expect(await e.countRows('p', 't', {})).toBe(4);
    expect(e.listPartitions('p', 't').map((x) => [x.spec.ds, x.recordCount])).toEqual([['1', 3], ['2', 1]]);
    const before = e.getTable('p', 't')!.lastModifiedTime.getTime();
    expect(before).toBeGreaterThan(0);
  });

  it('overwrite replaces just the partition (or the whole flat table)', async () => {
    await e.writeRows('p', 't', [[1n, 'a', 1]], { partition: { ds: '1' }, createPartition: true });
    await e.writeRows('p', 't', [[2n, 'b', 2]], { partition: { ds: '2' }, createPartition: true });
    await e.writeRows('p', 't', [[9n, 'z', 9]], { partition: { ds: '1' }, overwrite: true });
    expect(await e.readRows('p', 't', { partition: { ds: '1' } })).toEqual([[9n, 'z', 9]]);
    expect(await e.countRows('p', 't', { partition: { ds: '2' } })).toBe(1);
    await e.writeRows('p', 'flat', [[1n, 'x'], [2n, 'y']], {});
    await e.writeRows('p', 'flat', [[3n, null]], { overwrite: true });
    expect(await e.readRows('p', 'flat', {})).toEqual([[3n, null]]);
  });

  it('is atomic: a bad row in a late chunk leaves no trace, not even a new partition', async () => {
    const rows: unknown[][] = Array.from({ length: 5000 }, (_, i) => [BigInt(i), `n${i}`, i]);
    rows[4500] = [1n, 2, 3];
    await expect(e.writeRows('p', 't', rows, { partition: { ds: 'x' }, createPartition: true })).rejects.toThrow(/row 4500, column name/);
    expect(e.listPartitions('p', 't')).toEqual([]);
    expect(await e.countRows('p', 't', {})).toBe(0);
  });

  it('validates names and specs', async () => {
    await expect(e.readRows('p', 'nope', {})).rejects.toMatchObject({ odpsCode: 'ODPS-0130131' });
    await expect(e.readRows('p', 't', { columns: ['ds'] })).rejects.toThrow(/column ds cannot be resolved/);
    await expect(e.writeRows('p', 't', [], {})).rejects.toThrow(/partition spec is required/);
    await expect(e.writeRows('p', 'flat', [], { partition: { ds: '1' } })).rejects.toThrow(/not partitioned/);
    await expect(e.countRows('p', 't', { partition: { ds: 'missing' } })).rejects.toBeInstanceOf(SqlError);
    await expect(e.writeRows('p', 't', [], { partition: { ds: '1', hh: '2' }, createPartition: true })).rejects.toThrow(/no partition column hh/);
  });

  it('appends large batches in chunks', async () => {
    const n = 50_000;
    const rows: unknown[][] = new Array(n);
    for (let i = 0; i < n; i++) rows[i] = [BigInt(i), `name-${i}`, i / 2];
    await e.writeRows('p', 'flat', rows.map((r) => [r[0], r[1]]), {});
    await e.writeRows('p', 't', rows, { partition: { ds: 'big' }, createPartition: true });
    expect(await e.countRows('p', 'flat', {})).toBe(n);
    const back = await e.readRows('p', 't', { partition: { ds: 'big' } });
    expect(back).toHaveLength(n);
    expect(back[n - 1]).toEqual([BigInt(n - 1), `name-${n - 1}`, (n - 1) / 2]);
    const r = await e.execute('p', 'SELECT SUM(id) AS s FROM flat');
    expect(r.rows[0]![0]).toBe(BigInt((n * (n - 1)) / 2));
  });
});
