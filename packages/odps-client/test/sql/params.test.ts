// Parameterized SQL: every value type renders as the literal MaxCompute reads back as that value, and
// placeholders are found only outside literals, quoted names and comments.
import { describe, expect, it } from 'vitest';
import { bindSqlParams, OdpsArgumentError, renderSqlValue, sql, Timestamp } from '@odps-ts/odps-client';

describe('renderSqlValue', () => {
  it.each([
    [null, 'NULL'],
    [true, 'TRUE'],
    [false, 'FALSE'],
    [42, '42'],
    [-7, '(-7)'],
    [1.5, "CAST('1.5' AS DOUBLE)"],
    [-0, "CAST('-0.0' AS DOUBLE)"],
    [Number.NaN, "CAST('NaN' AS DOUBLE)"],
    [Number.POSITIVE_INFINITY, "CAST('Infinity' AS DOUBLE)"],
    [9007199254740993n, 'CAST(9007199254740993 AS BIGINT)'],
    [-5n, 'CAST(-5 AS BIGINT)'],
    [-(1n << 63n), 'CAST(-9223372036854775807 - 1 AS BIGINT)'],
    ["it's", "'it\\'s'"],
    ['a\\b', "'a\\\\b'"],
    ['line\nbreak\r\ttab\0nul', "'line\\nbreak\\r\\ttab\\0nul'"],
    [new Uint8Array([0, 0x7f, 0x80, 0xff]), "UNHEX('007F80FF')"],
    [new Date(Date.UTC(2025, 0, 2, 3, 4, 5)), "DATETIME '2025-01-02 03:04:05'"],
    [new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 60)), "DATETIME '2025-01-02 03:04:05.060'"],
    [new Timestamp(0n, 5), "TIMESTAMP '1970-01-01 00:00:00.000000005'"],
    [[1, 'a', null], "1, 'a', NULL"],
    [sql.ident('my`table'), '`my``table`'],
    [sql.ident('proj', 't'), '`proj`.`t`'],
    [sql.decimal('-001.50'), "CAST('-1.50' AS DECIMAL(3,2))"],
    [sql.decimal(12n), "CAST('12' AS DECIMAL(2,0))"],
    [sql.date('0001-01-01'), "DATE '0001-01-01'"],
    [sql.raw('current_timestamp()'), 'current_timestamp()'],
  ] as Array<[unknown, string]>)('%o -> %s', (value, literal) => {
    expect(renderSqlValue(value)).toBe(literal);
  });

  it('writes Date and Timestamp in the given time zone', () => {
    const instant = new Date(Date.UTC(2025, 0, 1, 20, 0, 0));
    expect(renderSqlValue(instant, { timeZone: 'Asia/Shanghai' })).toBe("DATETIME '2025-01-02 04:00:00'");
    expect(renderSqlValue(Timestamp.fromDate(instant), { timeZone: 'America/New_York' })).toBe("TIMESTAMP '2025-01-01 15:00:00'");
    const yearOne = new Date(0);
    yearOne.setUTCFullYear(1, 0, 1); // Date.UTC(1, …) would mean 1901
    expect(renderSqlValue(yearOne)).toBe("DATETIME '0001-01-01 00:00:00'");
  });

  it.each([
    [undefined, /undefined.*use null/],
    [2 ** 53, /not a safe integer; pass a bigint/],
    [1n << 63n, /outside the BIGINT range/],
    ['x\uD800y', /lone UTF-16 surrogate/],
    [[], /empty list/],
    [[[1]], /nested lists/],
    [{ a: 1 }, /cannot render a Object/],
    [new Map(), /cannot render a Map/],
    [Symbol('s'), /cannot render/],
    [() => 1, /cannot render/],
    [new Date(Number.NaN), /invalid Date/],
    [new Date(Date.UTC(10000, 0, 1)), /year outside/],
    [new Date(Date.UTC(-1, 0, 1)), /year outside/],
  ] as Array<[unknown, RegExp]>)('refuses %o', (value, message) => {
    expect(() => renderSqlValue(value)).toThrow(OdpsArgumentError);
    expect(() => renderSqlValue(value)).toThrow(message);
  });

  it('refuses bad typed helpers and unknown zones', () => {
    expect(() => sql.decimal('1e5000')).toThrow(OdpsArgumentError);
    expect(() => sql.decimal('abc')).toThrow(/not a decimal/);
    expect(() => sql.decimal('1.1234567890123456789')).toThrow(/DECIMAL\(38,18\)/);
    expect(() => sql.decimal(Number.NaN)).toThrow(/not a decimal/);
    expect(() => sql.date('2025-02-30')).toThrow(/not a date/);
    expect(() => sql.date('0000-01-01')).toThrow(/not a date/);
    expect(() => sql.ident()).toThrow(/at least one name/);
    expect(() => sql.ident('')).toThrow(/non-empty/);
    expect(() => renderSqlValue(new Date(0), { timeZone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
  });
});

describe('sql tagged template', () => {
  it('quotes values, keeps literal text', () => {
    const name = "x' or '1'='1";
    const q = sql`select * from ${sql.ident('t')} where name = ${name} and id in (${[1n, 2n]})`;
    expect(q.render()).toBe("select * from `t` where name = 'x\\' or \\'1\\'=\\'1' and id in (CAST(1 AS BIGINT), CAST(2 AS BIGINT))");
  });

  it('nests fragments', () => {
    const where = sql`id = ${5}`;
    expect(sql`select 1 from t where ${where}`.render()).toBe('select 1 from t where id = 5');
  });
});

describe('bindSqlParams', () => {
  it('binds :name outside strings, quoted names and comments', () => {
    const text = "select ':a', \"\\\":a\", `x:a``:a`, :a -- :a\n/* :a */ , :b::string, @v := 1";
    expect(bindSqlParams(text, { a: 1, b: 'z' })).toBe("select ':a', \"\\\":a\", `x:a``:a`, 1 -- :a\n/* :a */ , 'z'::string, @v := 1");
  });

  it('reuses a name and fails on a missing or unused one', () => {
    expect(bindSqlParams('select :x + :x', { x: 2 })).toBe('select 2 + 2');
    expect(() => bindSqlParams('select :x, :y', { x: 1 })).toThrow(/:y has no value/);
    expect(() => bindSqlParams('select :x', { x: 1, typo: 2 })).toThrow(/:typo not used/);
    expect(() => bindSqlParams("select ':x'", { x: 1 })).toThrow(/:x not used/);
  });
});
