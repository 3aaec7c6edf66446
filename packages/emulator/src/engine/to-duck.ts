// Value model (contracts §2, incl. the "also accepted on write" forms) -> DuckDB values for one ODPS column type.
import {
  blobValue, dateValue, decimalValue, intervalValue, listValue, mapValue, structValue, timestampMillisValue,
  timestampNanosValue,
} from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import { coerceValue, IntervalDayTime, IntervalYearMonth, parseEpochDay, Timestamp } from '@odps-ts/odps-client';
import type { OdpsType } from '@odps-ts/odps-client';
import { toScaled } from './decimal-text.js';

export type ToDuck = (v: unknown) => DuckDBValue;

/** A value that does not fit its column; the caller adds row/column context. */
export class ValueTypeError extends Error {
  override name = 'ValueTypeError';
}

// Fatal: DuckDB VARCHAR holds UTF-8 only, and replacing bad bytes with U+FFFD would change the data.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// TIMESTAMP_NS is an int64 of nanoseconds: 1677-09-21 .. 2262-04-11.
const MAX_NS = 9_223_372_036_854_775_806n;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function fail(type: string, v: unknown): never {
  throw new ValueTypeError(`expected a ${type} value, got ${describe(v)}`);
}

const INT_RANGES: Record<string, [number, number]> = {
  tinyint: [-128, 127],
  smallint: [-32768, 32767],
  int: [-2147483648, 2147483647],
};

function intConverter(kind: string): ToDuck {
  const [lo, hi] = INT_RANGES[kind]!;
  return (v) => {
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) fail(kind, v);
    if (n < lo || n > hi) throw new ValueTypeError(`${String(v)} is out of range for ${kind}`);
    return n;
  };
}

function bigintConverter(v: unknown): DuckDBValue {
  if (typeof v === 'bigint') {
    if (v < -(2n ** 63n) || v >= 2n ** 63n) throw new ValueTypeError(`${v} is out of range for bigint`);
    return v;
  }
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  return fail('bigint', v);
}

function epochDay(v: unknown): number {
  if (v instanceof Date) return Math.floor(v.getTime() / 86_400_000);
  if (typeof v === 'string') {
    // Calendar arithmetic, not Date.UTC: Date.UTC maps years 0..99 to 1900..1999.
    const days = DATE_RE.test(v) ? parseEpochDay(v) : undefined;
    if (days !== undefined) return days;
    throw new ValueTypeError(`invalid date '${v}' (expected YYYY-MM-DD)`);
  }
  return fail('date', v);
}

function toEpochNanos(v: unknown): bigint {
  let ns: bigint;
  if (v instanceof Timestamp) ns = v.epochSeconds * 1_000_000_000n + BigInt(v.nanos);
  else if (v instanceof Date) ns = BigInt(v.getTime()) * 1_000_000n;
  else if (typeof v === 'string') {
    const t = Timestamp.parse(v);
    ns = t.epochSeconds * 1_000_000_000n + BigInt(t.nanos);
  } else return fail('timestamp', v);
  if (ns > MAX_NS || ns < -MAX_NS) {
    throw new ValueTypeError('timestamp out of the emulator range (1677-09-21 .. 2262-04-11)');
  }
  return ns;
}

/** Text for a VARCHAR column: raw bytes must be UTF-8 and JS strings well-formed (no lone surrogate). */
function toText(v: unknown): string {
  if (typeof v === 'string') {
    if (!(v as unknown as { isWellFormed(): boolean }).isWellFormed()) throw new ValueTypeError('string has a lone surrogate: not encodable as UTF-8');
    return v;
  }
  if (!(v instanceof Uint8Array)) return fail('string', v);
  try {
    return utf8Decoder.decode(v);
  } catch {
    throw new ValueTypeError('STRING bytes are not valid UTF-8: the emulator stores STRING as DuckDB VARCHAR, which cannot hold them');
  }
}

/** FLOAT by the client's rule (coerceValue): refuse float32 overflow of finite values and underflow to zero. */
function toFloat(v: unknown): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number') return fail('float', v);
  try {
    coerceValue({ kind: 'float' }, n, 'value');
  } catch (err) {
    throw new ValueTypeError(err instanceof Error ? err.message : String(err));
  }
  return n;
}

