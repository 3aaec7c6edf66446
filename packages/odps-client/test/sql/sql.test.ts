import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError, OdpsArgumentError } from '../../src/errors.js';
import { parseCsv } from '../../src/sql/csv.js';
import { createTableSql } from '../../src/sql/ddl.js';
import { splitSetStatements } from '../../src/sql/hints.js';
import { qualifiedName, quoteIdent, quoteString } from '../../src/sql/quote.js';
import { castResultValue } from '../../src/sql/result-values.js';
import { sqlErrorFromTask } from '../../src/sql/result.js';
import { OdpsTypeError, parseType } from '../../src/types/index.js';

describe('csv', () => {
  it('handles quotes, escaped quotes, embedded newlines, CRLF and \\N', () => {
    expect(parseCsv('a,b\r\n"x,1","he said ""hi"""\n"multi\nline",\\N\n,""\n')).toEqual([
      ['a', 'b'], ['x,1', 'he said "hi"'], ['multi\nline', null], ['', ''],
    ]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('x')).toEqual([['x']]);
  });
});

describe('SET statements', () => {
  it('peels leading SET statements (with comments) into hints', () => {
    expect(splitSetStatements('/* c */ SET a=1;\n-- x\nset b.c = two words ;\nselect 1;')).toEqual({ sql: 'select 1;', hints: { a: '1', 'b.c': 'two words' } });
    expect(splitSetStatements("select 'set a=1;'")).toEqual({ sql: "select 'set a=1;'", hints: {} });
    expect(splitSetStatements('set a=1;')).toEqual({ sql: 'set a=1;', hints: {} });
  });
});

describe('quoting and DDL', () => {
  it('quotes identifiers and strings', () => {
    expect(quoteIdent('a`b')).toBe('`a``b`');
    expect(quoteString("a'b\\c\nd")).toBe("'a\\'b\\\\c\\nd'");
    expect(qualifiedName('p', 's', 't')).toBe('`p`.`s`.`t`');
    expect(() => quoteIdent('')).toThrow(InvalidIdentifierError);
    expect(() => quoteIdent('a\u0000b')).toThrow(InvalidIdentifierError);
    expect(() => quoteIdent('x'.repeat(129))).toThrow(InvalidIdentifierError);
    expect(() => qualifiedName('p-x', undefined, 't')).toThrow(InvalidIdentifierError);
  });

  it('generates CREATE TABLE with primary key, transactional and schema', () => {
    const sql = createTableSql('p', 's', 't', { columns: [{ name: 'id', type: 'bigint', nullable: false }, { name: 'm', type: parseType('map<string, int>') }], primaryKey: ['id'], transactional: true });
    expect(sql).toBe('CREATE TABLE `p`.`s`.`t` (\n  `id` BIGINT NOT NULL,\n  `m` MAP<STRING,INT>,\n  PRIMARY KEY (`id`)\n)\nTBLPROPERTIES ("transactional"="true");');
  });

  it('rejects bad definitions before any request', () => {
    expect(() => createTableSql('p', undefined, 't', { columns: [] })).toThrow(OdpsArgumentError);
    expect(() => createTableSql('p', undefined, 't', { columns: [{ name: 'a', type: 'int' }], partitionColumns: [{ name: 'A', type: 'string' }] })).toThrow(/twice/);
    expect(() => createTableSql('p', undefined, 't', { columns: [{ name: 'a', type: 'notatype' }] })).toThrow(OdpsTypeError);
    expect(() => createTableSql('p', undefined, 't', { columns: [{ name: 'a', type: 'int' }], lifecycle: 0 })).toThrow(OdpsArgumentError);
  });
});

describe('result values', () => {
  it('casts by type', () => {
    expect(castResultValue('12', { kind: 'int' })).toBe(12);
    expect(castResultValue('9007199254740993', { kind: 'bigint' })).toBe(9007199254740993n);
    expect(castResultValue('NaN', { kind: 'double' })).toBeNaN();
    expect(castResultValue('-Infinity', { kind: 'double' })).toBe(-Infinity);
    expect(castResultValue('FALSE', { kind: 'boolean' })).toBe(false);
    expect(castResultValue('1.10', { kind: 'decimal', precision: 10, scale: 2 })).toBe('1.10');
    expect(castResultValue('2025-01-13 08:30:00', { kind: 'datetime' })).toEqual(new Date('2025-01-13T08:30:00Z'));
    expect(castResultValue('{"k":1}', parseType('map<string,bigint>'))).toEqual(new Map([['k', 1n]]));
    expect(castResultValue('{"a":1,"b":"x"}', parseType('struct<a:int,b:string>'))).toEqual({ a: 1, b: 'x' });
    expect(castResultValue(null, { kind: 'string' })).toBeNull();
  });

  it('builds SqlError from plain ODPS text and from error documents', () => {
    const a = sqlErrorFromTask({ name: 'T', text: 'ODPS-0130131:[1,15] Table not found - x' }, 'i1', 'Failed');
    expect(a).toMatchObject({ odpsCode: 'ODPS-0130131', code: 'ODPS-0130131', instanceId: 'i1', taskName: 'T' });
    const b = sqlErrorFromTask({ name: 'T', text: '' }, 'i2', 'Cancelled');
    expect(b.message).toContain('Cancelled');
  });
});
