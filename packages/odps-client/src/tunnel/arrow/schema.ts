// ODPS columns -> apache-arrow Schema as the tunnel puts them on the wire (tunnel.md §4.4, §10.3).
import {
  Binary, Bool, DateDay, Decimal, Field, Float32, Float64, Int8, Int16, Int32, Int64, IntervalDayTime,
  IntervalYearMonth, List, Map_, Null, Schema, Struct, TimestampMillisecond, TimestampNanosecond, Utf8,
  type DataType,
} from 'apache-arrow';
import type { OdpsType } from '../../types/odps-type.js';
import { type RecordColumn, resolveColumnTypes } from '../records/columns.js';

export interface ArrowSchemaOptions {
  /**
   * TIMESTAMP/TIMESTAMP_NTZ layout: 'ns' = timestamp[ns] (table tunnel), 'struct' = struct<sec:int64,
   * nano:int32> (instance tunnel and preview). Default 'ns'.
   */
  timestampLayout?: 'ns' | 'struct';
  /**
   * Bit width for legacy DECIMAL (no precision), modelled as (54,18). [UNVERIFIED] Java uses 128,
   * PyODPS 256; default 128. Prefer the record format for such columns.
   */
  legacyDecimalBitWidth?: 128 | 256;
}

function secNanoStruct(): Struct {
  return new Struct([new Field('sec', new Int64(), true), new Field('nano', new Int32(), true)]);
}

/** The Arrow type the tunnel uses for an ODPS type. */
export function arrowTypeFor(type: OdpsType, opts: ArrowSchemaOptions = {}): DataType {
  switch (type.kind) {
    case 'boolean': return new Bool();
    case 'tinyint': return new Int8();
    case 'smallint': return new Int16();
    case 'int': return new Int32();
    case 'bigint': return new Int64();
    case 'float': return new Float32();
    case 'double': return new Float64();
    case 'string': case 'varchar': case 'char': case 'json': return new Utf8();
    case 'binary': return new Binary();
    case 'date': return new DateDay();
    // PyODPS and Go say timestamp[ms], Java date64: the same 64-bit millisecond buffers.
    case 'datetime': return new TimestampMillisecond();
    case 'timestamp':
    case 'timestamp_ntz':
      return opts.timestampLayout === 'struct' ? secNanoStruct() : new TimestampNanosecond();
    case 'decimal':
      if (type.precision === undefined) return new Decimal(18, 54, opts.legacyDecimalBitWidth ?? 128);
      return new Decimal(type.scale ?? 0, type.precision, type.precision > 38 ? 256 : 128);
    // [UNVERIFIED] Java and Go use Arrow intervals; PyODPS a sec/nano struct for day-time.
    case 'interval_day_time': return new IntervalDayTime();
    case 'interval_year_month': return new IntervalYearMonth();
    case 'array': return new List(new Field('element', arrowTypeFor(type.element, opts), true));
    case 'vector': return new List(new Field('element', type.element === 'float' ? new Float32() : new Float64(), true));
    case 'map':
      return new Map_(new Field('entries', new Struct<{ key: DataType; value: DataType }>([
        new Field('key', arrowTypeFor(type.key, opts), false),
        new Field('value', arrowTypeFor(type.value, opts), true),
      ]), false), false);
    case 'struct':
      return new Struct(type.fields.map((f) => new Field(f.name, arrowTypeFor(f.type, opts), true)));
    case 'void': return new Null();
  }
}

/** Schema for the requested columns in order (never partition columns). */
export function arrowSchemaFor(columns: readonly RecordColumn[], opts: ArrowSchemaOptions = {}): Schema {
  const types = resolveColumnTypes(columns);
  return new Schema(columns.map((c, i) => new Field(c.name, arrowTypeFor(types[i]!, opts), true)));
}

/** FieldNodes a record batch of this schema carries (one per field, recursively). */
export function fieldNodeCount(schema: Schema): number {
  const count = (t: DataType): number => 1 + (t.children ?? []).reduce((n: number, f: Field) => n + count(f.type), 0);
  return schema.fields.reduce((n, f) => n + count(f.type), 0);
}

/** True if the columns contain a TIMESTAMP(_NTZ) anywhere, so the layout matters. */
export function hasTimestamp(columns: readonly RecordColumn[]): boolean {
  const walk = (t: OdpsType): boolean => {
    switch (t.kind) {
      case 'timestamp': case 'timestamp_ntz': return true;
      case 'array': return walk(t.element);
      case 'map': return walk(t.key) || walk(t.value);
      case 'struct': return t.fields.some((f) => walk(f.type));
      default: return false;
    }
  };
  return resolveColumnTypes(columns).some(walk);
}
