// Tokenizer, statement splitter and query translation units (no DuckDB).
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/engine/sql/tokenizer.js';
import { splitStatements } from '../../src/engine/sql/split.js';
import { translateQuery } from '../../src/engine/sql/translate.js';
import type { TableResolver } from '../../src/engine/sql/translate.js';
import { SqlError } from '../../src/engine/index.js';

const resolver: TableResolver = {
  resolve: (parts) => `"phys:${parts.join('.')}"`,
};

function tr(sql: string): string {
  return translateQuery(tokenize(sql), resolver);
}

describe('tokenizer and splitter', () => {
  it('keeps quotes, backticks and comments whole and reports positions', () => {
    const toks = tokenize("select 'a;b' -- c;d\n, `x;y`, \"q\\\"s\", 10L /* e; */ from t").filter((t) => t.kind !== 'ws');
    expect(toks.map((t) => [t.kind, t.value])).toEqual([
      ['word', 'select'], ['string', 'a;b'], ['op', ','], ['qident', 'x;y'], ['op', ','], ['string', 'q"s'], ['op', ','],
      ['number', '10'], ['word', 'from'], ['word', 't'],
    ]);
    expect(toks[7]!.suffix).toBe('L');
    expect([toks[2]!.line, toks[2]!.col]).toEqual([2, 1]);
  });

  it('splits at top-level semicolons only and drops empty statements', () => {
    const sql = "set a=1;\n;select ';' as x; -- trailing\n /* only comment */;";
    expect(splitStatements(sql, tokenize(sql)).map((s) => s.text)).toEqual(['set a=1', "select ';' as x"]);
  });

  it('rejects unterminated literals with a parse error', () => {
    expect(() => tokenize("select 'abc")).toThrow(SqlError);
    expect(() => tokenize('select `abc')).toThrow(/ODPS-0130161:\[1,8\]/);
  });
});

describe('query translation', () => {
  it('resolves tables after FROM/JOIN/comma but not columns, aliases or CTEs', () => {
    expect(tr('SELECT a.x, b.y FROM p.t1 a JOIN t2 b ON a.id = b.id, `t3` WHERE a.x IN (1, 2)')).toBe(
      'SELECT a.x, b.y FROM "phys:p.t1" a JOIN "phys:t2" b ON a.id = b.id, "phys:t3" WHERE a.x IN(1, 2)',
    );
    expect(tr('WITH c AS (SELECT 1 AS v FROM t) SELECT * FROM c, (SELECT 2) s')).toBe(
      'WITH c AS(SELECT 1 AS v FROM "phys:t") SELECT * FROM "c", (SELECT 2) s',
    );
  });

  it('rewrites literals, types, operators and MaxCompute functions', () => {
    expect(tr(`SELECT "it's", 'a\\tb', 5Y, 1.5BD, x == 1, CAST(y AS datetime), CAST(z AS map<string,array<bigint>>)`)).toBe(
      "SELECT 'it''s', 'a\tb', CAST(5 AS TINYINT), CAST(1.5 AS DECIMAL(38,18)), x = 1, CAST(y AS TIMESTAMP_MS), CAST(z AS MAP(VARCHAR, BIGINT[]))",
    );
    expect(tr("SELECT NVL(a, 0), WM_CONCAT(',', b), COLLECT_SET(c), DECODE(d, 1, 'x', 'y')")).toBe(
      "SELECT coalesce(a, 0), string_agg(b, ','), list(DISTINCT c), CASE d WHEN 1 THEN 'x' ELSE 'y' END",
    );
    expect(tr("SELECT * FROM a LEFT SEMI JOIN b ON a.k = b.k WHERE s RLIKE 'x+'")).toBe(
      `SELECT * FROM "phys:a" SEMI JOIN "phys:b" ON a.k = b.k WHERE s ~ '(?s).*(?:x+).*'`,
    );
    expect(tr("SELECT arr[0], m['k'], split(x, ',')[i + 1], [1, 2] FROM t")).toBe(
      `SELECT arr[(0) + 1], m['k'], string_split_regex(x, ',')[(i + 1) + 1], [1, 2] FROM "phys:t"`,
    );
    expect(tr('SELECT at FROM t SORT BY at')).toBe('SELECT "at" FROM "phys:t" ORDER BY "at"');
  });

  it('names unsupported constructs', () => {
    expect(() => tr("SELECT TO_CHAR(d, fmt) FROM t")).toThrow(/TO_CHAR: the format must be a string literal/);
    expect(() => tr("SELECT DATEADD(d, 1, 'fortnight')")).toThrow(/unsupported or non-literal date part 'fortnight'/);
    expect(() => tr('SELECT * FROM t DISTRIBUTE BY a')).toThrow(/DISTRIBUTE BY is not supported/);
  });
});
