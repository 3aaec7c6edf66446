// Filter predicates: the text Java's predicate classes produce, the parser's round trip, and refusal of hostile text.
import { describe, expect, it } from 'vitest';
import { OdpsArgumentError } from '../../src/errors.js';
import { col, P, parsePredicate, renderPredicate, type Predicate } from '../../src/storage/predicate.js';

describe('renderPredicate matches the Java SDK toString()', () => {
  // Expected strings follow BinaryPredicate/UnaryPredicate/InPredicate/CompoundPredicate/Attribute/Constant
  // in odps-sdk-table-api com/aliyun/odps/table/optimizer/predicate.
  const cases: [Predicate, string][] = [
    [P.eq(col('a'), 1), '`a` = 1'],
    [P.ne(col('a'), 'x'), "`a` != 'x'"],
    [P.gt(col('a'), 1.5), '`a` > 1.5'],
    [P.le(col('a'), 12345678901234567890n), '`a` <= 12345678901234567890'],
    [P.like(col('s'), 'ab%'), "`s` LIKE 'ab%'"],
    [P.eq(col('b'), true), '`b` = true'],
    [P.isNull(col('a')), '`a` is null'],
    [P.isNotNull(col('a')), '`a` is not null'],
    [P.in(col('a'), [1, 2, 3]), '`a` in (1, 2, 3)'],
    [P.notIn(col('s'), ['x', 'y']), "`s` not in ('x', 'y')"],
    [P.and(P.eq(col('a'), 1), P.eq(col('b'), 2)), '`a` = 1 and `b` = 2'],
    [P.or(P.and(P.eq(col('a'), 1), P.eq(col('b'), 2)), P.eq(col('c'), 3)), '(`a` = 1 and `b` = 2) or `c` = 3'],
    // Same operator nested: no parentheses (Java only adds them when the operators differ).
    [P.and(P.and(P.eq(col('a'), 1), P.eq(col('b'), 2)), P.eq(col('c'), 3)), '`a` = 1 and `b` = 2 and `c` = 3'],
    [P.not(P.eq(col('a'), 1)), 'not `a` = 1'],
    [P.not(P.or(P.eq(col('a'), 1), P.eq(col('b'), 2))), 'not (`a` = 1 or `b` = 2)'],
    // Attribute: back-quoted names pass as is; inner backticks are doubled.
    [P.eq(col('`x`'), 1), '`x` = 1'],
    [P.eq(col('we`ird'), 1), '`we``ird` = 1'],
    // Empty compounds vanish (Java NO_PREDICATE is '' and validatePredicate drops empty members).
    [P.and(), ''],
    [P.and(P.or(), P.eq(col('a'), 1)), '`a` = 1'],
    [P.eq(5, col('a')), '5 = `a`'],
  ];
  for (const [p, text] of cases) {
    it(text || '(empty)', () => expect(renderPredicate(p)).toBe(text));
  }

  it('escapes quotes and backslashes in strings (Java does not; its text would break)', () => {
    expect(renderPredicate(P.eq(col('s'), "it's \\ ok"))).toBe("`s` = 'it\\'s \\\\ ok'");
  });
});

describe('parsePredicate', () => {
  const roundTrips: Predicate[] = [
    P.and(P.ge(col('amount'), 100), P.or(P.in(col('region'), ['north', "o'west"]), P.isNull(col('name')))),
    P.not(P.or(P.eq(col('a'), -1), P.like(col('s'), '%\\_%'))),
    P.notIn(col('x'), [1.25, 2e-5, 12345678901234567890n]),
    P.and(P.isNotNull(col('we`ird')), P.eq(col('b'), false)),
  ];
  for (const p of roundTrips) {
    it(`round-trips ${renderPredicate(p)}`, () => {
      const text = renderPredicate(p);
      expect(renderPredicate(parsePredicate(text)!)).toBe(text);
    });
  }

  it('accepts bare names, <>, double quotes and any keyword case; empty text means no filter', () => {
    expect(parsePredicate("a <> 1 AND b LIKE \"x\" Or C IS NOT NULL")).toEqual(
      P.or(P.and(P.ne(col('a'), 1), P.like(col('b'), 'x')), P.isNotNull(col('C'))),
    );
    expect(parsePredicate('  ')).toBeUndefined();
    expect(parsePredicate('not not a = 1')).toEqual(P.not(P.not(P.eq(col('a'), 1))));
  });

  const hostile = [
    '`a` = 1; DROP TABLE t', '`a` = (SELECT 1)', "`a` = 'open", '`a', '``= 1', '`a` = 1 or', '`a` in ()', '`a` in (1,', 'and', '`a` is 1',
    '`a` not like 1', '`a` = `b` = `c`', '(`a` = 1', '`a` = 1)', '`a` == 1', '`a` = @x', '`a` = 1 -- c', '/* x */ `a` = 1', 'a = null', "'x'",
    '('.repeat(200) + 'a = 1' + ')'.repeat(200), 'not '.repeat(200) + 'a = 1', 'x'.repeat(70_000),
  ];
  for (const text of hostile) {
    it(`refuses ${JSON.stringify(text.slice(0, 40))}`, () => {
      expect(() => parsePredicate(text)).toThrow(OdpsArgumentError);
    });
  }

  it('refuses constants that cannot be sent', () => {
    expect(() => P.eq(col('a'), Number.NaN)).toThrow(OdpsArgumentError);
    expect(() => P.eq(col('a'), null as unknown as string)).toThrow(OdpsArgumentError);
    expect(() => P.in(col('a'), [])).toThrow(OdpsArgumentError);
    expect(() => col('')).toThrow(OdpsArgumentError);
  });
});
