import { describe, it, expect } from 'vitest';
import { coerceValue, parseType, Timestamp, ValueTypeError } from '../../src/types/index.js';
import { OdpsError } from '../../src/errors.js';
import type { IntervalYearMonth } from '../../src/types/index.js';

const c = (t: string, v: unknown): unknown => coerceValue(parseType(t), v, 'col');
const bad = (t: string, v: unknown, re?: RegExp): void => {
  let err: unknown;
  try { c(t, v); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(ValueTypeError);
  expect(err).toBeInstanceOf(OdpsError);
  expect((err as ValueTypeError).code).toBe('ValueTypeError');
  expect((err as ValueTypeError).column).toMatch(/^col/);
  if (re) expect((err as Error).message).toMatch(re);
};

describe('coerceValue', () => {
  it('null/undefined', () => {
    expect(c('int', undefined)).toBeNull();
    expect(c('array<int>', null)).toBeNull();
  });

  it('integers with ranges', () => {
    expect(c('tinyint', 127)).toBe(127);
    expect(c('tinyint', -128n)).toBe(-128);
    bad('tinyint', 128, /out of range/);
    bad('smallint', -32769);
    expect(c('smallint', 32767)).toBe(32767);
    expect(c('int', 2147483647n)).toBe(2147483647);
    bad('int', 2147483648n);
    bad('int', 1.5, /not an integer/);
    bad('int', '1', /got string/);
    expect(c('bigint', 5)).toBe(5n);
    expect(c('bigint', 2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
    bad('bigint', -(2n ** 63n));
    bad('bigint', 2 ** 53, /safe integer/);
  });

  it('floats and booleans', () => {
    expect(c('double', NaN)).toBeNaN();
    expect(c('float', -0)).toBe(-0);
    bad('double', 1n);
    expect(c('boolean', false)).toBe(false);
    bad('boolean', 0);
  });

  it('decimals normalize to plain text and check precision', () => {
    expect(c('decimal(10,2)', '123.45')).toBe('123.45');
    expect(c('decimal(10,2)', '+1.50')).toBe('1.50');
    expect(c('decimal(10,2)', 1.5)).toBe('1.5');
    expect(c('decimal(10,2)', 12n)).toBe('12');
    expect(c('decimal(10,0)', '1E+2')).toBe('100');
    expect(c('decimal(10,5)', '1.5e-3')).toBe('0.0015');
    expect(c('decimal(10,2)', '1.2300')).toBe('1.23');
    expect(c('decimal(38,0)', '99999999999999999999999999999999999999')).toBe('99999999999999999999999999999999999999');
    expect(c('decimal(38,18)', '-0.000')).toBe('0.000');
    expect(c('decimal', 1e21)).toBe('1000000000000000000000');
    expect(c('decimal(10,2)', '.5')).toBe('0.5');
    bad('decimal(10,2)', '1.234', /fraction digits/);
    bad('decimal(4,2)', '123', /integer digits/);
    bad('decimal(10,2)', 'abc');
    bad('decimal(10,2)', NaN);
    bad('decimal(10,2)', '1e');
    bad('decimal', '1' + '0'.repeat(36));
  });

  it('strings, binary, varchar length', () => {
    expect(c('string', 'x')).toBe('x');
    const b = new Uint8Array([0xff]);
    expect(c('string', b)).toBe(b);
    bad('json', b);
    expect(c('binary', 'é')).toEqual(new Uint8Array([0xc3, 0xa9]));
    expect(c('varchar(2)', '😀😀')).toBe('😀😀');
    bad('varchar(2)', 'abc', /longer than 2/);
    bad('char(1)', 'ab');
    bad('string', 1);
  });

  it('time types', () => {
    expect(c('datetime', 1000)).toEqual(new Date(1000));
    const d = new Date(Date.UTC(2020, 1, 29, 23, 0));
    expect(c('datetime', d)).toBe(d);
    bad('datetime', 1.5);
    bad('datetime', new Date(NaN));
    expect(c('date', d)).toBe('2020-02-29');
    expect(c('date', '2020-02-29')).toBe('2020-02-29');
    bad('date', '2021-02-29');
    bad('date', '10000-01-01', /outside/);
    const ts = c('timestamp', new Date(-1500)) as Timestamp;
    expect(ts.equals(new Timestamp(-2n, 500_000_000))).toBe(true);
    bad('timestamp', '2020-01-01');
    expect((c('interval_year_month', 14) as IntervalYearMonth).months).toBe(14);
  });

  it('vectors', () => {
    expect(c('vector(float,2)', new Float32Array([1, 2]))).toEqual([1, 2]);
    expect(c('vector(double,2)', [1, 2])).toEqual([1, 2]);
    bad('vector(float,3)', [1, 2], /dimension 2/);
    bad('vector(float,2)', [1, 'x']);
  });

  it('complex types with paths', () => {
    expect(c('map<string,bigint>', { a: 1 })).toEqual(new Map([['a', 1n]]));
    expect(c('map<int,string>', new Map([[1, 'x']]))).toEqual(new Map([[1, 'x']]));
    expect(c('struct<a:int,B:string>', { b: 'x', a: 1 })).toEqual({ a: 1, B: 'x' });
    expect(Object.keys(c('struct<a:int,b:string>', { b: 'x', a: 1 }) as object)).toEqual(['a', 'b']);
    expect(c('struct<a:int,b:string>', {})).toEqual({ a: null, b: null });
    bad('struct<a:int>', { a: 1, zz: 2 }, /unknown field "zz"/);
    bad('struct<a:int>', new Map());
    try {
      c('array<map<string,struct<a:array<bigint>>>>', [{ k: { a: [1, 'x'] } }]);
      expect.unreachable();
    } catch (e) {
      expect((e as ValueTypeError).column).toBe('col[0].value[0].a[1]');
      expect((e as ValueTypeError).expected).toBe('bigint');
      expect((e as ValueTypeError).actual).toBe('string');
    }
    bad('map<int,string>', { a: 'x' });
    bad('array<int>', 'abc');
    bad('void', 1);
  });
});
