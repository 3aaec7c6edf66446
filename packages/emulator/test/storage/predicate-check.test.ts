// The emulator's filter handling: type checks against the table, and SQL built only from quoted names and typed constants.
import { describe, expect, it } from 'vitest';
import { col, P, type Predicate } from '@odps-ts/odps-client';
import { predicateSql } from '../../src/engine/snapshot-filter.js';
import { EmulatorHttpError } from '../../src/server/errors.js';
import { checkedPredicate } from '../../src/server/storage/predicate-check.js';

const COLUMNS = [
  { name: 'id', type: 'bigint' }, { name: 's', type: 'string' }, { name: 'price', type: 'decimal(10,2)' },
  { name: 'ok', type: 'boolean' }, { name: 'd', type: 'date' }, { name: 'tags', type: 'array<string>' }, { name: 'ds', type: 'string' },
];
const NAMES = new Set(COLUMNS.map((c) => c.name));

describe('checkedPredicate', () => {
  it('accepts well-typed filters on data and partition columns', () => {
    for (const text of ["`id` > 5 and `s` like 'a%'", "`price` >= '1.50' or `price` < 2", '`ok` = true', "`d` >= '2025-01-01'", "`ds` in ('a', 'b')", '`id` = `price`', '']) {
      expect(() => checkedPredicate(text, COLUMNS), text).not.toThrow();
    }
  });

  const refused = [
    '`nope` = 1', "`id` = '5'", '`s` = 5', "`ok` = 'true'", '`d` = 20250101', '`tags` is null', "`id` like '1%'", "`s` like 5",
    '`id` = `s`', "`price` = 'abc'", '`id` = 1; select 1', "`s` = 'x' or 1", 42, { a: 1 },
  ];
  for (const text of refused) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      expect(() => checkedPredicate(text, COLUMNS)).toThrow(EmulatorHttpError);
    });
  }
});

describe('predicateSql', () => {
  it('quotes names and constants; strings cannot close their quote', () => {
    expect(predicateSql(P.and(P.eq(col('ID'), 5), P.eq(col('s'), "x'); DROP TABLE t; --")), NAMES)).toBe(
      `(("id" = 5) AND ("s" = 'x''); DROP TABLE t; --'))`,
    );
    expect(predicateSql(P.not(P.in(col('s'), ['a', 'b'])), NAMES)).toBe(`(NOT ("s" IN ('a', 'b')))`);
    expect(predicateSql(P.isNotNull(col('ok')), NAMES)).toBe('("ok" IS NOT NULL)');
  });

  it('refuses names outside the table and trees the parser would never build', () => {
    expect(() => predicateSql(P.eq(col('x" OR 1=1 --'), 1), NAMES)).toThrow(/cannot be resolved/);
    const forged = { kind: 'compare', op: '= 1 OR 1 =', left: { kind: 'column', name: 'id' }, right: { kind: 'constant', value: 1 } } as unknown as Predicate;
    expect(() => predicateSql(forged, NAMES)).toThrow(/unknown filter operator/);
    const nan = { kind: 'compare', op: '=', left: { kind: 'column', name: 'id' }, right: { kind: 'constant', value: Number.NaN } } as unknown as Predicate;
    expect(() => predicateSql(nan, NAMES)).toThrow();
    const obj = { kind: 'compare', op: '=', left: { kind: 'column', name: 'id' }, right: { kind: 'constant', value: { toString: () => '1 OR 1=1' } } } as unknown as Predicate;
    expect(() => predicateSql(obj, NAMES)).toThrow();
    expect(() => predicateSql({ kind: 'xor' } as unknown as Predicate, NAMES)).toThrow();
  });
});
