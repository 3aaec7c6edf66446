// Per-type value encoders for the record format (tunnel.md §3.3) that also feed the record CRC (§3.4).
// Inputs are already coerced to the read value model (types/coerce.ts).
import { parseEpochDay } from '../../types/calendar.js';
import type { OdpsType } from '../../types/odps-type.js';
import type { IntervalDayTime, IntervalYearMonth, Timestamp } from '../../types/values.js';
import type { WireWriter } from './wire-writer.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './wire.js';

export type ValueEncoder = (w: WireWriter, v: unknown) => void;

/** The wire type a writer must put in a column's tag. */
export function wireTypeOf(type: OdpsType): number {
  switch (type.kind) {
    case 'boolean': case 'tinyint': case 'smallint': case 'int': case 'bigint':
    case 'datetime': case 'date': case 'interval_year_month':
      return WIRE_VARINT;
    case 'float':
      return WIRE_FIXED32;
    case 'double':
      return WIRE_FIXED64;
    default:
      return WIRE_LENGTH_DELIMITED;
  }
}

function writeIntNumber(w: WireWriter, n: number): void {
  w.splitNumber(n);
  w.crc.int64(w.lo, w.hi);
  w.zigzag64();
}

function writeSecondsNanos(w: WireWriter, seconds: bigint, nanos: number): void {
  w.splitBigint(seconds);
  w.crc.int64(w.lo, w.hi);
  w.zigzag64();
  w.crc.int32(nanos);
  w.zigzag32(nanos);
}

const encInt: ValueEncoder = (w, v) => writeIntNumber(w, v as number);
const encBigint: ValueEncoder = (w, v) => {
  w.splitBigint(v as bigint);
  w.crc.int64(w.lo, w.hi);
  w.zigzag64();
};
const encBoolean: ValueEncoder = (w, v) => {
  const b = v ? 1 : 0;
  w.crc.byte(b);
  w.byte(b);
};
const encFloat: ValueEncoder = (w, v) => {
  w.ensure(4);
  const p = w.pos;
  w.dv.setFloat32(p, v as number, true);
  w.pos = p + 4;
  w.crc.bytes(w.buf, p, p + 4);
};
const encDouble: ValueEncoder = (w, v) => {
  w.ensure(8);
  const p = w.pos;
  w.dv.setFloat64(p, v as number, true);
  w.pos = p + 8;
  w.crc.bytes(w.buf, p, p + 8);
};
const encText: ValueEncoder = (w, v) => {
  const start = typeof v === 'string' ? w.utf8(v) : w.bytes(v as Uint8Array);
  w.crc.bytes(w.buf, start, w.pos);
};
const encDatetime: ValueEncoder = (w, v) => writeIntNumber(w, (v as Date).getTime());
const encDate: ValueEncoder = (w, v) => writeIntNumber(w, parseEpochDay(v as string)!);
const encIntervalYearMonth: ValueEncoder = (w, v) => writeIntNumber(w, (v as IntervalYearMonth).months);
const encTimestamp: ValueEncoder = (w, v) => {
  const t = v as Timestamp;
  writeSecondsNanos(w, t.epochSeconds, t.nanos);
};
const encIntervalDayTime: ValueEncoder = (w, v) => {
  const t = v as IntervalDayTime;
  writeSecondsNanos(w, t.totalSeconds, t.nanos);
};

function writeList(w: WireWriter, items: readonly unknown[], element: ValueEncoder): void {
  w.varint32(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || item === undefined) {
      w.byte(1);
    } else {
      w.byte(0);
      element(w, item);
    }
  }
}

/** Like writeList over an iterator of known length (map keys/values without copying them out). */
function writeItems(w: WireWriter, count: number, items: Iterable<unknown>, element: ValueEncoder): void {
  w.varint32(count);
  for (const item of items) {
    if (item === null || item === undefined) {
      w.byte(1);
    } else {
      w.byte(0);
      element(w, item);
    }
  }
}

/** Compiles an encoder for one ODPS type (value bytes only; the caller writes the tag). */
export function compileEncoder(type: OdpsType): ValueEncoder {
  switch (type.kind) {
    case 'boolean':
      return encBoolean;
    case 'tinyint':
    case 'smallint':
    case 'int':
      return encInt;
    case 'bigint':
      return encBigint;
    case 'float':
      return encFloat;
    case 'double':
      return encDouble;
    case 'string': case 'varchar': case 'char': case 'json': case 'binary': case 'decimal':
      return encText;
    case 'datetime':
      return encDatetime;
    case 'date':
      return encDate;
    case 'interval_year_month':
      return encIntervalYearMonth;
    case 'timestamp':
    case 'timestamp_ntz':
      return encTimestamp;
    case 'interval_day_time':
      return encIntervalDayTime;
    case 'array': {
      const element = compileEncoder(type.element);
      return (w, v) => writeList(w, v as unknown[], element);
    }
    case 'map': {
      const key = compileEncoder(type.key);
      const value = compileEncoder(type.value);
      return (w, v) => {
        const m = v as Map<unknown, unknown>;
        writeItems(w, m.size, m.keys(), key);
        writeItems(w, m.size, m.values(), value);
      };
    }
    case 'struct': {
      const names = type.fields.map((f) => f.name);
      const encoders = type.fields.map((f) => compileEncoder(f.type));
      return (w, v) => {
        const o = v as Record<string, unknown>;
        for (let i = 0; i < names.length; i++) {
          const item = o[names[i]!];
          if (item === null || item === undefined) {
            w.byte(1);
          } else {
            w.byte(0);
            encoders[i]!(w, item);
          }
        }
      };
    }
    case 'vector': {
      const size = type.element === 'float' ? 4 : 8;
      return (w, v) => {
        const arr = v as number[];
        w.varint32(arr.length);
        w.ensure(arr.length * size);
        const p = w.pos;
        for (let i = 0; i < arr.length; i++) {
          if (size === 4) w.dv.setFloat32(p + 4 * i, arr[i]!, true);
          else w.dv.setFloat64(p + 8 * i, arr[i]!, true);
        }
        w.pos = p + arr.length * size;
        w.crc.bytes(w.buf, p, w.pos);
      };
    }
    case 'void':
      return () => {
        throw new TypeError('VOID columns hold only NULL');
      };
  }
}
