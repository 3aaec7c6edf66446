// Per-type value decoders for the record format (tunnel.md §3.3) that also feed the record CRC (§3.4).
import { formatEpochDay } from '../../types/calendar.js';
import type { OdpsType } from '../../types/odps-type.js';
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '../../types/values.js';
import { corrupt, type WireReader } from './wire-reader.js';

export type ValueDecoder = (r: WireReader) => unknown;

export interface ValueDecodeOptions {
  /** Return STRING values as Uint8Array (raw bytes, for non-UTF-8 data). */
  binaryStrings?: boolean;
}

const NANOS_PER_SECOND = 1_000_000_000;

/** The signed int64 in r.lo/r.hi as a bigint; BigInt work happens once per value. */
function int64ToBigInt(asNumber: number, r: WireReader): bigint {
  if (asNumber === asNumber) return BigInt(asNumber);
  return BigInt(r.hi) * 4294967296n + BigInt(r.lo);
}

function readInt(r: WireReader): number {
  const n = r.readZigzag64();
  r.crc.int64(r.lo, r.hi);
  if (n !== n) throw corrupt('integer out of range');
  return n;
}

function readBigint(r: WireReader): bigint {
  const n = r.readZigzag64();
  r.crc.int64(r.lo, r.hi);
  return int64ToBigInt(n, r);
}

function readBoolean(r: WireReader): boolean {
  r.readVarint64();
  const v = r.lo !== 0 || r.hi !== 0;
  r.crc.byte(v ? 1 : 0);
  return v;
}

function readFloat(r: WireReader): number {
  r.need(4);
  const p = r.pos;
  const v = r.dv.getFloat32(p, true);
  r.crc.bytes(r.buf, p, p + 4);
  r.pos = p + 4;
  return v;
}

function readDouble(r: WireReader): number {
  r.need(8);
  const p = r.pos;
  const v = r.dv.getFloat64(p, true);
  r.crc.bytes(r.buf, p, p + 8);
  r.pos = p + 8;
  return v;
}

/** Reads a length prefix and the payload, feeds the payload to the CRC; returns the payload start. */
function readPayload(r: WireReader): number {
  let p = r.pos;
  let len = p < r.end ? r.buf[p]! : 0x80;
  // One-byte length prefix (payloads under 128 bytes) without the general varint call.
  if (len < 0x80) p++;
  else {
    len = r.readLength();
    p = r.pos;
  }
  const end = p + len;
  if (end > r.end) throw r.needMore(end);
  r.crc.bytes(r.buf, p, end);
  r.pos = end;
  return p;
}

// Up to this many bytes, building an ASCII string in JS beats the native utf8Slice call.
const ASCII_FAST_MAX = 8;

function readString(r: WireReader): string {
  const p = readPayload(r);
  const end = r.pos;
  const buf = r.buf;
  if (end - p <= ASCII_FAST_MAX) {
    let s = '';
    for (let i = p; i < end; i++) {
      const b = buf[i]!;
      if (b >= 0x80) return buf.utf8Slice(p, end);
      s += String.fromCharCode(b);
    }
    return s;
  }
  return buf.utf8Slice(p, end);
}

function readBytes(r: WireReader): Uint8Array {
  const p = readPayload(r);
  const out = new Uint8Array(r.pos - p);
  out.set(r.buf.subarray(p, r.pos));
  return out;
}

function readDecimal(r: WireReader): string {
  const p = readPayload(r);
  return r.buf.latin1Slice(p, r.pos);
}

function readDatetime(r: WireReader): Date {
  return new Date(readInt(r));
}

function readDate(r: WireReader): string {
  return formatEpochDay(readInt(r));
}

function readIntervalYearMonth(r: WireReader): IntervalYearMonth {
  return new IntervalYearMonth(readInt(r));
}

/** The seconds of a seconds+nanos pair; the nanos follow via readNanos (no tuple per value). */
function readSeconds(r: WireReader): bigint {
  const secNum = r.readZigzag64();
  r.crc.int64(r.lo, r.hi);
  return int64ToBigInt(secNum, r);
}

