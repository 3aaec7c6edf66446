// DDL the service accepts: CLUSTERED BY ... INTO n BUCKETS, ALTER TABLE column forms and TOUCH, materialized views, INSERT forms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, SqlError } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

async function sqlError(p: Promise<unknown>): Promise<SqlError> {
  const err = await p.then(() => undefined, (x: unknown) => x);
  expect(err).toBeInstanceOf(SqlError);
  return err as SqlError;
}

const P = 'ddl';

describe('DDL the service accepts', () => {
  let e: Engine;
  beforeEach(async () => {
    e = await createEngine({});
  });
  afterEach(() => e.close());

  const rows = async (sql: string): Promise<unknown[][]> => (await e.execute(P, sql)).rows;

  it('records hash and range clustering with sort order and bucket count', async () => {
    await e.execute(
      P,
      `CREATE TABLE h (a STRING, b STRING, c BIGINT) PARTITIONED BY (dt STRING)
         CLUSTERED BY (c, a) SORTED BY (c, a DESC) INTO 10 BUCKETS LIFECYCLE 1;
       CREATE TABLE r (a STRING, c BIGINT) RANGE CLUSTERED BY (c) SORTED BY (c ASC);
       CREATE TABLE plain (a STRING)`,
    );
    expect(e.getTable(P, 'h')!.clusterInfo).toEqual({
      type: 'hash', columns: ['c', 'a'], sortColumns: [{ name: 'c', order: 'ASC' }, { name: 'a', order: 'DESC' }], bucketNum: 10,
    });
    expect(e.getTable(P, 'h')!.lifecycle).toBe(1);
    expect(e.getTable(P, 'r')!.clusterInfo).toEqual({ type: 'range', columns: ['c'], sortColumns: [{ name: 'c', order: 'ASC' }], bucketNum: 0 });
    expect(e.getTable(P, 'plain')!.clusterInfo).toBeUndefined();
    for (const sql of [
      `CREATE TABLE x1 (a BIGINT) CLUSTERED BY (a)`, // hash needs INTO n BUCKETS
      `CREATE TABLE x2 (a BIGINT) CLUSTERED BY (b) INTO 2 BUCKETS`,
      `CREATE TABLE x3 (a BIGINT) CLUSTERED BY (a) INTO 0 BUCKETS`,
      `CREATE TABLE x4 (a BIGINT) CLUSTERED BY (a) SORTED BY (z) INTO 2 BUCKETS`,
      `CREATE TABLE x5 (a BIGINT) PARTITIONED BY (ds STRING) CLUSTERED BY (ds) INTO 2 BUCKETS`,
      `CREATE TABLE x6 (a BIGINT) CLUSTERED BY a INTO 2 BUCKETS`,
      `CREATE TABLE x7 (a BIGINT) CLUSTERED BY (a) INTO two BUCKETS`,
    ]) {
      const err = await sqlError(e.execute(P, sql));
      expect(err.message, sql).toMatch(/^ODPS-0130(161|071):\[\d+,\d+\] (Parse|Semantic analysis) exception - /);
    }
    expect(e.listTables(P).map((t) => t.name)).toEqual(['h', 'plain', 'r']);
  });

  it('keeps clustering, primary key and transactional across a restart (--data)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odps-ddl-'));
    try {
      const e1 = await createEngine({ dataDir: dir });
      await e1.execute(P, `CREATE TABLE k (id BIGINT NOT NULL, v STRING, PRIMARY KEY (id)) CLUSTERED BY (id) INTO 4 BUCKETS TBLPROPERTIES ('transactional'='true')`);
      await e1.close();
      const e2 = await createEngine({ dataDir: dir });
      expect(e2.getTable(P, 'k')).toMatchObject({
        transactional: true, primaryKey: ['id'], clusterInfo: { type: 'hash', columns: ['id'], sortColumns: [], bucketNum: 4 },
      });
      await e2.execute(P, `INSERT INTO k VALUES (1, 'a'), (1, 'b')`);
      expect((await e2.execute(P, 'SELECT * FROM k')).rows).toEqual([[1n, 'b']]);
      await e2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ALTER TABLE ADD COLUMN (singular), ADD COLUMNS, DROP COLUMNS and CHANGE COLUMN', async () => {
    await e.execute(P, `CREATE TABLE t (id BIGINT, name STRING, n INT) ; INSERT INTO t VALUES (1, 'a', 5)`);
    await e.execute(P, `ALTER TABLE t ADD COLUMN score DOUBLE COMMENT 'the score'`);
    await e.execute(P, `ALTER TABLE t ADD COLUMNS (x STRING, y BIGINT); ALTER TABLE t ADD COLUMNS IF NOT EXISTS (x STRING)`);
    await e.execute(P, `ALTER TABLE t DROP COLUMNS x, y`);
    await e.execute(P, `ALTER TABLE t CHANGE COLUMN name RENAME TO label`);
    await e.execute(P, `ALTER TABLE t CHANGE COLUMN label COMMENT 'shown'`);
    await e.execute(P, `ALTER TABLE t CHANGE n n BIGINT COMMENT 'widened'`);
    expect(e.getTable(P, 't')!.columns).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'label', type: 'string', comment: 'shown' },
      { name: 'n', type: 'bigint', comment: 'widened' },
      { name: 'score', type: 'double', comment: 'the score' },
    ]);
    const r = await e.execute(P, 'SELECT * FROM t');
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:bigint', 'label:string', 'n:bigint', 'score:double']);
    expect(r.rows).toEqual([[1n, 'a', 5n, null]]);
    for (const [sql, msg] of [
      [`ALTER TABLE t CHANGE COLUMN label label BIGINT`, /changing column data type from STRING to BIGINT is not supported/],
      [`ALTER TABLE t CHANGE COLUMN n n INT`, /changing column data type from BIGINT to INT is not supported/],
      [`ALTER TABLE t CHANGE COLUMN nope RENAME TO z`, /column nope cannot be resolved/],
      [`ALTER TABLE t CHANGE COLUMN id RENAME TO label`, /column label already exists/],
      [`ALTER TABLE t ADD COLUMN id STRING`, /column id already exists/],
      [`ALTER TABLE t ADD COLUMN z STRING NOT NULL`, /must be nullable/],
      [`ALTER TABLE t DROP COLUMNS id, label, n, score`, /cannot drop all data columns/],
      [`ALTER TABLE t DROP COLUMNS nope`, /column nope cannot be resolved/],
      [`ALTER TABLE t ADD COLUMN`, /expecting column name/],
    ] as const) {
      const err = await sqlError(e.execute(P, sql));
      expect(err.message, sql).toMatch(msg);
    }
    expect(e.getTable(P, 't')!.columns.map((c) => c.name)).toEqual(['id', 'label', 'n', 'score']);
  });

  it('ADD COLUMN on a partitioned table keeps partition columns last in SELECT * and keeps the data', async () => {
    await e.execute(P, `CREATE TABLE pt (a BIGINT, b STRING) PARTITIONED BY (ds STRING, hr STRING);
                        INSERT INTO pt PARTITION (ds='1', hr='0') VALUES (1, 'x'), (2, 'y')`);
    await e.execute(P, `ALTER TABLE pt ADD COLUMN c DOUBLE; ALTER TABLE pt ADD COLUMNS (d STRING)`);
    const r = await e.execute(P, 'SELECT * FROM pt ORDER BY a');
    expect(r.columns.map((c) => c.name)).toEqual(['a', 'b', 'c', 'd', 'ds', 'hr']);
    expect(r.rows).toEqual([[1n, 'x', null, null, '1', '0'], [2n, 'y', null, null, '1', '0']]);
    await e.execute(P, `INSERT INTO pt PARTITION (ds='1', hr='1') SELECT 3, 'z', 1.5, 'w'`);
    expect(await e.readRows(P, 'pt', { partition: { ds: '1', hr: '1' } })).toEqual([[3n, 'z', 1.5, 'w']]);
    expect(e.listPartitions(P, 'pt').map((p) => p.recordCount)).toEqual([2, 1]);
    expect(e.listTables(P).map((t) => t.name)).toEqual(['pt']);
  });

  it('keeps key and cluster metadata in step with column renames and refuses to drop them', async () => {
    await e.execute(
      P,
      `CREATE TABLE k (id BIGINT NOT NULL PRIMARY KEY, c STRING, v STRING) CLUSTERED BY (c) SORTED BY (c) INTO 2 BUCKETS
         TBLPROPERTIES ('transactional'='true')`,
    );
    await e.execute(P, `ALTER TABLE k CHANGE COLUMN c RENAME TO c2; ALTER TABLE k CHANGE COLUMN id RENAME TO pk`);
    expect(e.getTable(P, 'k')).toMatchObject({ primaryKey: ['pk'], clusterInfo: { columns: ['c2'], sortColumns: [{ name: 'c2', order: 'ASC' }] } });
    await expect(e.execute(P, `ALTER TABLE k DROP COLUMNS pk`)).rejects.toThrow(/cannot drop primary key column pk/);
    await expect(e.execute(P, `ALTER TABLE k DROP COLUMNS c2`)).rejects.toThrow(/cannot drop cluster column c2/);
  });

  it('SHOW CREATE TABLE prints key, clustering and properties, and running it recreates the same metadata', async () => {
    await e.execute(
      P,
      `CREATE TABLE sc (id BIGINT NOT NULL, c STRING COMMENT 'it''s', PRIMARY KEY (id)) COMMENT 'tbl' PARTITIONED BY (ds STRING)
         RANGE CLUSTERED BY (c) SORTED BY (c DESC) INTO 3 BUCKETS TBLPROPERTIES ('transactional'='true') LIFECYCLE 9`,
    );
    const ddl = (await e.execute(P, 'SHOW CREATE TABLE sc')).text!;
    expect(ddl).toContain('PRIMARY KEY (`id`)');
    expect(ddl).toContain('RANGE CLUSTERED BY (`c`) SORTED BY (`c` DESC) INTO 3 BUCKETS');
    expect(ddl).toContain("TBLPROPERTIES ('transactional'='true')");
    const before = e.getTable(P, 'sc')!;
    await e.execute(P, `DROP TABLE sc; ${ddl}`);
    const after = e.getTable(P, 'sc')!;
    for (const k of ['columns', 'partitionKeys', 'comment', 'lifecycle', 'transactional', 'primaryKey', 'clusterInfo'] as const) {
      expect(after[k], k).toEqual(before[k]);
    }
  });

  it('ALTER TABLE [PARTITION (...)] TOUCH stamps the modification time only', async () => {
    await e.execute(P, `CREATE TABLE p (a BIGINT) PARTITIONED BY (ds STRING); INSERT INTO p PARTITION (ds='1') VALUES (1)`);
    const before = e.getTable(P, 'p')!;
    const partBefore = e.listPartitions(P, 'p')[0]!;
    await new Promise((r) => setTimeout(r, 5));
    await e.execute(P, `ALTER TABLE p PARTITION (ds='1') TOUCH`);
    const partAfter = e.listPartitions(P, 'p')[0]!;
    expect(partAfter.lastModifiedTime.getTime()).toBeGreaterThan(partBefore.lastModifiedTime.getTime());
    expect(partAfter.recordCount).toBe(1);
    await e.execute(P, `ALTER TABLE p TOUCH`);
    const after = e.getTable(P, 'p')!;
    expect(after.lastModifiedTime.getTime()).toBeGreaterThan(before.lastModifiedTime.getTime());
    expect(after.lastDDLTime).toEqual(before.lastDDLTime);
    await expect(e.execute(P, `ALTER TABLE p PARTITION (ds='2') TOUCH`)).rejects.toThrow(/Partition not found/);
    await expect(e.execute(P, `ALTER TABLE p PARTITION (ds) TOUCH`)).rejects.toThrow(/needs a value/);
    await expect(e.execute(P, `ALTER TABLE p TOUCH now`)).rejects.toThrow(/expecting end of statement/);
  });

  it('ALTER TABLE t TOUCH PARTITION (...) (the documented form PyODPS sends) stamps that partition', async () => {
    await e.execute(P, `CREATE TABLE tp (a BIGINT) PARTITIONED BY (ds STRING); INSERT INTO tp PARTITION (ds='1') VALUES (1)`);
    await e.execute(P, `CREATE TABLE tu (a BIGINT)`);
    const partBefore = e.listPartitions(P, 'tp')[0]!;
    await new Promise((r) => setTimeout(r, 5));
    await e.execute(P, `ALTER TABLE tp TOUCH PARTITION (ds='1')`);
    expect(e.listPartitions(P, 'tp')[0]!.lastModifiedTime.getTime()).toBeGreaterThan(partBefore.lastModifiedTime.getTime());
    await expect(e.execute(P, `ALTER TABLE tp TOUCH PARTITION (ds='2')`)).rejects.toThrow(/Partition not found/);
    await expect(e.execute(P, `ALTER TABLE tp TOUCH PARTITION (ds='1') now`)).rejects.toThrow(/expecting end of statement/);
    await expect(e.execute(P, `ALTER TABLE tu TOUCH PARTITION (ds='1')`)).rejects.toThrow(/not a partitioned table/);
  });

  it('CREATE / ALTER ... REBUILD / DROP MATERIALIZED VIEW', async () => {
    await e.execute(P, `CREATE TABLE src (k STRING, v BIGINT, ds STRING); INSERT INTO src VALUES ('a', 1, 'd1'), ('a', 2, 'd1'), ('b', 5, 'd2')`);
    await e.execute(P, `CREATE MATERIALIZED VIEW mv LIFECYCLE 7 (k COMMENT 'key', total) COMMENT 'sums' AS SELECT k, sum(v) FROM src GROUP BY k`);
    expect(e.getTable(P, 'mv')).toMatchObject({ type: 'MATERIALIZED_VIEW', lifecycle: 7, comment: 'sums', columns: [{ name: 'k', type: 'string', comment: 'key' }, { name: 'total', type: 'bigint' }] });
    expect(await rows('SELECT * FROM mv ORDER BY k')).toEqual([['a', 3n], ['b', 5n]]);
    await e.execute(P, `INSERT INTO src VALUES ('c', 9, 'd2'); ALTER MATERIALIZED VIEW mv REBUILD`);
    expect(await rows('SELECT count(*) FROM mv')).toEqual([[3n]]);
    await e.execute(P, `CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1`);
    await e.execute(P, `CREATE MATERIALIZED VIEW mvp PARTITIONED ON (ds) AS SELECT k, v, ds FROM src`);
    expect(e.listPartitions(P, 'mvp').map((p) => [p.spec['ds'], p.recordCount])).toEqual([['d1', 2], ['d2', 2]]);
    await expect(e.execute(P, `INSERT INTO mv VALUES ('z', 1)`)).rejects.toThrow(/cannot insert into materialized view mv/);
    await expect(e.writeRows(P, 'mv', [['z', 1n]], {})).rejects.toThrow(/materialized view/);
    await expect(e.execute(P, `DROP TABLE mv`)).rejects.toThrow(/use DROP MATERIALIZED VIEW/);
    await expect(e.execute(P, `DROP MATERIALIZED VIEW src`)).rejects.toThrow(/use DROP TABLE/);
    await expect(e.execute(P, `CREATE MATERIALIZED VIEW bad PARTITIONED ON (k) AS SELECT k, v FROM src`)).rejects.toThrow(/last columns/);
    await expect(e.execute(P, `CREATE MATERIALIZED VIEW bad (a) AS SELECT k, v FROM src`)).rejects.toThrow(/names 1 columns/);
    await expect(e.execute(P, `CREATE MATERIALIZED VIEW bad AS`)).rejects.toThrow(/expecting a query/);
    await e.execute(P, `DROP MATERIALIZED VIEW mv; DROP MATERIALIZED VIEW IF EXISTS mv`);
    expect(e.getTable(P, 'mv')).toBeUndefined();
    expect(e.listTables(P).map((t) => t.name)).toEqual(['mvp', 'src']);
  });

  it('INSERT OVERWRITE without TABLE, and dynamic partitions with a column list', async () => {
    await e.execute(P, `CREATE TABLE t (a BIGINT, b STRING); INSERT INTO t VALUES (1, 'x'); INSERT OVERWRITE t SELECT 2, 'y'`);
    expect(await rows('SELECT * FROM t')).toEqual([[2n, 'y']]);
    await e.execute(P, `CREATE TABLE d (a BIGINT, b STRING) PARTITIONED BY (p1 STRING, p2 STRING)`);
    await e.execute(P, `INSERT INTO d PARTITION (p1='a', p2) (b, p2, a) SELECT 'bee', 'q', 7`);
    await e.execute(P, `INSERT INTO TABLE d PARTITION (p1='a', p2) (a, b, p2) VALUES (8, 'c', 'r'), (9, 'd', 'q')`);
    await e.execute(P, `INSERT OVERWRITE d PARTITION (p1='a', p2) (p2, a) SELECT 'r', 10`);
    expect(await rows('SELECT a, b, p1, p2 FROM d ORDER BY a')).toEqual([[7n, 'bee', 'a', 'q'], [9n, 'd', 'a', 'q'], [10n, null, 'a', 'r']]);
    expect(e.listPartitions(P, 'd').map((p) => `${p.spec['p1']}/${p.spec['p2']}:${p.recordCount}`)).toEqual(['a/q:2', 'a/r:1']);
    for (const [sql, msg] of [
      [`INSERT INTO d PARTITION (p1='a', p2='b') (a, p2) SELECT 1, 'x'`, /column p2 cannot be resolved/],
      [`INSERT INTO d PARTITION (p1='a', p2) (a, a, p2) SELECT 1, 1, 'x'`, /column a given twice/],
      [`INSERT OVERWRITE`, /expecting INTO or OVERWRITE|expecting table name/],
    ] as const) {
      const err = await sqlError(e.execute(P, sql));
      expect(err.message, sql).toMatch(msg);
    }
  });
});
