// Quoting for generated SQL: validated backtick identifiers and escaped string literals.
import { InvalidIdentifierError } from '../errors.js';

const MAX_NAME = 128;
const SIMPLE_NAME = /^[A-Za-z0-9_]+$/;

/** Validate a table/column/partition-key name: non-empty, ≤ 128 chars, no control characters. */
export function validateName(name: string, what = 'name'): string {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidIdentifierError(`${what} must be a non-empty string`);
  if (name.length > MAX_NAME) throw new InvalidIdentifierError(`${what} ${JSON.stringify(name.slice(0, 40))}... is longer than ${MAX_NAME} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidIdentifierError(`${what} ${JSON.stringify(name)} contains control characters`);
  return name;
}

/** Project and schema names are plain words (letters, digits, underscore). */
export function validateSimpleName(name: string, what: string): string {
  if (typeof name !== 'string' || !SIMPLE_NAME.test(name) || name.length > MAX_NAME) {
    throw new InvalidIdentifierError(`invalid ${what} name ${JSON.stringify(name)} (letters, digits and _ only)`);
  }
  return name;
}

/** `` `name` `` with embedded backticks doubled. */
export function quoteIdent(name: string, what = 'identifier'): string {
  return '`' + validateName(name, what).replace(/`/g, '``') + '`';
}

/** Single-quoted SQL string literal; backslash, quote and line breaks escaped (ODPS uses backslash escapes). */
export function quoteString(value: string): string {
  const escaped = value.replace(/[\\'\n\r\t\0]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' })[c] as string);
  return `'${escaped}'`;
}

/** `` `project`.`schema`.`table` `` (schema omitted in two-tier projects). */
export function qualifiedName(project: string, schema: string | undefined, table: string): string {
  const parts = [quoteIdent(validateSimpleName(project, 'project'), 'project')];
  if (schema) parts.push(quoteIdent(validateSimpleName(schema, 'schema'), 'schema'));
  parts.push(quoteIdent(table, 'table name'));
  return parts.join('.');
}