/** Build the converter for one ODPS type. null/undefined map to SQL NULL. */
export function toDuck(t: OdpsType): ToDuck {
  const inner = toDuckNonNull(t);
  return (v) => (v === null || v === undefined ? null : inner(v));
}

function toDuckNonNull(t: OdpsType): ToDuck {
  switch (t.kind) {
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : fail('boolean', v));
    case 'tinyint': case 'smallint': case 'int':
      return intConverter(t.kind);
    case 'bigint':
      return bigintConverter;
    case 'float':
      return toFloat;
    case 'double':
      return (v) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : fail(t.kind, v));
    case 'decimal': {
      const precision = Math.min(t.precision ?? 38, 38);
      const scale = t.scale ?? (t.precision === undefined ? 18 : 0);
      const limit = 10n ** BigInt(precision);
      return (v) => {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'bigint') fail('decimal', v);
        const scaled = toScaled(v, scale);
        if (scaled === undefined) throw new ValueTypeError(`invalid decimal '${String(v)}'`);
        if (scaled >= limit || scaled <= -limit) {
          throw new ValueTypeError(`${String(v)} does not fit decimal(${precision},${scale})`);
        }
        return decimalValue(scaled, precision, scale);
      };
    }
    case 'string': case 'varchar': case 'char': case 'json': case 'void':
      return toText;
    case 'binary':
      return (v) =>
        v instanceof Uint8Array ? blobValue(v) : typeof v === 'string' ? blobValue(utf8Encoder.encode(toText(v))) : fail('binary', v);
    case 'datetime':
      return (v) => {
        if (v instanceof Date) {
          const ms = v.getTime();
          if (Number.isNaN(ms)) throw new ValueTypeError('invalid Date');
          return timestampMillisValue(BigInt(ms));
        }
        if (typeof v === 'number' && Number.isSafeInteger(v)) return timestampMillisValue(BigInt(v));
        if (v instanceof Timestamp) return timestampMillisValue(BigInt(v.toDate().getTime()));
        return fail('datetime', v);
      };
    case 'date':
      return (v) => dateValue(epochDay(v));
    case 'timestamp': case 'timestamp_ntz':
      return (v) => timestampNanosValue(toEpochNanos(v));
    case 'interval_day_time':
      return (v) => {
        if (!(v instanceof IntervalDayTime)) fail('IntervalDayTime', v);
        return intervalValue(0, 0, v.totalSeconds * 1_000_000n + BigInt(Math.floor(v.nanos / 1000)));
      };
    case 'interval_year_month':
      return (v) => {
        if (v instanceof IntervalYearMonth) return intervalValue(v.months, 0, 0n);
        if (typeof v === 'number' && Number.isInteger(v)) return intervalValue(v, 0, 0n);
        return fail('IntervalYearMonth', v);
      };
    case 'array': {
      const el = toDuck(t.element);
      return (v) => (Array.isArray(v) ? listValue(v.map(el)) : fail('array', v));
    }
    case 'vector': {
      const element = t.element === 'float' ? toFloat : (x: unknown) => (typeof x === 'number' ? x : fail('number', x));
      return (v) => {
        if (Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array) {
          return listValue(Array.from(v as ArrayLike<number>, element));
        }
        return fail('vector', v);
      };
    }
    case 'map': {
      const k = toDuck(t.key);
      const val = toDuck(t.value);
      return (v) => {
        if (v instanceof Map) return mapValue([...v.entries()].map(([key, value]) => ({ key: k(key), value: val(value) })));
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
          return mapValue(Object.entries(v).map(([key, value]) => ({ key: k(key), value: val(value) })));
        }
        return fail('map', v);
      };
    }
    case 'struct': {
      const fields = t.fields.map((f) => ({ name: f.name, conv: toDuck(f.type) }));
      return (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) fail('struct', v);
        const src = v as Record<string, unknown>;
        const out: Record<string, DuckDBValue> = {};
        for (const f of fields) out[f.name] = f.conv(src[f.name]);
        return structValue(out);
      };
    }
  }
}
