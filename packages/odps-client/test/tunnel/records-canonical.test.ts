// The encoder's "already canonical" shortcut must only accept values coerceValue returns unchanged.
import { describe, expect, it } from 'vitest';
import { compileCanonicalCheck } from '../../src/tunnel/records/canonical.js';
import { coerceValue } from '../../src/types/coerce.js';
import { parseType } from '../../src/types/index.js';
import { IntervalYearMonth, Timestamp } from '../../src/types/values.js';

const CASES: [string, unknown[]][] = [
  ['decimal(6,2)', ['0', '-0', '0.5', '-0.50', '-0.00', '1234.56', '12345.6', '1234.567', '1234.560', '00.1', '.5', '5.', '+1', ' 1', '1e2', '', '-', '9999', '-1.0', 7, 7n]],
  ['decimal', ['123456789012345678901234567890123456.123456789012345678', '1.1234567890123456789', '0.000000000000000001']],
  ['decimal(4,4)', ['0.1234', '0', '1', '0.12345']],
  ['bigint', [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 63n, 5, 1.5, '1']],
  ['int', [0, -0, 2147483647, -2147483648, 2147483648, 1.5, 3n, NaN]],
  ['tinyint', [127, -128, 128, -129]],
  ['double', [1.5, NaN, -0, '1']],
  ['boolean', [true, false, 0, 'true']],
  ['string', ['', 'x', new Uint8Array([1]), 5]],
  ['varchar(3)', ['abc', 'abcd', '😀😀', 3]],
  ['datetime', [new Date(0), new Date(NaN), 0]],
  ['timestamp', [new Timestamp(1n, 5), new Date(0)]],
  ['interval_year_month', [new IntervalYearMonth(3), 3]],
  ['array<bigint>', [[1n, null, undefined], [1], [], 'x']],
  ['map<string,bigint>', [new Map([['a', 1n], ['b', null]]), new Map([['a', 1]]), new Map([[null, 1n]]), { a: 1n }]],
  ['date', ['2024-01-01']],
  ['struct<a:bigint>', [{ a: 1n }]],
];

describe('canonical value checks (record encoder fast path)', () => {
  for (const [typeText, values] of CASES) {
    it(`${typeText}: accepted values are exactly what coerceValue returns`, () => {
      const type = parseType(typeText);
      const check = compileCanonicalCheck(type);
      let accepted = 0;
      for (const v of values) {
        if (!check(v)) continue;
        accepted++;
        const coerced = coerceValue(type, v, 'c');
        // Arrays and maps are copied by coerceValue (undefined -> null), which encodes the same.
        if (Array.isArray(v)) expect(coerced).toEqual(v.map((e: unknown) => e ?? null));
        else if (v instanceof Map) expect([...(coerced as Map<unknown, unknown>)]).toEqual([...v].map(([k, x]) => [k ?? null, x ?? null]));
        else expect(Object.is(coerced, v) || (Object.is(v, -0) && coerced === 0)).toBe(true);
      }
      if (!typeText.startsWith('date') && !typeText.startsWith('struct')) expect(accepted).toBeGreaterThan(0);
    });
  }

  it('rejects exactly the decimal texts coerceValue would rewrite or refuse', () => {
    const check = compileCanonicalCheck(parseType('decimal(6,2)'));
    expect(['0', '0.5', '-0.50', '1234.56', '-1.0', '9999'].every(check)).toBe(true);
    expect(['-0', '-0.00', '12345.6', '1234.567', '1234.560', '00.1', '.5', '5.', '+1', ' 1', '1e2', '', '-'].some(check)).toBe(false);
  });
});
