import { describe, it, expect } from 'vitest';
import { formatType, OdpsTypeError, parseType } from '../../src/types/index.js';

describe('parseType / formatType', () => {
  it('parses primitives case-insensitively', () => {
    for (const k of ['boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'string', 'binary',
      'datetime', 'date', 'timestamp', 'timestamp_ntz', 'interval_day_time', 'interval_year_month', 'json', 'void']) {
      expect(parseType(k.toUpperCase())).toEqual({ kind: k });
      expect(formatType(parseType(` ${k} `))).toBe(k);
    }
  });

  it('parses parameterized types', () => {
    expect(parseType('decimal')).toEqual({ kind: 'decimal' });
    expect(parseType('DECIMAL( 10 , 2 )')).toEqual({ kind: 'decimal', precision: 10, scale: 2 });
    expect(parseType('decimal(5)')).toEqual({ kind: 'decimal', precision: 5, scale: 0 });
    expect(parseType('varchar(20)')).toEqual({ kind: 'varchar', length: 20 });
    expect(parseType('char(3)')).toEqual({ kind: 'char', length: 3 });
    expect(parseType('vector(float,1536)')).toEqual({ kind: 'vector', element: 'float', dimension: 1536 });
    expect(parseType('VECTOR<DOUBLE, 3>')).toEqual({ kind: 'vector', element: 'double', dimension: 3 });
  });

  it('parses nested types and struct names incl. back-quoted', () => {
    const t = parseType('ARRAY< MAP<STRING, STRUCT<a:ARRAY<BIGINT>, `b c`:string, `x``y`:int>> >');
    expect(t).toEqual({
      kind: 'array',
      element: {
        kind: 'map',
        key: { kind: 'string' },
        value: {
          kind: 'struct',
          fields: [
            { name: 'a', type: { kind: 'array', element: { kind: 'bigint' } } },
            { name: 'b c', type: { kind: 'string' } },
            { name: 'x`y', type: { kind: 'int' } },
          ],
        },
      },
    });
    expect(formatType(t)).toBe('array<map<string,struct<a:array<bigint>,`b c`:string,`x``y`:int>>>');
    expect(parseType(formatType(t))).toEqual(t);
  });

  it('keeps struct field name case', () => {
    expect(formatType(parseType('struct<CamelName:int>'))).toBe('struct<CamelName:int>');
  });

  it('formats canonical forms', () => {
    expect(formatType({ kind: 'decimal', precision: 38, scale: 18 })).toBe('decimal(38,18)');
    expect(formatType(parseType('map<string , array< bigint >>'))).toBe('map<string,array<bigint>>');
    expect(formatType(parseType('vector(float, 4)'))).toBe('vector(float,4)');
  });

  it('rejects bad text with OdpsTypeError naming it', () => {
    for (const bad of ['', 'foo', 'array<int', 'map<string>', 'struct<>', 'struct<a int>', 'decimal(10,11)',
      'decimal(0)', 'varchar', 'varchar(0)', 'int extra', 'vector(int,3)', 'vector(float,0)', 'struct<`a:int>']) {
      expect(() => parseType(bad)).toThrow(OdpsTypeError);
    }
    try {
      parseType('array<wat>');
    } catch (e) {
      expect((e as OdpsTypeError).text).toBe('array<wat>');
      expect((e as Error).message).toContain('array<wat>');
      expect((e as Error).message).toContain('wat');
    }
  });
});
