// SQL forms the service accepts: script variables, LATERAL VIEW explode/posexplode, EXPLAIN, CHAR(n) padding, decimal literal types.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, SqlError } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

async function sqlError(p: Promise<unknown>): Promise<SqlError> {
  const err = await p.then(() => undefined, (x: unknown) => x);
  expect(err).toBeInstanceOf(SqlError);
  return err as SqlError;
}

const P = 'forms';

describe('SQL forms', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await createEngine({});
    await e.execute(
      P,
      `CREATE TABLE arr (id BIGINT, tags ARRAY<STRING>, attrs MAP<STRING, BIGINT>);
       INSERT INTO arr SELECT 1, array('a', 'b'), map('x', 1L, 'y', 2L);
       INSERT INTO arr SELECT 2, CAST(array() AS ARRAY<STRING>), CAST(NULL AS MAP<STRING, BIGINT>);
       CREATE TABLE nums (n BIGINT, g STRING);
       INSERT INTO nums VALUES (1, 'a'), (2, 'a'), (3, 'b');`,
    );
  });
  afterAll(() => e.close());

  const run = (sql: string) => e.execute(P, sql);

  it('script variables: a table variable in FROM/JOIN, a scalar in an expression, chained definitions', async () => {
    const r = await run(`@big := SELECT n, g FROM nums WHERE n > 1;
      @cnt := SELECT count(*) FROM nums;
      @again := SELECT * FROM @big WHERE g = 'a';
      SELECT big.n, @cnt AS total, a.g FROM @big JOIN @again a ON big.n = a.n ORDER BY big.n`);
    expect(r.rows).toEqual([[2n, 3n, 'a']]);
    expect(r.columns.map((c) => c.name)).toEqual(['n', 'total', 'g']);
    // `@v:=` without spaces, and an INSERT reading a variable.
    await run(`CREATE TABLE copy_t (n BIGINT, g STRING); @v:=SELECT * FROM nums WHERE g = 'b'; INSERT INTO copy_t SELECT * FROM @v`);
    expect((await run('SELECT * FROM copy_t')).rows).toEqual([[3n, 'b']]);
  });

  it('script variables: undefined, malformed, and scoped to one script', async () => {
    for (const [sql, msg] of [
      [`SELECT * FROM @nope`, /variable @nope is not defined/],
      [`@v := ; SELECT 1`, /expecting a query or expression after @v :=/],
      [`@ := SELECT 1`, /expecting a variable name after '@'/],
      [`SELECT 1 FROM nums WHERE n = @`, /expecting a variable name after '@'/],
    ] as const) {
      const err = await sqlError(run(sql));
      expect(err.message, sql).toMatch(msg);
    }
    await run(`@kept := SELECT 1`);
    await expect(run(`SELECT * FROM @kept`)).rejects.toThrow(/variable @kept is not defined/);
  });

  it('LATERAL VIEW explode of an array and a map, OUTER, posexplode, chained', async () => {
    const a = await run(`SELECT id, t FROM arr LATERAL VIEW explode(tags) tf AS t ORDER BY id, t`);
    expect(a.rows).toEqual([[1n, 'a'], [1n, 'b']]);
    const o = await run(`SELECT id, t FROM arr LATERAL VIEW OUTER explode(tags) tf AS t ORDER BY id, t`);
    expect(o.rows).toEqual([[1n, 'a'], [1n, 'b'], [2n, null]]);
    const m = await run(`SELECT a.id, kv.k, kv.v FROM arr a LATERAL VIEW explode(a.attrs) kv AS k, v ORDER BY k`);
    expect(m.rows).toEqual([[1n, 'x', 1n], [1n, 'y', 2n]]);
    const p = await run(`SELECT pos, t FROM arr LATERAL VIEW posexplode(tags) pt AS pos, t WHERE id = 1 ORDER BY pos`);
    expect(p.rows).toEqual([[0n, 'a'], [1n, 'b']]);
    const c = await run(`SELECT count(*) FROM arr LATERAL VIEW explode(tags) t1 AS x LATERAL VIEW explode(tags) t2 AS y`);
    expect(c.rows).toEqual([[4n]]);
    const g = await run(`SELECT t, count(*) AS n FROM (SELECT tags FROM arr) s LATERAL VIEW explode(s.tags) e AS t GROUP BY t ORDER BY t`);
    expect(g.rows).toEqual([['a', 1n], ['b', 1n]]);
  });

  it('LATERAL VIEW forms the emulator does not model fail with a clear error', async () => {
    for (const [sql, msg] of [
      [`SELECT * FROM arr LATERAL VIEW json_tuple(tags, 'a') j AS x`, /LATERAL VIEW json_tuple .* not supported by the emulator/],
      [`SELECT * FROM arr LATERAL VIEW explode(tags)`, /expecting a table alias in LATERAL VIEW/],
      [`SELECT * FROM arr LATERAL VIEW explode(tags) t AS`, /expecting a column alias in LATERAL VIEW/],
      [`SELECT * FROM arr LATERAL VIEW explode() t AS x`, /explode needs an argument/],
      [`SELECT * FROM arr LATERAL VIEW explode tags t AS x`, /expecting '\(' after explode/],
    ] as const) {
      const err = await sqlError(run(sql));
      expect(err.message, sql).toMatch(msg);
    }
  });

  it('EXPLAIN of a query returns a plan as text and runs nothing', async () => {
    const r = await run(`EXPLAIN SELECT g, sum(n) FROM nums GROUP BY g`);
    expect(r.isSelect).toBe(false);
    expect(r.text).toMatch(/^Job Queueing\.\.\.\n/);
    expect(r.text).toMatch(/In Job Job0:/);
    expect(r.text).toMatch(/AGGREGATE|GROUP_BY/);
    expect(r.rows).toEqual([[r.text]]);
    const err = await sqlError(run(`EXPLAIN INSERT INTO nums VALUES (9, 'z')`));
    expect(err.message).toMatch(/EXPLAIN INSERT is not supported by the emulator/);
    await expect(run(`EXPLAIN`)).rejects.toThrow(/expecting a statement to explain/);
    await expect(run(`EXPLAIN SELECT * FROM nope`)).rejects.toThrow(/Table not found/);
    expect((await run('SELECT count(*) FROM nums')).rows).toEqual([[3n]]);
  });

  it('CHAR(n) values read back blank-padded to n, through SQL and readRows', async () => {
    await run(`CREATE TABLE ch (c CHAR(5), v VARCHAR(5), p BIGINT) PARTITIONED BY (ds STRING);
               INSERT INTO ch PARTITION (ds='1') VALUES ('ab', 'ab', 1), ('abcde', 'abcde', 2), (NULL, NULL, 3)`);
    await e.writeRows(P, 'ch', [['x', 'x', 4n]], { partition: { ds: '1' } });
    expect((await run('SELECT c, v FROM ch ORDER BY p')).rows).toEqual([['ab   ', 'ab'], ['abcde', 'abcde'], [null, null], ['x    ', 'x']]);
    expect(await e.readRows(P, 'ch', { partition: { ds: '1' }, columns: ['c'] })).toEqual([['ab   '], ['abcde'], [null], ['x    ']]);
    await run(`UPDATE ch SET c = 'q' WHERE p = 1`).catch(() => undefined); // not transactional: refused, table unchanged
    await run(`CREATE TABLE cht (id BIGINT NOT NULL PRIMARY KEY, c CHAR(3)) TBLPROPERTIES ('transactional'='true');
               INSERT INTO cht VALUES (1, 'a'); UPDATE cht SET c = 'z' WHERE id = 1`);
    expect((await run('SELECT c FROM cht')).rows).toEqual([['z  ']]);
  });

  it('unsuffixed decimal literals are DOUBLE, BD is DECIMAL, D and F suffixes are DOUBLE and FLOAT', async () => {
    const r = await run(`SELECT 1.5 AS a, 2.5e2 AS b, 1.5BD AS c, 3.14D AS d, 1.5F AS f, 7 AS i, 0.1 + 0.2 AS s`);
    expect(r.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['a:double', 'b:double', 'c:decimal(38,18)', 'd:double', 'f:float', 'i:int', 's:double']);
    expect(r.rows[0]!.slice(0, 2)).toEqual([1.5, 250]);
    expect(r.rows[0]![6]).toBeCloseTo(0.3, 12);
    // Longer literals stay exact (DECIMAL), so they fill DECIMAL columns without rounding.
    const long = await run(`SELECT 12345678901234567890.123456789012345678 AS x, 0.1234567890123456 AS y`);
    expect(long.columns.map((c) => c.type)).toEqual(['decimal(38,18)', 'decimal(17,16)']);
    expect(long.rows).toEqual([['12345678901234567890.123456789012345678', '0.1234567890123456']]);
    // A DOUBLE literal still fills a DECIMAL column exactly.
    await run(`CREATE TABLE dec_t (d DECIMAL(10,2)); INSERT INTO dec_t VALUES (5.50), (1.25)`);
    expect((await run('SELECT d FROM dec_t ORDER BY d')).rows).toEqual([['1.25'], ['5.50']]);
  });
});
