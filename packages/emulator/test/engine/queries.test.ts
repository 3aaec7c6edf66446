// SELECT translation: joins/aggregates, names (project.table, backticks), functions, SET hints, scripts and errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, SqlError } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

async function sqlError(p: Promise<unknown>): Promise<SqlError> {
  const err = await p.then(() => undefined, (x: unknown) => x);
  expect(err).toBeInstanceOf(SqlError);
  return err as SqlError;
}

describe('queries', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await createEngine({});
    await e.execute(
      'shop',
      `-- a script: comments, several statements, backticks
       CREATE TABLE \`users\` (id BIGINT, name STRING, city STRING);
       CREATE TABLE orders (id BIGINT, user_id BIGINT, amount DECIMAL(10,2), at DATETIME) PARTITIONED BY (ds STRING);
       INSERT INTO users VALUES (1, 'ann', 'hz'), (2, 'bob', 'sh'), (3, "o'neil", 'hz');
       INSERT INTO orders PARTITION (ds='20250101') VALUES
         (10, 1, 5.50, CAST('2025-01-01 10:00:00' AS DATETIME)),
         (11, 1, 4.50, CAST('2025-01-01 11:00:00' AS DATETIME)),
         (12, 2, 1.25, CAST('2025-01-01 12:00:00' AS DATETIME));
       INSERT INTO orders PARTITION (ds='20250102') VALUES (13, 3, 100.00, CAST('2025-01-02 09:30:00' AS DATETIME));`,
    );
  });
  afterAll(() => e.close());

  it('joins, groups, orders and limits', async () => {
    const r = await e.execute(
      'shop',
      `SELECT u.city, COUNT(*) AS n, SUM(o.amount) AS total
       FROM orders o JOIN users u ON o.user_id = u.id
       GROUP BY u.city ORDER BY total DESC LIMIT 10`,
    );
    expect(r.columns).toEqual([{ name: 'city', type: 'string' }, { name: 'n', type: 'bigint' }, { name: 'total', type: 'decimal(38,2)' }]);
    expect(r.rows).toEqual([['hz', 3n, '110.00'], ['sh', 1n, '1.25']]);
    const c = await e.execute('shop', 'SELECT name FROM users, orders WHERE users.id = orders.user_id AND orders.ds = 20250102');
    expect(c.rows).toEqual([["o'neil"]]);
  });

  it('resolves project.table, three-part names, backticks and CTEs', async () => {
    const r = await e.execute('other', 'SELECT count(*) AS n FROM shop.`orders`');
    expect(r.rows).toEqual([[4n]]);
    const r3 = await e.execute('other', 'SELECT max(id) FROM shop.default.users');
    expect(r3.rows).toEqual([[3n]]);
    const w = await e.execute('shop', 'WITH big AS (SELECT * FROM orders WHERE amount > 5) SELECT `id` FROM big ORDER BY id');
    expect(w.rows).toEqual([[10n], [13n]]);
    const sub = await e.execute('shop', 'SELECT name FROM users WHERE id IN (SELECT user_id FROM orders WHERE ds = "20250101") ORDER BY 1');
    expect(sub.rows).toEqual([['ann'], ['bob']]);
  });

  it('translates MaxCompute functions and literals', async () => {
    const r = await e.execute(
      'shop',
      `SELECT NVL(NULL, 'd') AS a, TO_CHAR(at, 'yyyy-mm-dd hh:mi:ss') AS b, DATEADD(at, 1, 'dd') AS c,
              DATEDIFF(CAST('2025-03-01 00:00:00' AS DATETIME), at, 'dd') AS d, TO_DATE('2025-01-05') AS e,
              TO_DATE('20250105', 'yyyymmdd') AS f, CONCAT('a', name) AS g, CONCAT('a', NULL) AS h,
              DECODE(user_id, 1, 'one', 2, 'two', 'many') AS i, 10L AS j, 'it\\'s' AS k, IF(amount > 2, 'y', 'n') AS l
       FROM orders JOIN users ON users.id = orders.user_id WHERE orders.id = 10`,
    );
    expect(r.rows[0]).toEqual([
      'd', '2025-01-01 10:00:00', new Date('2025-01-02T10:00:00Z'), 59n, '2025-01-05', new Date('2025-01-05T00:00:00Z'),
      'aann', null, 'one', 10n, "it's", 'y',
    ]);
    // (h, a constant NULL, is typed by DuckDB's constant folding and not asserted)
    expect(r.columns.map((c) => c.type).filter((_, i) => i !== 7)).toEqual([
      'string', 'string', 'datetime', 'bigint', 'date', 'datetime', 'string', 'string', 'bigint', 'string', 'string',
    ]);
    const agg = await e.execute('shop', "SELECT WM_CONCAT(',', name) AS names, COLLECT_LIST(id) AS ids FROM (SELECT * FROM users ORDER BY id) t");
    expect(agg.rows[0]).toEqual(['ann,bob,o\'neil', [1n, 2n, 3n]]);
    const now = await e.execute('shop', 'SELECT GETDATE() AS now');
    expect(now.columns[0]!.type).toBe('datetime');
    expect(Math.abs((now.rows[0]![0] as Date).getTime() - Date.now())).toBeLessThan(60_000);
    const mp = await e.execute('shop', "SELECT MAX_PT('orders') AS pt");
    expect(mp.rows).toEqual([['20250102']]);
  });

  it('applies SET lines as hints and returns the last statement result', async () => {
    const r = await e.execute('shop', "SET odps.sql.allow.fullscan=true;\nSET odps.sql.type.system.odps2 = true;\nSELECT 1 AS one;");
    expect(r.rows).toEqual([[1]]);
    const only = await e.execute('shop', 'set odps.sql.timezone=UTC;');
    expect(only).toEqual({ columns: [], rows: [], isSelect: false });
    const ddl = await e.execute('shop', 'CREATE TABLE tmp1 (a BIGINT); DROP TABLE tmp1;');
    expect(ddl.isSelect).toBe(false);
    expect(e.getTable('shop', 'tmp1')).toBeUndefined();
  });

  it('supports views, CTAS, DESC, SHOW TABLES and SHOW CREATE TABLE', async () => {
    await e.execute('shop', "CREATE VIEW v_city COMMENT 'by city' AS SELECT city, count(*) AS n FROM users GROUP BY city");
    const v = e.getTable('shop', 'v_city')!;
    expect(v.type).toBe('VIRTUAL_VIEW');
    expect(v.viewText).toBe('SELECT city, count(*) AS n FROM users GROUP BY city');
    expect(v.columns).toEqual([{ name: 'city', type: 'string' }, { name: 'n', type: 'bigint' }]);
    expect((await e.execute('shop', 'SELECT n FROM v_city WHERE city = "hz"')).rows).toEqual([[2n]]);

    await e.execute('shop', 'CREATE TABLE ctas LIFECYCLE 1 AS SELECT id, amount, at FROM orders WHERE ds = "20250101"');
    const ct = e.getTable('shop', 'ctas')!;
    expect(ct.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:bigint', 'amount:decimal(10,2)', 'at:datetime']);
    expect(ct.lifecycle).toBe(1);
    expect(await e.countRows('shop', 'ctas', {})).toBe(3);

    const d = await e.execute('shop', 'DESC orders');
    expect(d.rows).toEqual([
      ['id', 'bigint', '', 'false'], ['user_id', 'bigint', '', 'false'], ['amount', 'decimal(10,2)', '', 'false'],
      ['at', 'datetime', '', 'false'], ['ds', 'string', '', 'true'],
    ]);
    expect(d.text).toContain('Partition Columns:');
    const tables = await e.execute('shop', "SHOW TABLES LIKE 'o*'");
    expect(tables.rows.map((r) => r[1])).toEqual(['orders']);
    const sc = await e.execute('shop', 'SHOW CREATE TABLE orders');
    expect(sc.text).toContain('PARTITIONED BY (\n    `ds` STRING');
    expect(e.listTables('shop').map((t) => t.name)).toEqual(['ctas', 'orders', 'users', 'v_city']);
    expect(e.listTables('shop', { type: 'VIRTUAL_VIEW' }).map((t) => t.name)).toEqual(['v_city']);
    expect(e.listTables('shop', { prefix: 'us' }).map((t) => t.name)).toEqual(['users']);
  });

  it('ALTER TABLE lifecycle/comment/columns/rename', async () => {
    await e.execute('shop', 'CREATE TABLE alt (a BIGINT)');
    await e.execute('shop', "ALTER TABLE alt SET LIFECYCLE 9; ALTER TABLE alt SET COMMENT 'c'; ALTER TABLE alt ADD COLUMNS (b STRING COMMENT 'bee')");
    await e.execute('shop', 'INSERT INTO alt VALUES (1, "x")');
    await e.execute('shop', 'ALTER TABLE alt RENAME TO alt2');
    const t = e.getTable('shop', 'alt2')!;
    expect([t.lifecycle, t.comment, t.columns.at(-1)]).toEqual([9, 'c', { name: 'b', type: 'string', comment: 'bee' }]);
    expect(await e.readRows('shop', 'alt2', {})).toEqual([[1n, 'x']]);
    expect(e.getTable('shop', 'alt')).toBeUndefined();
  });

  it('raises ODPS-coded errors without leaking DuckDB internals', async () => {
    const parse = await sqlError(e.execute('shop', 'SELEC 1'));
    expect(parse.odpsCode).toBe('ODPS-0130161');
    expect(parse.message).toMatch(/^ODPS-0130161:\[1,1\] Parse exception - /);

    const missing = await sqlError(e.execute('shop', 'SELECT 1;\n  SELECT * FROM nope'));
    expect(missing.odpsCode).toBe('ODPS-0130131');
    expect(missing.message).toBe('ODPS-0130131:[2,17] Table not found - table shop.nope cannot be resolved');
    expect(missing.kind).toBe('no_such_table');

    const col = await sqlError(e.execute('shop', 'SELECT nosuch FROM users'));
    expect(col.odpsCode).toBe('ODPS-0130071');
    expect(col.message).toMatch(/Semantic analysis exception - .*nosuch/);
    expect(col.message).not.toMatch(/\n|odps:shop/);

    const dup = await sqlError(e.execute('shop', 'CREATE TABLE users (a BIGINT)'));
    expect(dup.kind).toBe('already_exists');
    await e.execute('shop', 'CREATE TABLE IF NOT EXISTS users (a BIGINT)');
    await e.execute('shop', 'DROP TABLE IF EXISTS never_there');
    expect((await sqlError(e.execute('shop', 'DROP TABLE never_there'))).odpsCode).toBe('ODPS-0130131');
    expect((await sqlError(e.execute('shop', 'CREATE TABLE t_bad (a BIGNUMBER)'))).message).toMatch(/invalid type 'BIGNUMBER'/);
    expect((await sqlError(e.execute('shop', "SELECT 'abc"))).odpsCode).toBe('ODPS-0130161');
    expect((await sqlError(e.execute('shop', "SELECT a FROM users LATERAL VIEW json_tuple(x, 'k') t AS y"))).message).toMatch(/LATERAL VIEW/);
    expect((await sqlError(e.execute('shop', 'SELECT CAST("x" AS BIGINT)'))).odpsCode).toBe('ODPS-0123091');
  });

  it('a failing statement rolls back its own changes and the catalog', async () => {
    await sqlError(e.execute('shop', "CREATE TABLE half (a BIGINT) ; INSERT INTO half SELECT CAST('x' AS BIGINT)"));
    expect(e.getTable('shop', 'half')).toBeDefined();
    expect(await e.countRows('shop', 'half', {})).toBe(0);
    await sqlError(e.execute('shop', "INSERT INTO orders PARTITION (ds='new') SELECT CAST('x' AS BIGINT), 1, 1, NULL"));
    expect(e.listPartitions('shop', 'orders').map((p) => p.spec.ds)).toEqual(['20250101', '20250102']);
  });
});
