// Per-type "already canonical" checks: values coerceValue would return unchanged skip it on the write path.
import type { OdpsType } from '../../types/odps-type.js';
import { float32Problem } from '../../types/text-checks.js';
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '../../types/values.js';

/** True when coerceValue(type, v) would return `v` itself (same bytes on the wire); never throws. */
export type CanonicalCheck = (v: unknown) => boolean;

// Same bounds as types/coerce.ts (ODPS BIGINT excludes -2^63).
const BIGINT_MIN = -(2n ** 63n) + 1n;
const BIGINT_MAX = 2n ** 63n - 1n;
const INT_RANGE = { tinyint: 127, smallint: 32767, int: 2147483647 } as const;
const LEGACY_DECIMAL_INT_DIGITS = 36;
const LEGACY_DECIMAL_SCALE = 18;

const never: CanonicalCheck = () => false;

/**
 * Plain decimal text exactly as coerceDecimal would format it: optional '-', integer digits without
 * leading zeros ('0' alone for none), optional '.' and 1..maxScale digits, no '-' on a zero value.
 */
function canonicalDecimal(maxInt: number, maxScale: number): CanonicalCheck {
  return (v) => {
    if (typeof v !== 'string') return false;
    const n = v.length;
    let i = 0;
    let nonZero = false;
    if (n > 0 && v.charCodeAt(0) === 45) i = 1; // '-'
    const intStart = i;
    while (i < n) {
      const c = v.charCodeAt(i);
      if (c < 48 || c > 57) break;
      if (c !== 48) nonZero = true;
      i++;
    }
    const intDigits = i - intStart;
    if (intDigits === 0) return false;
    if (v.charCodeAt(intStart) === 48 && intDigits > 1) return false; // leading zero
    if (intDigits > maxInt && !(intDigits === 1 && !nonZero)) return false;
    if (i < n) {
      if (v.charCodeAt(i) !== 46) return false; // '.'
      const fracStart = ++i;
      while (i < n) {
        const c = v.charCodeAt(i);
        if (c < 48 || c > 57) return false;
        if (c !== 48) nonZero = true;
        i++;
      }
      const fracDigits = i - fracStart;
      if (fracDigits === 0 || fracDigits > maxScale) return false;
    }
    return intStart === 0 || nonZero;
  };
}

export function compileCanonicalCheck(type: OdpsType): CanonicalCheck {
  switch (type.kind) {
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'tinyint':
    case 'smallint':
    case 'int': {
      const max = INT_RANGE[type.kind];
      // -0 is also fine: it encodes like 0.
      return (v) => typeof v === 'number' && Number.isInteger(v) && v >= -max - 1 && v <= max;
    }
    case 'bigint':
      return (v) => typeof v === 'bigint' && v >= BIGINT_MIN && v <= BIGINT_MAX;
    case 'float':
      return (v) => typeof v === 'number' && float32Problem(v) === undefined;
    case 'double':
      return (v) => typeof v === 'number';
    case 'decimal': {
      const maxScale = type.precision === undefined ? LEGACY_DECIMAL_SCALE : (type.scale ?? 0);
      const maxInt = type.precision === undefined ? LEGACY_DECIMAL_INT_DIGITS : type.precision - maxScale;
      return canonicalDecimal(maxInt, maxScale);
    }
    case 'string':
      // Lone surrogates are caught by WireWriter.utf8, where the characters are read anyway.
      return (v) => typeof v === 'string' || v instanceof Uint8Array;
    case 'json':
      return (v) => typeof v === 'string';
    case 'varchar':
    case 'char': {
      // UTF-16 length bounds the code point count, so a short string is always within the limit.
      const max = type.length;
      return (v) => typeof v === 'string' && v.length <= max;
    }
    case 'binary':
      return (v) => v instanceof Uint8Array;
    case 'datetime':
      return (v) => v instanceof Date && !Number.isNaN(v.getTime());
    case 'timestamp':
    case 'timestamp_ntz':
      return (v) => v instanceof Timestamp;
    case 'interval_day_time':
      return (v) => v instanceof IntervalDayTime;
    case 'interval_year_month':
      return (v) => v instanceof IntervalYearMonth;
    case 'array': {
      const element = compileCanonicalCheck(type.element);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i++) {
          const e: unknown = v[i];
          // undefined elements are written as NULL, as coerceValue's null would be.
          if (e !== null && e !== undefined && !element(e)) return false;
        }
        return true;
      };
    }
    case 'map': {
      const key = compileCanonicalCheck(type.key);
      const value = compileCanonicalCheck(type.value);
      return (v) => {
        if (!(v instanceof Map)) return false;
        const m = v as Map<unknown, unknown>;
        // keys() and values() separately: entries() would allocate a [k, v] pair per entry.
        for (const k of m.keys()) if (k !== null && k !== undefined && !key(k)) return false;
        for (const val of m.values()) if (val !== null && val !== undefined && !value(val)) return false;
        return true;
      };
    }
    // DATE needs a calendar check, STRUCT field-name matching, VECTOR a copy: coerceValue handles them.
    case 'date':
    case 'struct':
    case 'vector':
    case 'void':
      return never;
  }
}
