import { describe, it, expect } from 'vitest';
import { decodeRecordStream, encodeRecordStream } from '../../src/tunnel/records/index.js';
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '../../src/types/index.js';

const roundTrip = (type: string, values: unknown[], opts = {}): unknown[] => {
  const cols = [{ name: 'v', type }];
  const bytes = encodeRecordStream(cols, values.map((v) => [v]));
  const out = decodeRecordStream(cols, bytes, opts);
  expect(out.recordCount).toBe(values.length);
  return out.rows.map((r) => r[0]);
};

describe('record codec round trips', () => {
  it('integers at the limits of every width', () => {
    expect(roundTrip('tinyint', [-128, 127, 0, -1])).toEqual([-128, 127, 0, -1]);
    expect(roundTrip('smallint', [-32768, 32767])).toEqual([-32768, 32767]);
    expect(roundTrip('int', [-2147483648, 2147483647])).toEqual([-2147483648, 2147483647]);
    const big = [-(2n ** 63n) + 1n, 2n ** 63n - 1n, 0n, -1n, 2n ** 53n, -(2n ** 53n), 2n ** 53n + 1n, 2n ** 32n, -(2n ** 32n), 4294967295n];
    expect(roundTrip('bigint', big)).toEqual(big);
  });

  it('floats incl. -0, NaN, infinities', () => {
    const out = roundTrip('double', [-0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 0.1]);
    expect(Object.is(out[0], -0)).toBe(true);
    expect(out[1]).toBeNaN();
    expect(out.slice(2)).toEqual([Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 0.1]);
    const f = roundTrip('float', [-0, NaN, Infinity, 0.1, 3.4028234663852886e38]);
    expect(Object.is(f[0], -0)).toBe(true);
    expect(f[1]).toBeNaN();
    expect(f.slice(2)).toEqual([Infinity, Math.fround(0.1), 3.4028234663852886e38]);
  });

  it('booleans', () => {
    expect(roundTrip('boolean', [true, false, null])).toEqual([true, false, null]);
  });

  it('strings: empty, unicode, long, non-UTF-8 with binaryStrings', () => {
    const long = 'x'.repeat(70000) + '😀';
    expect(roundTrip('string', ['', 'héllo', '😀', long, 'a'.repeat(42)])).toEqual(['', 'héllo', '😀', long, 'a'.repeat(42)]);
    const raw = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
    expect(roundTrip('string', [raw, new Uint8Array(0)], { binaryStrings: true })).toEqual([raw, new Uint8Array(0)]);
    expect(roundTrip('string', [raw])).toEqual(['\ufffd\ufffd\u0000\ufffd']);
    expect(roundTrip('varchar(3)', ['abc'])).toEqual(['abc']);
    expect(roundTrip('char(3)', ['ab'])).toEqual(['ab']);
    expect(roundTrip('json', ['{"a": [1, 2]}'])).toEqual(['{"a": [1, 2]}']);
  });

  it('binary', () => {
    const b = new Uint8Array(300).map((_, i) => i & 0xff);
    expect(roundTrip('binary', [b, new Uint8Array(0), 'hi'])).toEqual([b, new Uint8Array(0), new TextEncoder().encode('hi')]);
  });

  it('decimals incl. 38 digits', () => {
    const d38 = '12345678901234567890123456789012345678';
    expect(roundTrip('decimal(38,0)', [d38, '-' + d38])).toEqual([d38, '-' + d38]);
    expect(roundTrip('decimal(38,38)', ['0.' + d38])).toEqual(['0.' + d38]);
    expect(roundTrip('decimal(10,3)', ['123.450', 1e-3, 5n])).toEqual(['123.450', '0.001', '5']);
    expect(roundTrip('decimal', ['1E+2'])).toEqual(['100']);
  });

  it('DATETIME before 1970 and far future', () => {
    const ds = [new Date('0001-01-01T00:00:00Z'), new Date(-1), new Date('9999-12-31T23:59:59.999Z'), new Date(0)];
    expect(roundTrip('datetime', ds)).toEqual(ds);
    expect(roundTrip('datetime', [-1500])).toEqual([new Date(-1500)]);
  });

  it('DATE', () => {
    expect(roundTrip('date', ['0000-01-01', '1969-12-31', '1970-01-01', '9999-12-31', new Date(Date.UTC(2024, 1, 29, 23))]))
      .toEqual(['0000-01-01', '1969-12-31', '1970-01-01', '9999-12-31', '2024-02-29']);
  });

  it('TIMESTAMP / TIMESTAMP_NTZ with nanos, pre-1970 and far future', () => {
    const ts = [
      new Timestamp(-1n, 500_000_000), new Timestamp(-62167219200n, 0), new Timestamp(253402300799n, 999_999_999),
      new Timestamp(0n, 1), new Timestamp(2n ** 62n, 123), new Timestamp(-(2n ** 62n), 999_999_999),
    ];
    expect(roundTrip('timestamp', ts)).toEqual(ts);
    expect(roundTrip('timestamp_ntz', ts)).toEqual(ts);
    expect(roundTrip('timestamp', [new Date(-1500)])).toEqual([new Timestamp(-2n, 500_000_000)]);
  });

  it('intervals', () => {
    const dt = [new IntervalDayTime(-86401n, 5), new IntervalDayTime(2n ** 40n, 999_999_999)];
    expect(roundTrip('interval_day_time', dt)).toEqual(dt);
    expect(roundTrip('interval_year_month', [new IntervalYearMonth(-13), 7])).toEqual([new IntervalYearMonth(-13), new IntervalYearMonth(7)]);
  });

  it('vectors', () => {
    expect(roundTrip('vector(float,3)', [new Float32Array([1.5, -0, 3])])).toEqual([[1.5, -0, 3]]);
    expect(roundTrip('vector(double,2)', [[0.1, 1e300]])).toEqual([[0.1, 1e300]]);
  });

  it('deep nesting array<map<string,struct<a:array<bigint>>>>', () => {
    const type = 'array<map<string,struct<a:array<bigint>>>>';
    const v = [
      new Map<string, unknown>([['k1', { a: [1n, null, -(2n ** 63n) + 1n] }], ['k2', null], ['', { a: null }]]),
      null,
      new Map(),
    ];
    const out = roundTrip(type, [v, [{ x: { a: [] } }], []]);
    expect(out[0]).toEqual(v);
    expect(out[1]).toEqual([new Map([['x', { a: [] }]])]);
    expect(out[2]).toEqual([]);
  });

  it('maps keep entry order and struct fields keep declared order', () => {
    const m = new Map<number, string | null>([[3, 'c'], [1, null], [2, 'b']]);
    const [back] = roundTrip('map<int,string>', [m]);
    expect([...(back as Map<number, string>).entries()]).toEqual([...m.entries()]);
    const [s] = roundTrip('struct<z:int,`a b`:string,m:map<string,double>>', [{ m: { q: 1 }, z: 1 }]);
    expect(Object.keys(s as object)).toEqual(['z', 'a b', 'm']);
    expect(s).toEqual({ z: 1, 'a b': null, m: new Map([['q', 1]]) });
  });

  it('all-null rows across every type', () => {
    const cols = ['boolean', 'bigint', 'string', 'timestamp', 'array<int>', 'map<string,int>', 'struct<a:int>', 'vector(float,2)']
      .map((type, i) => ({ name: `c${i}`, type }));
    const rows = [new Array(cols.length).fill(null), []];
    expect(decodeRecordStream(cols, encodeRecordStream(cols, rows)).rows).toEqual([new Array(cols.length).fill(null), new Array(cols.length).fill(null)]);
  });

  it('a mixed table', () => {
    const cols = [
      { name: 'id', type: 'bigint' }, { name: 's', type: 'string' }, { name: 't', type: 'timestamp' },
      { name: 'a', type: 'array<string>' }, { name: 'd', type: 'decimal(20,4)' }, { name: 'f', type: 'float' },
    ];
    const rows = Array.from({ length: 500 }, (_, i) => [
      BigInt(i) * 1234567891234n - 99n, i % 3 ? `row-${i}-é` : null, new Timestamp(BigInt(i * 1000 - 250000), (i * 7919) % 1e9),
      i % 5 ? [`x${i}`, null, ''] : null, `${i}.${i % 10}`, i % 7 ? i / 4 : null,
    ]);
    expect(decodeRecordStream(cols, encodeRecordStream(cols, rows)).rows).toEqual(rows);
  });
});
