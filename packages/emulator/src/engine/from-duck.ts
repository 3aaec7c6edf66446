// DuckDB result values -> the ODPS row value model (contracts §2), one converter per result column type.
import { DuckDBTypeId } from '@duckdb/node-api';
import type {
  DuckDBType, DuckDBValue, DuckDBBlobValue, DuckDBDateValue, DuckDBDecimalValue, DuckDBIntervalValue,
  DuckDBListValue, DuckDBMapValue, DuckDBStructValue, DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue, DuckDBTimestampSecondsValue, DuckDBTimestampValue, DuckDBArrayValue,
} from '@duckdb/node-api';
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '@odps-ts/odps-client';
import { formatScaled } from './decimal-text.js';

export type FromDuck = (v: DuckDBValue) => unknown;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** 'YYYY-MM-DD' of an epoch day (proleptic Gregorian, years outside 0..9999 signed 6 digits). */
export function formatEpochDay(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  const ys = y >= 0 && y <= 9999 ? pad(y, 4) : (y < 0 ? '-' : '+') + pad(Math.abs(y), 6);
  return `${ys}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

function microsToDate(micros: bigint): Date {
  return new Date(Number(floorDiv(micros, 1000n)));
}

function intervalToModel(v: DuckDBIntervalValue): IntervalDayTime | IntervalYearMonth {
  if (v.months !== 0 && v.days === 0 && v.micros === 0n) return new IntervalYearMonth(v.months);
  // A month counts as 30 days when a day-time interval carries months (DuckDB keeps them apart).
  const micros = BigInt(v.months) * 30n * 86_400_000_000n + BigInt(v.days) * 86_400_000_000n + v.micros;
  const secs = floorDiv(micros, 1_000_000n);
  return new IntervalDayTime(secs, Number(micros - secs * 1_000_000n) * 1000);
}

const identity: FromDuck = (v) => v;

/** Build the converter for values of one DuckDB type. Nulls always map to null. */
export function fromDuck(t: DuckDBType): FromDuck {
  const inner = fromDuckNonNull(t);
  return (v) => (v === null || v === undefined ? null : inner(v));
}

function fromDuckNonNull(t: DuckDBType): FromDuck {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN: case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.VARCHAR:
      return identity;
    case DuckDBTypeId.UINTEGER:
      return (v) => BigInt(v as number);
    case DuckDBTypeId.BIGINT: case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UBIGINT: case DuckDBTypeId.UHUGEINT:
      return (v) => (typeof v === 'bigint' ? v : BigInt(v as number));
    case DuckDBTypeId.DECIMAL:
      return (v) => {
        const d = v as DuckDBDecimalValue;
        return formatScaled(d.value, d.scale);
      };
    case DuckDBTypeId.BLOB:
      return (v) => new Uint8Array((v as DuckDBBlobValue).bytes);
    case DuckDBTypeId.DATE:
      return (v) => formatEpochDay((v as DuckDBDateValue).days);
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_TZ:
      return (v) => microsToDate((v as DuckDBTimestampValue).micros);
    case DuckDBTypeId.TIMESTAMP_MS:
      return (v) => new Date(Number((v as DuckDBTimestampMillisecondsValue).millis));
    case DuckDBTypeId.TIMESTAMP_S:
      return (v) => new Date(Number((v as DuckDBTimestampSecondsValue).seconds) * 1000);
    case DuckDBTypeId.TIMESTAMP_NS:
      return (v) => {
        const ns = (v as DuckDBTimestampNanosecondsValue).nanos;
        const secs = floorDiv(ns, 1_000_000_000n);
        return new Timestamp(secs, Number(ns - secs * 1_000_000_000n));
      };
    case DuckDBTypeId.INTERVAL:
      return (v) => intervalToModel(v as DuckDBIntervalValue);
    case DuckDBTypeId.LIST: {
      const el = fromDuck(t.valueType);
      return (v) => (v as DuckDBListValue).items.map(el);
    }
    case DuckDBTypeId.ARRAY: {
      const el = fromDuck(t.valueType);
      return (v) => (v as DuckDBArrayValue).items.map(el);
    }
    case DuckDBTypeId.MAP: {
      const k = fromDuck(t.keyType);
      const val = fromDuck(t.valueType);
      return (v) => new Map((v as DuckDBMapValue).entries.map((e) => [k(e.key), val(e.value)]));
    }
    case DuckDBTypeId.STRUCT: {
      const names = t.entryNames;
      const convs = t.entryTypes.map(fromDuck);
      return (v) => {
        const entries = (v as DuckDBStructValue).entries;
        const out: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) out[names[i]!] = convs[i]!(entries[names[i]!] ?? null);
        return out;
      };
    }
    default:
      return (v) => String(v);
  }
}
