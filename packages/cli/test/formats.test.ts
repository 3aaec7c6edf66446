// Pure pieces in-process: value → text/JSON, CSV writing and reading, text → value, ini parsing.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { IntervalDayTime, IntervalYearMonth, Timestamp, parseType } from '@odps-ts/odps-client';
import { parseIni } from '../src/config/ini.js';
import { csvLine } from '../src/output/csv.js';
import { toCellText, toJsonValue } from '../src/output/value-text.js';
import { readCsv } from '../src/input/csv-reader.js';
import { parseCell, parseValue } from '../src/input/value-parse.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('value → text', () => {
  const ts = new Timestamp(1_700_000_000n, 123_456_789);

  it('covers every value-model type', () => {
    expect(toCellText(12345678901234567890n)).toBe('12345678901234567890');
    expect(toCellText(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)))).toBe('2025-01-02T03:04:05.006Z');
    expect(toCellText(ts)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(toCellText(new Uint8Array([0, 255, 16]))).toBe('AP8Q');
    expect(toCellText(new Uint8Array([0, 255, 16]), { binary: 'hex' })).toBe('00ff10');
    expect(toCellText(new Map<unknown, unknown>([[1n, ['a', null]], [2n, []]]))).toBe('{"1":["a",null],"2":[]}');
    expect(toCellText([1, 2.5, null])).toBe('[1,2.5,null]');
    expect(toCellText({ a: 1n, b: { c: true } })).toBe('{"a":"1","b":{"c":true}}');
    expect(toCellText(new IntervalDayTime(90061n, 5))).toBe('1 01:01:01.000000005');
    expect(toCellText(new IntervalYearMonth(-14))).toBe('-1-2');
    expect(toCellText('12.50')).toBe('12.50');
    expect(toCellText(false)).toBe('false');
    expect(toCellText(null)).toBeNull();
    expect(toJsonValue(NaN)).toBe('NaN');
    expect(toJsonValue(new Float32Array([1.5]))).toEqual([1.5]);
  });

  it('CSV quotes separators, quotes, newlines, edge spaces and the empty string; NULL is bare', () => {
    expect(csvLine(['a', null, '', 'x,y', 'say "hi"', 'two\nlines', ' pad'])).toBe('a,,"","x,y","say ""hi""","two\nlines"," pad"\r\n');
  });
});

describe('CSV reader', () => {
  it('round-trips what the writer produced, keeping NULL apart from the empty string', async () => {
    const rows = [['a', null, '', 'x,y', 'say "hi"', 'two\r\nlines', ' pad']];
    const text = rows.map((r) => csvLine(r)).join('') + csvLine(['last', 'row', null, null, null, null, null]);
    // Split at awkward places to exercise chunk boundaries (inside quotes, between "" escapes).
    const chunks = [text.slice(0, 7), text.slice(7, 19), text.slice(19, 20), text.slice(20)].map((s) => Buffer.from(s));
    const got = await collect(readCsv(Readable.from(chunks)));
    expect(got.map((g) => g.record)).toEqual([rows[0], ['last', 'row', null, null, null, null, null]]);
    expect(got.map((g) => g.line)).toEqual([1, 3]);
  });

  it('skips blank lines and a BOM, accepts a final line without newline, rejects unterminated quotes', async () => {
    const got = await collect(readCsv(Readable.from([Buffer.from('\uFEFFa,b\n\n1,2')])));
    expect(got.map((g) => g.record)).toEqual([['a', 'b'], ['1', '2']]);
    await expect(collect(readCsv(Readable.from([Buffer.from('a,"b\n')])))).rejects.toThrow(/unterminated/);
    await expect(collect(readCsv(Readable.from([Buffer.from('"a"b\n')])))).rejects.toThrow(/after a closing quote/);
  });
});

describe('text → value', () => {
  it('parses every type back into the value model', () => {
    const t = (s: string) => parseType(s);
    expect(parseCell('9007199254740993', t('bigint'))).toBe(9007199254740993n);
    expect(parseValue('9007199254740993', t('bigint'))).toBe(9007199254740993n);
    expect(parseValue(12, t('bigint'))).toBe(12n);
    expect(parseCell('-7', t('int'))).toBe(-7);
    expect(parseCell('1.5e3', t('double'))).toBe(1500);
    expect(parseCell('NaN', t('double'))).toBeNaN();
    expect(parseCell('12.50', t('decimal(10,2)'))).toBe('12.50');
    expect(parseCell('TRUE', t('boolean'))).toBe(true);
    expect(parseCell('', t('string'))).toBe('');
    expect(parseCell(null, t('string'))).toBeNull();
    expect(parseCell('', t('bigint'))).toBeNull();
    expect(parseCell('', t('binary'))).toEqual(new Uint8Array(0));
    expect(parseCell('2025-01-02', t('date'))).toBe('2025-01-02');
    expect((parseCell('2025-01-02T03:04:05.006Z', t('datetime')) as Date).getTime()).toBe(Date.UTC(2025, 0, 2, 3, 4, 5, 6));
    expect((parseCell('2023-11-14T22:13:20.123456789Z', t('timestamp')) as Timestamp).equals(new Timestamp(1_700_000_000n, 123_456_789))).toBe(true);
    expect(Array.from(parseCell('AP8Q', t('binary')) as Uint8Array)).toEqual([0, 255, 16]);
    expect(Array.from(parseCell('00ff10', t('binary'), 'hex') as Uint8Array)).toEqual([0, 255, 16]);
    expect(parseCell('["a",null]', t('array<string>'))).toEqual(['a', null]);
    expect(parseCell('{"1":["x"]}', t('map<bigint,array<string>>'))).toEqual(new Map([[1n, ['x']]]));
    expect(parseValue({ a: '5', b: 'q' }, t('struct<a:bigint,b:string>'))).toEqual({ a: 5n, b: 'q' });
    expect((parseCell('-1 01:01:01.000000005', t('interval_day_time')) as IntervalDayTime).toString()).toBe('-1 01:01:01.000000005');
    expect((parseCell('-1-2', t('interval_year_month')) as IntervalYearMonth).months).toBe(-14);
  });

  it('names the bad value and type', () => {
    expect(() => parseCell('abc', parseType('bigint'))).toThrow(/"abc" as bigint/);
    expect(() => parseCell('1.5', parseType('int'))).toThrow(/as int/);
    expect(() => parseValue(2 ** 60, parseType('bigint'))).toThrow(/safe integer/);
    expect(() => parseCell('[1,', parseType('array<int>'))).toThrow(/not JSON/);
  });
});

describe('odps_config.ini', () => {
  it('reads key=value lines, ignores comments, sections and empty values', () => {
    const ini = parseIni('# comment\n[odps]\nproject_name = my_proj\naccess_id=\nend_point=http://x/api\n; other\nlog_view_host="http://lv"\r\n');
    expect(ini).toEqual({ project_name: 'my_proj', end_point: 'http://x/api', log_view_host: 'http://lv' });
  });
});
