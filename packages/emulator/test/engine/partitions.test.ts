// Partition DDL, the partition registry, INSERT INTO/OVERWRITE ... PARTITION (static and dynamic), TRUNCATE.
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { createEngine, SqlError } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

describe('partitions', () => {
  let e: Engine;
  beforeEach(async () => {
    e = await createEngine({});
    await e.execute('p', `CREATE TABLE sales (id BIGINT, v DOUBLE) PARTITIONED BY (ds STRING, region STRING) LIFECYCLE 3`);
  });
  afterEach(() => e.close());

  it('adds, lists and drops partitions; empty partitions exist', async () => {
    await e.execute('p', `ALTER TABLE sales ADD PARTITION (ds='20250101', region='cn') PARTITION (region="us", ds='20250101')`);
    await e.execute('p', `ALTER TABLE sales ADD IF NOT EXISTS PARTITION (ds='20250101', region='cn')`);
    const parts = e.listPartitions('p', 'sales');
    expect(parts.map((p) => p.spec)).toEqual([{ ds: '20250101', region: 'cn' }, { ds: '20250101', region: 'us' }]);
    expect(Object.keys(parts[1]!.spec)).toEqual(['ds', 'region']);
    expect(parts[0]!.recordCount).toBe(0);
    expect(parts[0]!.createTime).toBeInstanceOf(Date);
    const shown = await e.execute('p', 'SHOW PARTITIONS sales');
    expect(shown.rows).toEqual([['ds=20250101/region=cn'], ['ds=20250101/region=us']]);
    expect(shown.text).toBe('ds=20250101/region=cn\nds=20250101/region=us\n');

    await expect(e.execute('p', `ALTER TABLE sales ADD PARTITION (ds='20250101', region='cn')`)).rejects.toMatchObject({ odpsCode: 'ODPS-0130071' });
    await expect(e.execute('p', `ALTER TABLE sales ADD PARTITION (ds='20250101')`)).rejects.toThrow(/missing region/);
    await expect(e.execute('p', `ALTER TABLE sales ADD PARTITION (dt='1', region='x')`)).rejects.toThrow(/no partition column dt/);

    await e.execute('p', `ALTER TABLE sales DROP PARTITION (ds='20250101', region='cn')`);
    expect(e.listPartitions('p', 'sales').map((p) => p.spec.region)).toEqual(['us']);
    await e.execute('p', `ALTER TABLE sales DROP IF EXISTS PARTITION (ds='20990101', region='cn')`);
    const err = await e.execute('p', `ALTER TABLE sales DROP PARTITION (ds='20990101', region='cn')`).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).kind).toBe('no_such_partition');
  });

  it('INSERT INTO a static partition creates it and counts rows; partition columns are queryable strings', async () => {
    await e.execute('p', `INSERT INTO TABLE sales PARTITION (ds='20250101', region='cn') VALUES (1, 1.5), (2, 2.5)`);
    await e.execute('p', `INSERT INTO sales PARTITION (ds='20250102', region='cn') (id) VALUES (3)`);
    expect(e.listPartitions('p', 'sales').map((p) => [p.spec.ds, p.recordCount])).toEqual([['20250101', 2], ['20250102', 1]]);
    const r = await e.execute('p', `SELECT id, v, ds FROM sales WHERE ds = '20250102'`);
    expect(r.rows).toEqual([[3n, null, '20250102']]);
    expect(r.columns[2]).toEqual({ name: 'ds', type: 'string' });
    expect(await e.countRows('p', 'sales', { partition: { ds: '20250101', region: 'cn' } })).toBe(2);
  });

  it('INSERT OVERWRITE replaces only the named partition, even when reading itself', async () => {
    await e.execute('p', `INSERT INTO sales PARTITION (ds='1', region='a') VALUES (1, 1.0), (2, 2.0)`);
    await e.execute('p', `INSERT INTO sales PARTITION (ds='2', region='a') VALUES (10, 10.0)`);
    await e.execute('p', `INSERT OVERWRITE TABLE sales PARTITION (ds='1', region='a') SELECT id * 100, v FROM sales WHERE ds = '1' AND id = 2`);
    const r = await e.execute('p', 'SELECT ds, id FROM sales ORDER BY ds, id');
    expect(r.rows).toEqual([['1', 200n], ['2', 10n]]);
    expect(e.listPartitions('p', 'sales').map((p) => p.recordCount)).toEqual([1, 1]);
  });

  it('dynamic partitions: INSERT ... PARTITION (ds, region) takes values from the select tail', async () => {
    await e.execute('p', `CREATE TABLE src (id BIGINT, d STRING, r STRING)`);
    await e.execute('p', `INSERT INTO src VALUES (1, 'x', 'a'), (2, 'y', 'a'), (3, 'y', 'b')`);
    await e.execute('p', `INSERT OVERWRITE TABLE sales PARTITION (ds, region) SELECT id, CAST(id AS DOUBLE), d, r FROM src`);
    expect(e.listPartitions('p', 'sales').map((p) => `${p.spec.ds}/${p.spec.region}:${p.recordCount}`)).toEqual(['x/a:1', 'y/a:1', 'y/b:1']);
    await e.execute('p', `INSERT OVERWRITE TABLE sales PARTITION (ds='y', region) SELECT 9, 9.0, 'a'`);
    const r = await e.execute('p', 'SELECT ds, region, id FROM sales ORDER BY ds, region');
    expect(r.rows).toEqual([['x', 'a', 1n], ['y', 'a', 9n], ['y', 'b', 3n]]);
  });

  it('requires a partition clause for partitioned tables and truncates', async () => {
    await expect(e.execute('p', 'INSERT INTO sales VALUES (1, 1.0)')).rejects.toThrow(/needs a PARTITION clause/);
    await e.execute('p', `INSERT INTO sales PARTITION (ds='1', region='a') VALUES (1, 1.0)`);
    await e.execute('p', `INSERT INTO sales PARTITION (ds='2', region='a') VALUES (1, 1.0)`);
    await e.execute('p', `TRUNCATE TABLE sales PARTITION (ds='1', region='a')`);
    expect(e.listPartitions('p', 'sales').map((p) => p.recordCount)).toEqual([0, 1]);
    await e.execute('p', 'TRUNCATE TABLE sales');
    expect(await e.countRows('p', 'sales', {})).toBe(0);
    expect(e.listPartitions('p', 'sales')).toHaveLength(2);
  });

  it('rejects partitioned DDL mistakes', async () => {
    await expect(e.execute('p', 'CREATE TABLE bad (a BIGINT) PARTITIONED BY (a STRING)')).rejects.toThrow(/duplicates a data column/);
    await expect(e.execute('p', 'CREATE TABLE bad (a BIGINT) PARTITIONED BY (d DOUBLE)')).rejects.toThrow(/cannot be of type double/);
    await expect(e.execute('p', `ALTER TABLE src_missing ADD PARTITION (ds='1')`)).rejects.toMatchObject({ odpsCode: 'ODPS-0130131' });
  });
});
