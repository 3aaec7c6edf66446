// The emulator's value conversion into DuckDB values: calendar edge years and FLOAT range.
import { describe, expect, it } from 'vitest';
import type { DuckDBDateValue } from '@duckdb/node-api';
import { toDuck, ValueTypeError } from '../../src/engine/to-duck.js';

describe('toDuck', () => {
  it('keeps DATE years 0000..0099 (Date.UTC would add 1900) and the rest of the calendar', () => {
    const date = toDuck({ kind: 'date' });
    const cases: [string, number][] = [
      ['0000-01-01', -719528], ['0001-01-01', -719162], ['0099-12-31', -683004], ['0100-01-01', -683003],
      ['1969-12-31', -1], ['1970-01-01', 0], ['2000-02-29', 11016], ['9999-12-31', 2932896],
    ];
    for (const [text, days] of cases) expect((date(text) as DuckDBDateValue).days).toBe(days);
    for (const bad of ['0001-02-29', '1900-02-29', '2025-13-01', '2025-00-10', '25-01-01', '2025-1-1']) {
      expect(() => date(bad)).toThrow(ValueTypeError);
    }
  });
});

describe('toDuck refuses values it would change', () => {
  it('FLOAT: finite overflow and underflow to zero (the client rule); NaN, ±Infinity, subnormals kept', () => {
    const float = toDuck({ kind: 'float' });
    for (const v of [3.5e38, 1e300, -1e39, 1e-50, -1e-46]) expect(() => float(v)).toThrow(ValueTypeError);
    for (const v of [0, -0, 1.5, 3.4028234663852886e38, 1.401298464324817e-45, NaN, Infinity, -Infinity]) expect(float(v)).toBe(v);
    expect(() => toDuck({ kind: 'array', element: { kind: 'float' } })([1, 1e39])).toThrow(ValueTypeError);
    expect(() => toDuck({ kind: 'vector', element: 'float', dimension: 2 })([1, 1e-60])).toThrow(ValueTypeError);
    expect(() => toDuck({ kind: 'vector', element: 'double', dimension: 2 })([1, 1e-60])).not.toThrow();
  });

  it('STRING: non-UTF-8 bytes and lone surrogates are errors, not U+FFFD', () => {
    const str = toDuck({ kind: 'string' });
    for (const bytes of [[0x80], [0xff, 0xfe], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x61, 0xe2, 0x82]]) {
      expect(() => str(Uint8Array.from(bytes))).toThrow(/not valid UTF-8/);
    }
    for (const s of ['x\uD800y', '\uDC00', 'a'.repeat(50) + '\uD83D']) expect(() => str(s)).toThrow(/lone surrogate/);
    expect(() => toDuck({ kind: 'binary' })('\uD800')).toThrow(/lone surrogate/);
    expect(str(Uint8Array.from([0x61, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]))).toBe('aé😀');
    expect(str('x😀y')).toBe('x😀y');
  });
});
