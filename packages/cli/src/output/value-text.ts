// Value model (design §4) → text for CSV/table cells, and → JSON-safe values for JSON/NDJSON.
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '@odps-ts/odps-client';

export type BinaryEncoding = 'base64' | 'hex';

export interface ValueTextOptions {
  /** How BINARY (Uint8Array) values are written (default base64). */
  binary?: BinaryEncoding;
}

function bytesText(v: Uint8Array, enc: BinaryEncoding): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString(enc);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A JSON-safe value. BIGINT becomes a decimal string (the proto3 JSON convention: int64 does not fit a
 * JS/JSON double); DATETIME an ISO string; TIMESTAMP ISO with 9 digits; BINARY base64/hex; MAP an object
 * keyed by the key's text (entry order kept); non-finite doubles the strings "NaN"/"Infinity"/"-Infinity".
 */
export function toJsonValue(v: unknown, opts: ValueTextOptions = {}): unknown {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'string':
    case 'boolean':
      return v;
    case 'object':
      break;
    default:
      return String(v);
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (v instanceof Timestamp || v instanceof IntervalDayTime || v instanceof IntervalYearMonth) return v.toString();
  if (v instanceof Uint8Array) return bytesText(v, opts.binary ?? 'base64');
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => toJsonValue(x, opts));
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, opts));
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v) out[keyText(k, opts)] = toJsonValue(val, opts);
    return out;
  }
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[k] = toJsonValue(val, opts);
    return out;
  }
  return String(v);
}

function keyText(k: unknown, opts: ValueTextOptions): string {
  const t = toJsonValue(k, opts);
  return typeof t === 'string' ? t : toJsonText(t);
}

function hasNegativeZero(v: unknown): boolean {
  if (typeof v === 'number') return Object.is(v, -0);
  if (typeof v !== 'object' || v === null) return false;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (hasNegativeZero(x)) return true;
  return false;
}

function negativeZeroJson(v: unknown): string {
  if (Object.is(v, -0)) return '-0';
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(negativeZeroJson).join(',')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${negativeZeroJson(x)}`).join(',')}}`;
}

/**
 * JSON text of a JSON-safe value (from toJsonValue). Unlike JSON.stringify it keeps the sign of -0.0:
 * `-0` is a valid JSON number and JSON.parse reads it back as -0 (parsers that read integral numbers as
 * integers, like Python's, get 0 — the same as for any integral double such as 2.0, written `2`).
 */
export function toJsonText(v: unknown): string {
  // The scan is cheap next to stringifying; the slow writer runs only for values holding a -0.
  return hasNegativeZero(v) ? negativeZeroJson(v) : JSON.stringify(v);
}

/**
 * Text of one cell. Scalars print bare (bigint digits, decimal text, ISO instants, base64/hex bytes,
 * -0.0 as `-0`); ARRAY/MAP/STRUCT print as their JSON. `null` is returned as null so each format chooses its NULL form.
 */
export function toCellText(v: unknown, opts: ValueTextOptions = {}): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  const j = toJsonValue(v, opts);
  if (j === null) return null;
  return typeof j === 'string' ? j : toJsonText(j);
}
