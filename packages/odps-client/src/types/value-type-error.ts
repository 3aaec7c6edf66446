// The error thrown when a JS value cannot be written as a column's ODPS type.
import { OdpsArgumentError } from '../errors.js';

/**
 * Names the column path (`column`, e.g. `tags[2]` or `attrs.value[0].a`), the expected ODPS type and
 * the JS type given (never the value). An OdpsArgumentError, so one `instanceof OdpsError` catches every
 * error the client raises (`path` stays the HTTP path field of OdpsError, unset here).
 */
export class ValueTypeError extends OdpsArgumentError {
  override name = 'ValueTypeError';
  constructor(
    readonly column: string,
    readonly expected: string,
    readonly actual: string,
    readonly detail?: string,
    /** Index of the row within the failed write call (writers set it). */
    readonly row?: number,
  ) {
    super(`${row === undefined ? '' : `row ${row}: `}value for "${column}" must be ${expected}, got ${actual}${detail ? ` (${detail})` : ''}`, 'ValueTypeError');
  }

  /** The same error, naming the row of a write call it happened in. */
  atRow(row: number): ValueTypeError {
    return new ValueTypeError(this.column, this.expected, this.actual, this.detail, row);
  }
}

/** Short description of a JS value's type for error messages. */
export function jsTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  const t = typeof v;
  if (t !== 'object') return t;
  const ctor = (v as { constructor?: { name?: unknown } }).constructor;
  return ctor && typeof ctor.name === 'string' && ctor.name !== 'Object' ? ctor.name : 'object';
}
