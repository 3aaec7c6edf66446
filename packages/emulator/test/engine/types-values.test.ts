// Every ODPS type through DDL, INSERT ... VALUES / SELECT and the writeRows/readRows API, in the exact value model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '@odps-ts/odps-client';
import { createEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

const ALL_TYPES_DDL = `
CREATE TABLE all_types (
  c_bool BOOLEAN COMMENT 'flag',
  c_tiny TINYINT,
  c_small SMALLINT,
  c_int INT,
  c_big BIGINT,
  c_float FLOAT,
  c_double DOUBLE,
  c_dec DECIMAL(20,4),
  c_legacy_dec DECIMAL,
  c_str STRING,
  c_varchar VARCHAR(10),
  c_char CHAR(4),
  c_json JSON,
  c_bin BINARY,
  c_datetime DATETIME,
  c_date DATE,
  c_ts TIMESTAMP,
  c_ts_ntz TIMESTAMP_NTZ,
  c_arr ARRAY<BIGINT>,
  c_map MAP<STRING,ARRAY<INT>>,
  c_struct STRUCT<a:INT, \`b c\`:STRING, d:ARRAY<DOUBLE>>
) COMMENT 'every type' LIFECYCLE 7`;

describe('types and values', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await createEngine({});
    await e.execute('p1', ALL_TYPES_DDL);
  });
  afterAll(() => e.close());

  it('records ODPS column types, comment and lifecycle', () => {
    const t = e.getTable('p1', 'all_types')!;
    expect(t.type).toBe('MANAGED_TABLE');
    expect(t.comment).toBe('every type');
    expect(t.lifecycle).toBe(7);
    expect(t.partitionKeys).toEqual([]);
    expect(t.columns.map((c) => c.type)).toEqual([
      'boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'decimal(20,4)', 'decimal',
      'string', 'varchar(10)', 'char(4)', 'json', 'binary', 'datetime', 'date', 'timestamp', 'timestamp_ntz',
      'array<bigint>', 'map<string,array<int>>', 'struct<a:int,`b c`:string,d:array<double>>',
    ]);
    expect(t.columns[0]).toMatchObject({ name: 'c_bool', comment: 'flag' });
  });

  it('round-trips SQL literals into the value model', async () => {
    await e.execute(
      'p1',
      `INSERT INTO all_types VALUES (true, 1, 2, 3, 9007199254740993, 1.5, 2.25, 12345.6789, 1.5,
        'str', 'vc', 'ch', '{"a":1}', CAST('bin' AS BINARY), CAST('2025-01-02 03:04:05.678' AS DATETIME),
        CAST('2025-02-03' AS DATE), CAST('1969-12-31 23:59:59.123456789' AS TIMESTAMP), CAST('2025-01-01 00:00:00.000000001' AS TIMESTAMP_NTZ),
        ARRAY(1, 2, 3), MAP('k', ARRAY(1, 2)), NAMED_STRUCT('a', 1, 'b c', 'x', 'd', ARRAY(0.5)))`,
    );
    const r = await e.execute('p1', 'SELECT * FROM all_types');
    expect(r.isSelect).toBe(true);
    expect(r.columns.map((c) => c.type)).toEqual(e.getTable('p1', 'all_types')!.columns.map((c) => c.type));
    const row = r.rows[0]!;
    expect(row.slice(0, 13)).toEqual([
      true, 1, 2, 3, 9007199254740993n, 1.5, 2.25, '12345.6789', '1.500000000000000000', 'str', 'vc', 'ch  ', '{"a":1}',
    ]);
    expect(row[13]).toEqual(new Uint8Array([98, 105, 110]));
    expect(row[14]).toEqual(new Date('2025-01-02T03:04:05.678Z'));
    expect(row[15]).toBe('2025-02-03');
    const ts = row[16] as Timestamp;
    expect(ts).toBeInstanceOf(Timestamp);
    expect(ts.epochSeconds).toBe(-1n);
    expect(ts.nanos).toBe(123456789);
    expect((row[17] as Timestamp).nanos).toBe(1);
    expect(row[18]).toEqual([1n, 2n, 3n]);
    expect(row[19]).toEqual(new Map([['k', [1, 2]]]));
    expect(row[20]).toEqual({ a: 1, 'b c': 'x', d: [0.5] });
  });

  it('round-trips the value model through writeRows/readRows, nulls included', async () => {
    await e.execute('p1', 'CREATE TABLE all_types2 LIKE all_types');
    const full = [
      false, -128, -32768, -2147483648, -(2n ** 63n), -0.5, 1e300, '-0.0001', '123456789.123456789012345678',
      'ünïcode', 'v', 'c', '[]', new Uint8Array([0, 255]), new Date(-1), '1900-03-01',
      new Timestamp(-100n, 999999999), new Timestamp(4102444800n, 5), [null, 7n],
      new Map([['a', [1]], ['b', null]]), { a: null, 'b c': 'y', d: [] },
    ];
    const nulls = full.map(() => null);
    await e.writeRows('p1', 'all_types2', [full, nulls], {});
    const rows = await e.readRows('p1', 'all_types2', {});
    expect(rows).toHaveLength(2);
    // CHAR(4) reads back blank-padded to its length.
    expect(rows[0]).toEqual(full.map((v, i) => (i === 11 ? 'c   ' : v)));
    expect(rows[1]).toEqual(nulls);
  });

  it('accepts the write-side alternatives of the value model', async () => {
    await e.execute('p1', 'CREATE TABLE alt (b BIGINT, i INT, d DECIMAL(10,2), s STRING, bin BINARY, dt DATETIME, dd DATE, ts TIMESTAMP, m MAP<STRING,BIGINT>)');
    await e.writeRows('p1', 'alt', [[5, 6n, 1.005, new TextEncoder().encode('hi'), 'text', 1000, new Date(Date.UTC(2024, 1, 29, 13)), new Date(1500), { x: 1 }]], {});
    const [row] = await e.readRows('p1', 'alt', {});
    expect(row).toEqual([5n, 6, '1.01', 'hi', new TextEncoder().encode('text'), new Date(1000), '2024-02-29', new Timestamp(1n, 500_000_000), new Map([['x', 1n]])]);
  });

  it('rejects values that do not fit, naming row and column, and writes nothing', async () => {
    await e.execute('p1', 'CREATE TABLE strict_t (a BIGINT, d DECIMAL(5,2))');
    await expect(e.writeRows('p1', 'strict_t', [[1n, '1.00'], [2n, '12345.00']], {})).rejects.toThrow(/row 1, column d/);
    await expect(e.writeRows('p1', 'strict_t', [['x', '1']], {})).rejects.toThrow(/expected a bigint/);
    await expect(e.writeRows('p1', 'strict_t', [[1n]], {})).rejects.toThrow(/has 1 values/);
    expect(await e.countRows('p1', 'strict_t', {})).toBe(0);
  });

  it('indexes arrays from 0 and maps by key', async () => {
    const r = await e.execute('p1', "SELECT c_arr[0] AS first, c_map['k'][1] AS second, c_struct.a AS a FROM all_types WHERE c_big IS NOT NULL AND c_arr IS NOT NULL LIMIT 1");
    expect(r.rows).toEqual([[1n, 2, 1]]);
  });

  it('reports interval results and ODPS types of expressions', async () => {
    const r = await e.execute(
      'p1',
      `SELECT 1 AS i, 10000000000 AS b, 1.5 AS d, CAST(1 AS DOUBLE) AS f, 'x' AS s, TRUE AS t,
              CAST('2025-01-02 00:00:00' AS DATETIME) - CAST('2025-01-01 00:00:00' AS DATETIME) AS iv, INTERVAL 14 MONTH AS ym, COUNT(*) FROM all_types`,
    );
    expect(r.columns).toEqual([
      { name: 'i', type: 'int' }, { name: 'b', type: 'bigint' }, { name: 'd', type: 'double' },
      { name: 'f', type: 'double' }, { name: 's', type: 'string' }, { name: 't', type: 'boolean' },
      { name: 'iv', type: 'interval_day_time' }, { name: 'ym', type: 'interval_day_time' }, { name: '_c8', type: 'bigint' },
    ]);
    expect(r.rows[0]![6]).toEqual(new IntervalDayTime(86400n, 0));
    expect(r.rows[0]![7]).toEqual(new IntervalYearMonth(14));
    expect(r.rows[0]![8]).toBe(1n);
  });
});
