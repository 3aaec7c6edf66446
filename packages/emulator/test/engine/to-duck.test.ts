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
