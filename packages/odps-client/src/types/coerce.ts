// Validates and normalizes a JS value to the read value model of its ODPS type before writing (design §4).
import { formatEpochDay, parseEpochDay } from './calendar.js';
import { formatDecimalText, parseDecimalText } from './decimal-text.js';
import { formatType, type OdpsType } from './odps-type.js';
import { float32Problem, hasLoneSurrogate } from './text-checks.js';
import { jsTypeOf, ValueTypeError } from './value-type-error.js';
import { IntervalDayTime, IntervalYearMonth, Timestamp } from './values.js';

const INT_RANGE = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
} as const;

// ODPS documents BIGINT as -2^63+1 .. 2^63-1 (tunnel.md §10.1): -2^63 is rejected.
const BIGINT_MIN = -(2n ** 63n) + 1n;
const BIGINT_MAX = 2n ** 63n - 1n;
// DATE range 0000-01-01 .. 9999-12-31 as epoch days.
const DATE_MIN_DAYS = -719528;
const DATE_MAX_DAYS = 2932896;
const LEGACY_DECIMAL_INT_DIGITS = 36;
const LEGACY_DECIMAL_SCALE = 18;

const textEncoder = new TextEncoder();

function fail(type: OdpsType, v: unknown, path: string, detail?: string): never {
  throw new ValueTypeError(path, formatType(type), jsTypeOf(v), detail);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function codePointLength(s: string, limit: number): number {
  // UTF-16 length bounds the code point count from above, so most strings need no scan.
  if (s.length <= limit) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function checkText(type: OdpsType, v: string, path: string): string {
  if (hasLoneSurrogate(v)) fail(type, v, path, 'lone surrogate: not encodable as UTF-8');
  return v;
}

function coerceDecimal(type: Extract<OdpsType, { kind: 'decimal' }>, v: unknown, path: string): string {
  let text: string;
  if (typeof v === 'string') text = v;
  else if (typeof v === 'bigint') text = v.toString();
  else if (typeof v === 'number') {
    if (!Number.isFinite(v)) fail(type, v, path, 'not finite');
    text = String(v);
  } else return fail(type, v, path);
  const d = parseDecimalText(text);
  if (!d) fail(type, v, path, 'not decimal text');
  const maxScale = type.precision === undefined ? LEGACY_DECIMAL_SCALE : (type.scale ?? 0);
  const maxInt = type.precision === undefined ? LEGACY_DECIMAL_INT_DIGITS : type.precision - maxScale;
  if (d.frac.length > maxScale) {
    // Trailing zeros beyond the scale do not change the value; anything else would need rounding.
    const trimmed = d.frac.replace(/0+$/, '');
    if (trimmed.length > maxScale) fail(type, v, path, `more than ${maxScale} fraction digits`);
    d.frac = d.frac.slice(0, maxScale);
  }
  if (d.int.length > maxInt) fail(type, v, path, `more than ${maxInt} integer digits`);
  return formatDecimalText(d);
}

function coerceMap(type: Extract<OdpsType, { kind: 'map' }>, v: unknown, path: string): Map<unknown, unknown> {
  const out = new Map<unknown, unknown>();
  let entries: Iterable<[unknown, unknown]>;
  if (v instanceof Map) entries = v.entries() as Iterable<[unknown, unknown]>;
  else if (isPlainObject(v)) entries = Object.entries(v);
  else return fail(type, v, path);
  let i = 0;
  for (const [k, val] of entries) {
    out.set(coerceValue(type.key, k, `${path}.key[${i}]`), coerceValue(type.value, val, `${path}.value[${i}]`));
    i++;
  }
  return out;
}

function coerceStruct(type: Extract<OdpsType, { kind: 'struct' }>, v: unknown, path: string): Record<string, unknown> {
  if (!isPlainObject(v)) fail(type, v, path);
  const out: Record<string, unknown> = {};
  let matched = 0;
  let lower: Map<string, string> | undefined;
  for (const f of type.fields) {
    let key: string | undefined = Object.hasOwn(v, f.name) ? f.name : undefined;
    if (key === undefined) {
      // ODPS field names are case-insensitive.
      lower ??= new Map(Object.keys(v).map((k) => [k.toLowerCase(), k]));
      key = lower.get(f.name.toLowerCase());
    }
    if (key !== undefined) matched++;
    out[f.name] = coerceValue(f.type, key === undefined ? undefined : v[key], `${path}.${f.name}`);
  }
  if (matched !== Object.keys(v).length) {
    const names = new Set(type.fields.map((f) => f.name.toLowerCase()));
    const extra = Object.keys(v).find((k) => !names.has(k.toLowerCase()));
    fail(type, v, path, `unknown field "${extra?.slice(0, 64) ?? '?'}"`);
  }
  return out;
}

/**
 * Checks `v` against `type` and returns it in the read value model: e.g. a safe-integer
 * number becomes a bigint for BIGINT, a Date becomes 'YYYY-MM-DD' for DATE, undefined becomes null.
 * STRING keeps a Uint8Array as is (raw bytes). Throws ValueTypeError naming `path`.
 */
export function coerceValue(type: OdpsType, v: unknown, path: string): unknown {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'boolean':
      if (typeof v !== 'boolean') fail(type, v, path);
      return v;
    case 'tinyint':
    case 'smallint':
    case 'int': {
      const [lo, hi] = INT_RANGE[type.kind];
      if (typeof v === 'number') {
        if (!Number.isInteger(v)) fail(type, v, path, 'not an integer');
        if (v < lo || v > hi) fail(type, v, path, 'out of range');
        return v === 0 ? 0 : v;
      }
      if (typeof v === 'bigint') {
        if (v < BigInt(lo) || v > BigInt(hi)) fail(type, v, path, 'out of range');
        return Number(v);
      }
      return fail(type, v, path);
    }
    case 'bigint':
      if (typeof v === 'bigint') {
        if (v < BIGINT_MIN || v > BIGINT_MAX) fail(type, v, path, 'out of range');
        return v;
      }
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v)) fail(type, v, path, 'not a safe integer');
        return BigInt(v);
      }
      return fail(type, v, path);
    case 'float': {
      if (typeof v !== 'number') return fail(type, v, path);
      const problem = float32Problem(v);
      if (problem) fail(type, v, path, problem);
      return v;
    }
    case 'double':
      if (typeof v !== 'number') fail(type, v, path);
      return v;
    case 'decimal':
      return coerceDecimal(type, v, path);
    case 'string':
      if (typeof v === 'string') return checkText(type, v, path);
      if (v instanceof Uint8Array) return v;
      return fail(type, v, path);
    case 'json':
      if (typeof v !== 'string') fail(type, v, path, 'JSON text expected');
      return checkText(type, v, path);
    case 'varchar':
    case 'char':
      if (typeof v !== 'string') fail(type, v, path);
      if (codePointLength(v, type.length) > type.length) fail(type, v, path, `longer than ${type.length} characters`);
      return checkText(type, v, path);
    case 'binary':
      if (v instanceof Uint8Array) return v;
      if (typeof v === 'string') return textEncoder.encode(checkText(type, v, path));
      return fail(type, v, path);
    case 'datetime':
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) fail(type, v, path, 'invalid Date');
        return v;
      }
      if (typeof v === 'number') {
        if (!Number.isInteger(v) || Math.abs(v) > 8.64e15) fail(type, v, path, 'not integer epoch milliseconds');
        return new Date(v);
      }
      return fail(type, v, path);
    case 'date': {
      let days: number | undefined;
      if (typeof v === 'string') {
        days = parseEpochDay(v);
        if (days === undefined) fail(type, v, path, "not 'YYYY-MM-DD'");
      } else if (v instanceof Date) {
        const ms = v.getTime();
        if (Number.isNaN(ms)) fail(type, v, path, 'invalid Date');
        days = Math.floor(ms / 86_400_000);
      } else return fail(type, v, path);
      if (days < DATE_MIN_DAYS || days > DATE_MAX_DAYS) fail(type, v, path, 'outside 0000-01-01..9999-12-31');
      return formatEpochDay(days);
    }
    case 'timestamp':
    case 'timestamp_ntz':
      if (v instanceof Timestamp) return v;
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) fail(type, v, path, 'invalid Date');
        return Timestamp.fromDate(v);
      }
      return fail(type, v, path);
    case 'interval_day_time':
      if (v instanceof IntervalDayTime) return v;
      return fail(type, v, path);
    case 'interval_year_month':
      if (v instanceof IntervalYearMonth) return v;
      if (typeof v === 'number') {
        if (!Number.isSafeInteger(v)) fail(type, v, path, 'not an integer');
        return new IntervalYearMonth(v);
      }
      return fail(type, v, path);
    case 'vector': {
      if (!(Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array)) fail(type, v, path);
      const arr = v as ArrayLike<unknown>;
      if (arr.length !== type.dimension) fail(type, v, path, `dimension ${arr.length}`);
      const out = new Array<number>(arr.length);
      const isFloat = type.element === 'float';
      for (let i = 0; i < arr.length; i++) {
        const e = arr[i];
        if (typeof e !== 'number') fail(type, e, `${path}[${i}]`);
        const problem = isFloat ? float32Problem(e) : undefined;
        if (problem) fail(type, e, `${path}[${i}]`, problem);
        out[i] = e;
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(v)) fail(type, v, path);
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) out[i] = coerceValue(type.element, v[i], `${path}[${i}]`);
      return out;
    }
    case 'map':
      return coerceMap(type, v, path);
    case 'struct':
      return coerceStruct(type, v, path);
    case 'void':
      return fail(type, v, path, 'only null');
  }
}
