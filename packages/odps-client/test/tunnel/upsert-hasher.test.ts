// Upsert bucketing hash: vectors computed by hand from the SDK algorithm (Java DefaultHashFactory / LegacyHashFactory).
import { describe, expect, it } from 'vitest';
import { parseType } from '../../src/types/odps-type.js';
import { Timestamp } from '../../src/types/values.js';
import { bucketOf, combineHashes, hashKeyValue } from '../../src/tunnel/upsert/upsert-hasher.js';

// Expected values come from a Python transcription of Java's basicLongHasher/StringHasher with int64/int32
// wrapping (matches PyODPS hasher_c.pyx); where PyODPS' pure-Python hasher agrees, its value is identical.
const T = (s: string) => parseType(s);

describe('upsert hasher (default)', () => {
  it('bigint, including negatives and the int64 extremes', () => {
    const cases: [bigint, number][] = [
      [0n, 0], [1n, 357654460], [-1n, 357653185], [42n, 2136435707], [-42n, 2136436044],
      [2147483647n, 2011537724], [-2147483648n, -1789595061], [9007199254740993n, 1789133545],
      // pure-Python PyODPS gives 2145651819 here (it does not wrap the first addition); Java gives:
      [9223372036854775807n, -1977349188], [-9223372036854775808n, -1787473579], [1234567890123n, -1187240199],
    ];
    for (const [v, h] of cases) expect(hashKeyValue('default', T('bigint'), v), String(v)).toBe(h);
    // A safe-integer number hashes as the same bigint.
    expect(hashKeyValue('default', T('bigint'), -42)).toBe(2136436044);
  });
  it('int / smallint / tinyint hash as their long value', () => {
    expect(hashKeyValue('default', T('int'), 42)).toBe(2136435707);
    expect(hashKeyValue('default', T('smallint'), -1)).toBe(357653185);
    expect(hashKeyValue('default', T('tinyint'), 1)).toBe(357654460);
  });
  it('strings: UTF-8 bytes added as signed bytes (unicode differs from pure-Python PyODPS)', () => {
    const cases: [string, number][] = [
      ['', 0], ['a', -902917054], ['hello', -1259046373], ['key-0001', -1453815933],
      ['ü', 1538060961], ['中文键', 698404833], ['emoji😀', -1749294713], ['x'.repeat(50), 2130009873],
    ];
    for (const [v, h] of cases) {
      expect(hashKeyValue('default', T('string'), v), v).toBe(h);
      expect(hashKeyValue('default', T('varchar(64)'), v), v).toBe(h);
    }
    expect(hashKeyValue('default', T('string'), new TextEncoder().encode('hello'))).toBe(-1259046373);
  });
  it('double, float, boolean', () => {
    const d: [number, number][] = [[0, 0], [-0, -1787473579], [1.5, 356777983], [-2.25, 2058945119], [Math.PI, 1047590182], [1e300, -1558269161]];
    for (const [v, h] of d) expect(hashKeyValue('default', T('double'), v), String(v)).toBe(h);
    const f: [number, number][] = [[0, 0], [1.5, 301564594], [-2.25, 1386103791]];
    for (const [v, h] of f) expect(hashKeyValue('default', T('float'), v), String(v)).toBe(h);
    expect(hashKeyValue('default', T('boolean'), true)).toBe(388737479);
    expect(hashKeyValue('default', T('boolean'), false)).toBe(-978963218);
  });
  it('date (UTC day start in seconds), datetime (ms), timestamp ((s << 30) | nanos)', () => {
    expect(hashKeyValue('default', T('date'), '1970-01-01')).toBe(0);
    expect(hashKeyValue('default', T('date'), '2024-02-29')).toBe(-1482578864);
    expect(hashKeyValue('default', T('date'), '1900-01-01')).toBe(23118025);
    expect(hashKeyValue('default', T('datetime'), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))).toBe(418147233);
    expect(hashKeyValue('default', T('datetime'), new Date(Date.UTC(1960, 5, 1)))).toBe(-1096094525);
    expect(hashKeyValue('default', T('timestamp'), new Timestamp(1700000000n, 123456789))).toBe(730147117);
    expect(hashKeyValue('default', T('timestamp'), new Timestamp(-1n, 999999999))).toBe(1435272363);
    expect(hashKeyValue('default', T('timestamp'), new Timestamp(0n, 0))).toBe(0);
  });
  it('multi-column keys combine as int32 sum then x ^ (x >> 8), never negative', () => {
    const types = [T('bigint'), T('string')];
    const hash = (vals: unknown[]) => combineHashes(types.map((t, i) => hashKeyValue('default', t, vals[i])));
    expect(hash([1n, 'a'])).toBe(547392525);
    expect(hash([-7n, '中文'])).toBe(1936894766);
    expect(hash([1099511627776n, 'key-0001'])).toBe(321879696);
    expect(bucketOf('default', types, [1n, 'a'], 8)).toBe(5);
    expect(bucketOf('default', types, [-7n, '中文'], 8)).toBe(6);
    expect(bucketOf('default', types, [1099511627776n, 'key-0001'], 8)).toBe(0);
    // Single key: PyODPS RecordHasher.hash_record gives the same combined values.
    const one = [T('bigint')];
    expect(combineHashes([hashKeyValue('default', one[0]!, 1n)])).toBe(356781795);
    expect(combineHashes([hashKeyValue('default', one[0]!, -1n)])).toBe(356780955);
    expect(bucketOf('default', one, [123456789n], 3)).toBe(2);
    for (let i = 0; i < 200; i++) expect(combineHashes([i * 0x01234567 | 0, -i])).toBeGreaterThanOrEqual(0);
  });
});

describe('upsert hasher (legacy)', () => {
  it('bigint is (v >> 32) ^ v; strings are h * 31 + signed byte', () => {
    const b: [bigint, number][] = [[0n, 0], [1n, 1], [-1n, 0], [-42n, 41], [9007199254740993n, 2097153], [1234567890123n, 1912276436], [-9223372036854775808n, -2147483648]];
    for (const [v, h] of b) expect(hashKeyValue('legacy', T('bigint'), v), String(v)).toBe(h);
    const s: [string, number][] = [['a', 97], ['hello', 99162322], ['key-0001', 452866735], ['ü', -1959], ['中文键', 941549285], ['x'.repeat(50), 237795072]];
    for (const [v, h] of s) expect(hashKeyValue('legacy', T('string'), v), v).toBe(h);
  });
  it('refuses key types it cannot hash', () => {
    expect(() => hashKeyValue('default', T('decimal(10,2)'), '1.00')).toThrow(/DECIMAL/);
  });
});
