// End-to-end: DDL/DML forms the service accepts, run through the real client, and the extended table metadata they leave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlError } from '@odps-ts/odps-client';
import type { ODPS, Row } from '@odps-ts/odps-client';
import { startEmulatorClient, type EmulatorClient } from '../support/emulator-client.js';

describe('DDL and transactional tables through the client', () => {
  let odps: ODPS;
  let env: EmulatorClient | undefined;

  beforeAll(async () => {
    env = await startEmulatorClient();
    odps = env.odps;
  });
  afterAll(async () => {
    await env?.close();
  });

  const rows = async (sql: string): Promise<unknown[][]> => (await (await odps.executeSql(sql)).getResult()).rows;

  it('reports Transactional, PrimaryKey and ClusterInfo in the extended table metadata', async () => {
    await odps.executeSql(
      `CREATE TABLE e2e_pk (id BIGINT NOT NULL PRIMARY KEY, v STRING)
         CLUSTERED BY (id) SORTED BY (id DESC) INTO 8 BUCKETS TBLPROPERTIES ('transactional'='true')`,
    );
    const t = await odps.tables.get('e2e_pk', { extended: true });
    expect(t.transactional).toBe(true);
    expect(t.primaryKey).toEqual(['id']);
    expect(t.schema.columns.find((c) => c.name === 'id')?.nullable).toBe(false);
    // The Reserved document carries it with the SDKs' key names; the client models it as clusterInfo.
    expect(t.reserved).toMatchObject({
      Transactional: 'true',
      PrimaryKey: ['id'],
      ClusterType: 'hash',
      BucketNum: 8,
      ClusterCols: ['id'],
      SortCols: [{ col: 'id', order: 'DESC' }],
    });
    expect(t.clusterInfo).toEqual({ type: 'hash', columns: ['id'], sortColumns: [{ name: 'id', order: 'desc' }], bucketNum: 8 });
    await odps.executeSql(`CREATE TABLE e2e_range (a STRING, c BIGINT) RANGE CLUSTERED BY (c) SORTED BY (c)`);
    const r = await odps.tables.get('e2e_range', { extended: true });
    expect(r.transactional).toBe(false);
    expect(r.primaryKey).toEqual([]);
    expect(r.reserved).toMatchObject({ ClusterType: 'range', BucketNum: 0, ClusterCols: ['c'], SortCols: [{ col: 'c', order: 'ASC' }] });
    expect(r.clusterInfo).toEqual({ type: 'range', columns: ['c'], sortColumns: [{ name: 'c', order: 'asc' }] });
    const plain = await odps.tables.get('e2e_range');
    expect(plain.name).toBe('e2e_range');
    // Not loaded is not "not clustered".
    expect(plain.clusterInfo).toBeUndefined();
    expect(plain.transactional).toBeUndefined();
  });

  it('UPDATE, DELETE and MERGE INTO on a transactional table; a tunnel upload upserts by key', async () => {
    await odps.executeSql(`INSERT INTO e2e_pk VALUES (1, 'a'), (2, 'b'), (2, 'b2')`);
    await odps.executeSql(`UPDATE e2e_pk SET v = concat(v, '!') WHERE id = 1`);
    await odps.executeSql(`CREATE TABLE e2e_src (id BIGINT, v STRING); INSERT INTO e2e_src VALUES (2, 'merged'), (3, 'new')`);
    await odps.executeSql(
      `MERGE INTO e2e_pk t USING e2e_src s ON t.id = s.id
       WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v)`,
    );
    await odps.executeSql(`DELETE FROM e2e_pk WHERE id = 3`);
    expect(await rows('SELECT id, v FROM e2e_pk ORDER BY id')).toEqual([[1n, 'a!'], [2n, 'merged']]);

    const table = await odps.tables.get('e2e_pk');
    const writer = await table.openWriter();
    await writer.write([[2n, 'upload'], [4n, 'four'], [4n, 'four2']] as Row[]);
    await writer.commit();
    expect(await rows('SELECT id, v FROM e2e_pk ORDER BY id')).toEqual([[1n, 'a!'], [2n, 'upload'], [4n, 'four2']]);

    await odps.executeSql(`CREATE TABLE e2e_plain (id BIGINT)`);
    const err = await odps.executeSql(`DELETE FROM e2e_plain`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlError);
    expect((err as SqlError).message).toMatch(/ODPS-0130071:\[1,13\] Semantic analysis exception - DELETE is only supported on transactional table/);
  });

  it('ALTER TABLE column forms and TOUCH show up in the table schema', async () => {
    await odps.executeSql(`CREATE TABLE e2e_alt (a BIGINT, b STRING) PARTITIONED BY (ds STRING)`);
    await odps.executeSql(`ALTER TABLE e2e_alt ADD COLUMN c DOUBLE COMMENT 'cc'`);
    await odps.executeSql(`ALTER TABLE e2e_alt ADD COLUMNS (d STRING, e STRING)`);
    await odps.executeSql(`ALTER TABLE e2e_alt DROP COLUMNS d, e`);
    await odps.executeSql(`ALTER TABLE e2e_alt CHANGE COLUMN b RENAME TO b2`);
    await odps.executeSql(`INSERT INTO e2e_alt PARTITION (ds='1') VALUES (1, 'x', 1.5); ALTER TABLE e2e_alt PARTITION (ds='1') TOUCH; ALTER TABLE e2e_alt TOUCH`);
    const t = await odps.tables.get('e2e_alt');
    expect(t.schema.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['a:bigint', 'b2:string', 'c:double']);
    expect(t.schema.columns[2]!.comment).toBe('cc');
    expect(await rows('SELECT * FROM e2e_alt')).toEqual([[1n, 'x', 1.5, '1']]);
  });

  it('materialized views, INSERT OVERWRITE without TABLE and dynamic partitions with a column list', async () => {
    await odps.executeSql(`CREATE TABLE e2e_dyn (a BIGINT, b STRING) PARTITIONED BY (p1 STRING, p2 STRING)`);
    await odps.executeSql(`INSERT INTO e2e_dyn PARTITION (p1='x', p2) (a, b, p2) SELECT 1, 'one', 'q'`);
    await odps.executeSql(`INSERT OVERWRITE e2e_dyn PARTITION (p1='x', p2='q') SELECT 2, 'two'`);
    expect(await rows('SELECT a, b, p1, p2 FROM e2e_dyn')).toEqual([[2n, 'two', 'x', 'q']]);
    await odps.executeSql(`CREATE MATERIALIZED VIEW e2e_mv AS SELECT p2, count(*) AS n FROM e2e_dyn GROUP BY p2`);
    const mv = await odps.tables.get('e2e_mv', { extended: true });
    expect(mv.isMaterializedView).toBe(true);
    expect(await rows('SELECT * FROM e2e_mv')).toEqual([['q', 1n]]);
    await odps.executeSql(`DROP MATERIALIZED VIEW e2e_mv`);
    expect(await odps.tables.exists('e2e_mv')).toBe(false);
  });

  it('script variables, LATERAL VIEW explode, EXPLAIN, CHAR(n) and decimal literals', async () => {
    expect(await rows(`@v := SELECT 1 AS x UNION ALL SELECT 2 AS x; SELECT sum(x) FROM @v`)).toEqual([[3n]]);
    expect(await rows(`SELECT t FROM (SELECT array('a', 'b') AS arr) s LATERAL VIEW explode(s.arr) e AS t ORDER BY t`)).toEqual([['a'], ['b']]);
    const plan = await odps.executeSql('EXPLAIN SELECT 1');
    expect(plan.id).toBeTruthy();
    await odps.executeSql(`CREATE TABLE e2e_ch (c CHAR(4)); INSERT INTO e2e_ch VALUES ('ab')`);
    expect(await rows('SELECT c FROM e2e_ch')).toEqual([['ab  ']]);
    const lit = await (await odps.executeSql('SELECT 1.5 AS d, 1.5BD AS m')).getResult();
    expect(lit.columns.map((c) => c.type)).toEqual(['double', 'decimal(38,18)']);
    expect(lit.rows).toEqual([[1.5, '1.500000000000000000']]);
  });
});
