// RecordBatch -> rows in the record value model (design §4), reading raw buffers (ns timestamps, decimals).
import { DateUnit, IntervalUnit, TimeUnit, Type, type Data, type DataType, type RecordBatch } from 'apache-arrow';
import { TunnelError } from '../../errors.js';
import { formatEpochDay } from '../../types/calendar.js';
import type { OdpsType } from '../../types/odps-type.js';
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '../../types/values.js';
import { type RecordColumn, resolveColumnTypes } from '../records/columns.js';
import { malformedArrow } from './malformed.js';

type Reader = (data: Data, i: number) => unknown;

function isNull(data: Data, i: number): boolean {
  return data.nullCount > 0 && !data.getValid(i);
}

function nullable(read: Reader): Reader {
  return (data, i) => (isNull(data, i) ? null : read(data, i));
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

function bytesAt(data: Data, i: number): Uint8Array {
  const offsets = data.valueOffsets as ArrayLike<number | bigint>;
  const start = Number(offsets[i]);
  const end = Number(offsets[i + 1]);
  return (data.values as Uint8Array).subarray(start, end);
}

function decimalText(words: Uint32Array, scale: number): string {
  let v = 0n;
  for (let k = words.length - 1; k >= 0; k--) v = (v << 32n) | BigInt(words[k]!);
  const bits = BigInt(words.length * 32);
  if (words[words.length - 1]! & 0x80000000) v -= 1n << bits;
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

function timestampFrom(v: bigint, unit: TimeUnit, odps: OdpsType | undefined): unknown {
  const kind = odps?.kind;
  if (kind === 'datetime' || (kind === undefined && unit !== TimeUnit.NANOSECOND && unit !== TimeUnit.MICROSECOND)) {
    const ms = unit === TimeUnit.SECOND ? v * 1000n : unit === TimeUnit.MILLISECOND ? v : unit === TimeUnit.MICROSECOND ? v / 1000n : v / 1_000_000n;
    return new Date(Number(ms));
  }
  const ns = unit === TimeUnit.SECOND ? v * 1_000_000_000n : unit === TimeUnit.MILLISECOND ? v * 1_000_000n : unit === TimeUnit.MICROSECOND ? v * 1000n : v;
  return Timestamp.fromEpochNanos(ns);
}

function compile(type: DataType, odps: OdpsType | undefined, bin: boolean): Reader {
  const t = type as DataType & { bitWidth?: number; unit?: number; scale?: number; precision?: number };
  switch (type.typeId) {
    case Type.Null:
      return () => null;
    case Type.Bool:
      return nullable((d, i) => {
        const idx = d.offset + i;
        return ((d.values as Uint8Array)[idx >> 3]! & (1 << (idx & 7))) !== 0;
      });
    case Type.Int:
      if (t.bitWidth === 64) {
        // Arrow int64 is bigint; ODPS small ints only come as narrower widths.
        return nullable((d, i) => (d.values as BigInt64Array)[i]!);
      }
      return nullable((d, i) => (d.values as Int32Array)[i]!);
    case Type.Float:
      return nullable((d, i) => (d.values as Float64Array)[i]!);
    case Type.Utf8:
    case Type.LargeUtf8:
      // BINARY, and STRING when raw bytes were asked for (non-UTF-8 data must not become U+FFFD).
      if (odps?.kind === 'binary' || (bin && odps?.kind === 'string')) return nullable((d, i) => bytesAt(d, i).slice());
      return nullable((d, i) => textDecoder.decode(bytesAt(d, i)));
    case Type.Binary:
    case Type.LargeBinary:
      return nullable((d, i) => bytesAt(d, i).slice());
    case Type.Date:
      if (t.unit === DateUnit.DAY) {
        if (odps?.kind === 'datetime') return nullable((d, i) => new Date((d.values as Int32Array)[i]! * 86_400_000));
        return nullable((d, i) => formatEpochDay((d.values as Int32Array)[i]!));
      }
      // date64: DATETIME as Java sends it.
      return nullable((d, i) => {
        const v = d.values as BigInt64Array | Int32Array;
        const ms = v instanceof BigInt64Array ? Number(v[i]!) : v[2 * i]! + v[2 * i + 1]! * 4294967296;
        return odps?.kind === 'date' ? formatEpochDay(Math.floor(ms / 86_400_000)) : new Date(ms);
      });
    case Type.Timestamp: {
      const unit = t.unit as TimeUnit;
      return nullable((d, i) => timestampFrom((d.values as BigInt64Array)[i]!, unit, odps));
    }
    case Type.Decimal: {
      const words = (t.bitWidth ?? 128) / 32;
      const scale = t.scale ?? 0;
      return nullable((d, i) => decimalText((d.values as Uint32Array).subarray(i * words, (i + 1) * words), scale));
    }
    case Type.Interval:
      if (t.unit === IntervalUnit.YEAR_MONTH) return nullable((d, i) => new IntervalYearMonth((d.values as Int32Array)[i]!));
      if (t.unit === IntervalUnit.DAY_TIME) {
        return nullable((d, i) => {
          const v = d.values as Int32Array;
          const days = v[2 * i]!;
          const ms = v[2 * i + 1]!;
          const secs = Math.floor(ms / 1000);
          return new IntervalDayTime(BigInt(days) * 86400n + BigInt(secs), (ms - secs * 1000) * 1_000_000);
        });
      }
      return nullable((d, i) => (d.values as Int32Array).slice(4 * i, 4 * i + 4));
    case Type.List:
    case Type.LargeList: {
      const childOdps = odps?.kind === 'array' ? odps.element : undefined;
      const child = compile(type.children[0]!.type, childOdps, bin);
      return nullable((d, i) => {
        const offsets = d.valueOffsets as ArrayLike<number | bigint>;
        const start = Number(offsets[i]);
        const end = Number(offsets[i + 1]);
        const cd = d.children[0]!;
        const out = new Array<unknown>(end - start);
        for (let k = start; k < end; k++) out[k - start] = child(cd, k);
        return out;
      });
    }
    case Type.FixedSizeList: {
      const child = compile(type.children[0]!.type, odps?.kind === 'array' ? odps.element : undefined, bin);
      const size = (type as DataType & { listSize: number }).listSize;
      return nullable((d, i) => {
        const cd = d.children[0]!;
        const out = new Array<unknown>(size);
        for (let k = 0; k < size; k++) out[k] = child(cd, i * size + k);
        return out;
      });
    }
    case Type.Map: {
      const entries = type.children[0]!.type;
      const key = compile(entries.children[0]!.type, odps?.kind === 'map' ? odps.key : undefined, bin);
      const value = compile(entries.children[1]!.type, odps?.kind === 'map' ? odps.value : undefined, bin);
      return nullable((d, i) => {
        const offsets = d.valueOffsets as ArrayLike<number>;
        const ed = d.children[0]!;
        const m = new Map<unknown, unknown>();
        for (let k = Number(offsets[i]); k < Number(offsets[i + 1]); k++) m.set(key(ed.children[0]!, k), value(ed.children[1]!, k));
        return m;
      });
    }
    case Type.Struct: {
      if (odps?.kind === 'timestamp' || odps?.kind === 'timestamp_ntz' || odps?.kind === 'interval_day_time') {
        // struct<sec:int64, nano:int32> (instance tunnel, tunnel.md §4.4)
        const Ctor = odps.kind === 'interval_day_time' ? IntervalDayTime : Timestamp;
        return nullable((d, i) => {
          const sec = (d.children[0]!.values as BigInt64Array)[i]!;
          const nano = (d.children[1]!.values as Int32Array)[i]!;
          if (nano <= -1_000_000_000 || nano >= 1_000_000_000) throw malformedArrow(`nano field ${nano} is outside (-1e9, 1e9)`);
          // Normalize in case a writer used truncation instead of floor for pre-1970 values.
          return nano < 0 ? new Ctor(sec - 1n, nano + 1_000_000_000) : new Ctor(sec, nano);
        });
      }
      const fields = type.children;
      const names = odps?.kind === 'struct' && odps.fields.length === fields.length ? odps.fields.map((f) => f.name) : fields.map((f) => f.name);
      const readers = fields.map((f, k) => compile(f.type, odps?.kind === 'struct' ? odps.fields[k]?.type : undefined, bin));
      return nullable((d, i) => {
        const o: Record<string, unknown> = {};
        for (let k = 0; k < readers.length; k++) o[names[k]!] = readers[k]!(d.children[k]!, i);
        return o;
      });
    }
    case Type.FixedSizeBinary: {
      const width = (type as DataType & { byteWidth: number }).byteWidth;
      return nullable((d, i) => (d.values as Uint8Array).slice(i * width, (i + 1) * width));
    }
    default:
      return (d, i) => (isNull(d, i) ? null : (d as unknown as { type: DataType }).type.toString());
  }
}

export interface ArrowRowsOptions {
  /** STRING values (with `columns` given) as Uint8Array: the exact bytes, for non-UTF-8 data. */
  binaryStrings?: boolean;
}

/**
 * Converts a RecordBatch to rows (arrays in column order) in the record value model. With `columns`
 * (ODPS types, same order as the batch), values follow those types exactly; otherwise by Arrow type.
 */
export function arrowBatchToRows(batch: RecordBatch, columns?: readonly RecordColumn[], opts: ArrowRowsOptions = {}): unknown[][] {
  const odps = columns ? resolveColumnTypes(columns) : undefined;
  try {
    return batchRows(batch, odps, opts.binaryStrings === true);
  } catch (err) {
    // Batches from decodeArrowStream are checked before they get here; this catches any gap (and
    // hand-made batches) so a value apache-arrow or a value class refuses still ends typed.
    if (err instanceof RangeError || err instanceof TypeError) {
      throw new TunnelError(`malformed Arrow payload: cannot convert the batch to rows: ${err.message}`, { code: 'MalformedArrowStream', cause: err });
    }
    throw err;
  }
}

function batchRows(batch: RecordBatch, odps: readonly OdpsType[] | undefined, bin: boolean): unknown[][] {
  const fields = batch.schema.fields;
  const readers = fields.map((f, k) => compile(f.type, odps?.[k], bin));
  const datas = fields.map((_, k) => batch.data.children[k]!);
  const rows = new Array<unknown[]>(batch.numRows);
  for (let i = 0; i < batch.numRows; i++) {
    const row = new Array<unknown>(readers.length);
    for (let k = 0; k < readers.length; k++) row[k] = readers[k]!(datas[k]!, i);
    rows[i] = row;
  }
  return rows;
}
