// RowLayout: rows given as objects land in column order; unknown fields and non-rows are refused by name.
import { describe, expect, it } from 'vitest';
import { OdpsArgumentError } from '../../src/errors.js';
import { RowLayout } from '../../src/tunnel/records/row-input.js';

const layout = new RowLayout([{ name: 'id', type: 'bigint' }, { name: 'Name', type: 'string' }, { name: 'score', type: 'double' }], 't1');

describe('RowLayout', () => {
  it('maps object fields case-insensitively and fills missing columns with null', () => {
    expect(layout.toArray({ NAME: 'a', id: 1n })).toEqual([1n, 'a', null]);
    expect(layout.indexOf('name')).toBe(1);
    expect(layout.indexOf('nope')).toBeUndefined();
  });

  it('passes arrays through unchanged', () => {
    const row = [1n, 'x', 2.5];
    expect(layout.toArray(row)).toBe(row);
  });

  it('refuses unknown fields, naming the field and the table', () => {
    expect(() => layout.toArray({ id: 1n, extra: 2 })).toThrow(OdpsArgumentError);
    expect(() => layout.toArray({ id: 1n, extra: 2 })).toThrow(/"extra" that is not a data column of t1/);
  });

  it.each([null, 1, 'row', true])('refuses %s as a row', (bad) => {
    expect(() => layout.toArray(bad)).toThrow(/a row must be an array or an object/);
  });
});
