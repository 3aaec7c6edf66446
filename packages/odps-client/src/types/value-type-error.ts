// The error thrown when a JS value cannot be written as a column's ODPS type.

/** Names the column path, the expected ODPS type and the JS type given (never the value). */
export class ValueTypeError extends TypeError {
  override name = 'ValueTypeError';
  readonly code = 'ValueTypeError';
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly actual: string,
    readonly detail?: string,
  ) {
    super(`value for "${path}" must be ${expected}, got ${actual}${detail ? ` (${detail})` : ''}`);
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