function readNanos(r: WireReader): number {
  const nanos = r.readZigzag32();
  r.crc.int32(nanos);
  if (nanos < 0 || nanos >= NANOS_PER_SECOND) throw corrupt('nanos out of range');
  return nanos;
}

function readTimestamp(r: WireReader): Timestamp {
  const s = readSeconds(r);
  return new Timestamp(s, readNanos(r));
}

function readIntervalDayTime(r: WireReader): IntervalDayTime {
  const s = readSeconds(r);
  return new IntervalDayTime(s, readNanos(r));
}

function isNullFlag(r: WireReader): boolean {
  const p = r.pos;
  if (p < r.end) {
    const b = r.buf[p]!;
    // The flag is almost always the one byte 0 or 1.
    if (b < 0x80) {
      r.pos = p + 1;
      return b !== 0;
    }
  }
  r.readVarint64();
  return r.lo !== 0 || r.hi !== 0;
}

/** Reads an element count; each element takes at least one byte, which bounds it by the data. */
function readCount(r: WireReader): number {
  const n = r.readLength();
  r.need(n);
  return n;
}

function readList(r: WireReader, element: ValueDecoder, count?: number): unknown[] {
  const n = count ?? readCount(r);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = isNullFlag(r) ? null : element(r);
  return out;
}

/** Compiles a decoder for one ODPS type. Leaves feed their checksum bytes; counts and flags do not. */
export function compileDecoder(type: OdpsType, opts: ValueDecodeOptions = {}): ValueDecoder {
  switch (type.kind) {
    case 'boolean':
      return readBoolean;
    case 'tinyint':
    case 'smallint':
    case 'int':
      return readInt;
    case 'bigint':
      return readBigint;
    case 'float':
      return readFloat;
    case 'double':
      return readDouble;
    case 'string':
      return opts.binaryStrings ? readBytes : readString;
    case 'varchar':
    case 'char':
    case 'json':
      return readString;
    case 'binary':
      return readBytes;
    case 'decimal':
      return readDecimal;
    case 'datetime':
      return readDatetime;
    case 'date':
      return readDate;
    case 'interval_year_month':
      return readIntervalYearMonth;
    case 'timestamp':
    case 'timestamp_ntz':
      return readTimestamp;
    case 'interval_day_time':
      return readIntervalDayTime;
    case 'array': {
      const element = compileDecoder(type.element, opts);
      return (r) => readList(r, element);
    }
    case 'map': {
      const key = compileDecoder(type.key, opts);
      const value = compileDecoder(type.value, opts);
      // Keys go to a scratch list reused across values (a type node's decoder never re-enters itself),
      // values straight into the Map: no per-value key/value arrays.
      const keys: unknown[] = [];
      return (r) => {
        const n = readCount(r);
        for (let i = 0; i < n; i++) keys[i] = isNullFlag(r) ? null : key(r);
        const nv = readCount(r);
        if (nv !== n) {
          // Same order of failures as reading both lists first: a bad value throws before the count check.
          readList(r, value, nv);
          throw corrupt('map key and value counts differ');
        }
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          m.set(keys[i], isNullFlag(r) ? null : value(r));
          keys[i] = null;
        }
        return m;
      };
    }
    case 'struct': {
      const names = type.fields.map((f) => f.name);
      const decoders = type.fields.map((f) => compileDecoder(f.type, opts));
      return (r) => {
        const o: Record<string, unknown> = {};
        for (let i = 0; i < names.length; i++) o[names[i]!] = isNullFlag(r) ? null : decoders[i]!(r);
        return o;
      };
    }
    case 'vector': {
      const size = type.element === 'float' ? 4 : 8;
      return (r) => {
        const n = r.readLength();
        r.need(n * size);
        const p = r.pos;
        const out = new Array<number>(n);
        for (let i = 0; i < n; i++) out[i] = size === 4 ? r.dv.getFloat32(p + 4 * i, true) : r.dv.getFloat64(p + 8 * i, true);
        r.crc.bytes(r.buf, p, p + n * size);
        r.pos = p + n * size;
        return out;
      };
    }
    case 'void':
      return () => {
        throw corrupt('a VOID column carries a value');
      };
  }
}

