// Transactional tables: PRIMARY KEY / transactional recorded, key rule on INSERT and writeRows, UPDATE / DELETE / MERGE INTO.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, SqlError } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

async function sqlError(p: Promise<unknown>): Promise<SqlError> {
  const err = await p.then(() => undefined, (x: unknown) => x);
  expect(err).toBeInstanceOf(SqlError);
  return err as SqlError;
}

const P = 'tx';

describe('transactional tables', () => {
  let e: Engine;
  beforeEach(async () => {
    e = await createEngine({});
    await e.execute(
      P,
      `CREATE TABLE acct (id BIGINT NOT NULL PRIMARY KEY, name STRING, bal BIGINT) TBLPROPERTIES ('transactional'='true');
       CREATE TABLE ev (k STRING NOT NULL, n BIGINT, v STRING, PRIMARY KEY (k, n)) PARTITIONED BY (ds STRING)
         TBLPROPERTIES ("transactional"="true", 'other'='x');
       CREATE TABLE tx_plain (id BIGINT, v STRING) TBLPROPERTIES ('transactional'='true');
       CREATE TABLE plain (id BIGINT, v STRING);
       INSERT INTO acct VALUES (1, 'ann', 10), (2, 'bob', 20), (3, 'cid', 30);
       INSERT INTO plain VALUES (1, 'a');`,
    );
  });
  afterEach(() => e.close());

  const rows = async (sql: string): Promise<unknown[][]> => (await e.execute(P, sql)).rows;

  it('records transactional and the primary key (column-level and table-level, in key order)', () => {
    expect(e.getTable(P, 'acct')).toMatchObject({ transactional: true, primaryKey: ['id'] });
    expect(e.getTable(P, 'ev')).toMatchObject({ transactional: true, primaryKey: ['k', 'n'] });
    expect(e.getTable(P, 'ev')!.columns.find((c) => c.name === 'n')!.nullable).toBe(false);
    expect(e.getTable(P, 'tx_plain')).toMatchObject({ transactional: true });
    expect(e.getTable(P, 'tx_plain')!.primaryKey).toBeUndefined();
    expect(e.getTable(P, 'plain')!.transactional).toBeUndefined();
  });

  it('rejects bad primary keys and properties', async () => {
    const bad = [
      `CREATE TABLE b1 (id BIGINT PRIMARY KEY)`, // not transactional
      `CREATE TABLE b2 (id BIGINT, PRIMARY KEY (nope)) TBLPROPERTIES ('transactional'='true')`,
      `CREATE TABLE b3 (id BIGINT PRIMARY KEY, PRIMARY KEY (id)) TBLPROPERTIES ('transactional'='true')`,
      `CREATE TABLE b4 (id BIGINT, PRIMARY KEY (id, id)) TBLPROPERTIES ('transactional'='true')`,
      `CREATE TABLE b5 (id BIGINT) TBLPROPERTIES ('transactional'='maybe')`,
      `CREATE TABLE b6 (id BIGINT) TBLPROPERTIES (transactional=true)`,
      `CREATE TABLE b7 (id BIGINT) PARTITIONED BY (ds STRING PRIMARY KEY) TBLPROPERTIES ('transactional'='true')`,
      `ALTER TABLE plain ADD COLUMNS (z BIGINT PRIMARY KEY)`,
      `ALTER TABLE acct SET TBLPROPERTIES ('transactional'='false')`,
    ];
    for (const sql of bad) {
      const err = await sqlError(e.execute(P, sql));
      expect(err.message, sql).toMatch(/^ODPS-0130(161|071):\[\d+,\d+\]/);
    }
    expect(e.listTables(P).map((t) => t.name).sort()).toEqual(['acct', 'ev', 'plain', 'tx_plain']);
  });

  it('INSERT into a primary-key table keeps one row per key, the last written', async () => {
    await e.execute(P, `INSERT INTO acct VALUES (2, 'bob2', 21), (4, 'dan', 40), (4, 'dan2', 41)`);
    expect(await rows('SELECT id, name, bal FROM acct ORDER BY id')).toEqual([
      [1n, 'ann', 10n], [2n, 'bob2', 21n], [3n, 'cid', 30n], [4n, 'dan2', 41n],
    ]);
    // Per partition: the same key in two partitions is two rows.
    await e.execute(P, `INSERT INTO ev PARTITION (ds='a') VALUES ('x', 1, 'a1'), ('x', 1, 'a2');
                        INSERT INTO ev PARTITION (ds='b') VALUES ('x', 1, 'b1')`);
    expect(await rows('SELECT k, n, v, ds FROM ev ORDER BY ds')).toEqual([['x', 1n, 'a2', 'a'], ['x', 1n, 'b1', 'b']]);
    expect(e.listPartitions(P, 'ev').map((p) => p.recordCount)).toEqual([1, 1]);
  });

  it('refuses NULL keys and leaves the table as it was', async () => {
    const err = await sqlError(e.execute(P, `INSERT INTO acct VALUES (5, 'e', 1), (NULL, 'n', 0)`));
    expect(err.message).toMatch(/primary key column id .* cannot be NULL/);
    expect(await rows('SELECT count(*) FROM acct')).toEqual([[3n]]);
    await expect(e.writeRows(P, 'acct', [[null, 'n', 0n]], {})).rejects.toThrow(/cannot be NULL/);
    expect(await rows('SELECT count(*) FROM acct')).toEqual([[3n]]);
  });

  it('writeRows (tunnel upload) into a primary-key table upserts by key, last wins', async () => {
    await e.writeRows(P, 'acct', [[3n, 'cid2', 31n], [9n, 'zed', 90n], [9n, 'zed2', 91n]], {});
    expect(await rows('SELECT id, name, bal FROM acct ORDER BY id')).toEqual([
      [1n, 'ann', 10n], [2n, 'bob', 20n], [3n, 'cid2', 31n], [9n, 'zed2', 91n],
    ]);
    expect(await e.countRows(P, 'acct', {})).toBe(4);
    // Tables without a key keep duplicates.
    await e.writeRows(P, 'tx_plain', [[1n, 'a'], [1n, 'a']], {});
    expect(await rows('SELECT count(*) FROM tx_plain')).toEqual([[2n]]);
  });

  it('UPDATE and DELETE change transactional tables, with aliases, subqueries and partitions', async () => {
    await e.execute(P, `UPDATE acct SET bal = bal + 1, name = upper(name) WHERE id IN (SELECT id FROM plain)`);
    await e.execute(P, `UPDATE acct a SET a.bal = 0 WHERE a.name = 'bob'`);
    await e.execute(P, `DELETE FROM acct WHERE id = 3`);
    expect(await rows('SELECT id, name, bal FROM acct ORDER BY id')).toEqual([[1n, 'ANN', 11n], [2n, 'bob', 0n]]);
    await e.execute(P, `INSERT INTO ev PARTITION (ds='a') VALUES ('x', 1, 'a'), ('y', 2, 'a');
                        INSERT INTO ev PARTITION (ds='b') VALUES ('x', 1, 'b')`);
    await e.execute(P, `UPDATE ev PARTITION (ds='a') SET v = 'changed' WHERE k = 'x'`);
    await e.execute(P, `DELETE FROM ev PARTITION (ds='b')`);
    // A partition value with quotes and '" or "' inside is a literal, not SQL ('=' is refused in values).
    await e.execute(P, `INSERT INTO ev PARTITION (ds='q" or "x\\'') VALUES ('z', 9, 'odd')`);
    await e.execute(P, `UPDATE ev PARTITION (ds='q" or "x\\'') SET v = 'odd2'`);
    expect(await rows(`SELECT v FROM ev WHERE k = 'z'`)).toEqual([['odd2']]);
    await e.execute(P, `DELETE FROM ev PARTITION (ds='q" or "x\\'')`);
    expect(await rows('SELECT k, v, ds FROM ev ORDER BY ds, k')).toEqual([['x', 'changed', 'a'], ['y', 'a', 'a']]);
    expect(e.listPartitions(P, 'ev').map((p) => [p.spec['ds'], p.recordCount])).toEqual([['a', 2], ['b', 0], [`q" or "x'`, 0]]);
    await e.execute(P, `DELETE FROM acct`);
    expect(await e.countRows(P, 'acct', {})).toBe(0);
  });

  it('UPDATE / DELETE / MERGE on a non-transactional table fail like the service, changing nothing', async () => {
    for (const sql of [
      `UPDATE plain SET v = 'x'`,
      `DELETE FROM plain WHERE id = 1`,
      `MERGE INTO plain t USING acct s ON t.id = s.id WHEN MATCHED THEN DELETE`,
    ]) {
      const err = await sqlError(e.execute(P, sql));
      expect(err.message).toMatch(/^ODPS-0130071:\[1,\d+\] Semantic analysis exception - (UPDATE|DELETE|MERGE) is only supported on transactional table/);
    }
    expect(await rows('SELECT * FROM plain')).toEqual([[1n, 'a']]);
  });

  it('rejects updates of key or partition columns and unknown columns', async () => {
    await e.execute(P, `INSERT INTO ev PARTITION (ds='a') VALUES ('x', 1, 'a')`);
    for (const [sql, msg] of [
      [`UPDATE acct SET id = 9`, /primary key column id cannot be updated/],
      [`UPDATE ev SET ds = 'b'`, /partition column ds cannot be updated/],
      [`UPDATE acct SET nope = 1`, /column nope cannot be resolved/],
      [`UPDATE acct SET bal =`, /expecting an expression/],
      [`DELETE FROM acct WHERE`, /expecting a condition/],
      [`DELETE FROM nope`, /Table not found/],
    ] as const) {
      const err = await sqlError(e.execute(P, sql));
      expect(err.message, sql).toMatch(msg);
    }
    expect(await rows('SELECT count(*) FROM acct')).toEqual([[3n]]);
  });

  it('MERGE INTO: matched update/delete with conditions, not-matched insert, CASE inside', async () => {
    await e.execute(
      P,
      `CREATE TABLE chg (id BIGINT, name STRING, bal BIGINT, op STRING);
       INSERT INTO chg VALUES (1, 'ann', 15, 'u'), (2, NULL, NULL, 'd'), (7, 'gus', 70, 'i')`,
    );
    await e.execute(
      P,
      `MERGE INTO acct AS t USING (SELECT * FROM chg) s ON t.id = s.id
       WHEN MATCHED AND s.op = 'd' THEN DELETE
       WHEN MATCHED THEN UPDATE SET bal = CASE WHEN s.bal > t.bal THEN s.bal ELSE t.bal END, name = s.name
       WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.name, s.bal)`,
    );
    expect(await rows('SELECT id, name, bal FROM acct ORDER BY id')).toEqual([[1n, 'ann', 15n], [3n, 'cid', 30n], [7n, 'gus', 70n]]);
    await e.execute(P, `MERGE INTO acct USING chg ON acct.id = chg.id WHEN NOT MATCHED AND chg.op = 'd' THEN INSERT (id, name) VALUES (chg.id, 'new')`);
    expect(await rows('SELECT id, name, bal FROM acct WHERE id = 2')).toEqual([[2n, 'new', null]]);
    expect(e.getTable(P, 'acct')).toBeDefined();
    expect(await e.countRows(P, 'acct', {})).toBe(4);
    for (const sql of [
      `MERGE INTO acct t USING chg s ON t.id = s.id`,
      `MERGE INTO acct t USING chg s ON t.id = s.id WHEN MATCHED THEN INSERT VALUES (1)`,
      `MERGE INTO acct t USING (SELECT 1) ON TRUE WHEN MATCHED THEN DELETE`,
    ]) {
      await sqlError(e.execute(P, sql));
    }
  });
});
