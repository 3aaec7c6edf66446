// Value-model rows -> apache-arrow RecordBatch with the tunnel's wire types (tunnel.md §4.4), built from raw buffers.
import { parseType, type OdpsType } from '@odps-ts/odps-client';
import { makeData, RecordBatch, Struct, Type, type Data, type DataType, type Field, type Schema } from 'apache-arrow';

// Built by hand rather than with apache-arrow builders: the builders take timestamps as JS millisecond
// numbers (losing nanoseconds) and would not let us pick the exact physical layout.

const MS_PER_DAY = 86_400_000;

function validity(values: readonly unknown[]): { nullCount: number; nullBitmap?: Uint8Array } {
  let nullCount = 0;
  for (const v of values) if (v === null || v === undefined) nullCount++;
  if (nullCount === 0) return { nullCount };
  const bitmap = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { nullCount, nullBitmap: bitmap };
}

function epochDay(text: string): number {
  const m = /^(-?\d{1,6})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new TypeError(`not a DATE value: '${text}'`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(d.getTime() / MS_PER_DAY);
}

/** Unscaled integer of a decimal text at `scale` (extra fraction digits are truncated). */
function unscaled(text: string, scale: number): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) throw new TypeError(`not a DECIMAL value: '${text}'`);
  const frac = (m[3] ?? '').slice(0, scale).padEnd(scale, '0');
  const v = BigInt(`${m[2] || '0'}${frac}`);
  return m[1] === '-' ? -v : v;
}

function decimalWords(values: readonly unknown[], scale: number, bitWidth: number): Uint32Array {
  const words = bitWidth / 32;
  const out = new Uint32Array(values.length * words);
  const mod = 1n << BigInt(bitWidth);
  values.forEach((v, i) => {
    if (v === null || v === undefined) return;
    let u = unscaled(String(v), scale);
    if (u < 0n) u += mod;
    for (let k = 0; k < words; k++) {
      out[i * words + k] = Number(u & 0xffffffffn);
      u >>= 32n;
    }
  });
  return out;
}

function varBytes(values: readonly unknown[], toBytes: (v: unknown) => Uint8Array): { valueOffsets: Int32Array; data: Uint8Array } {
  const parts: Uint8Array[] = [];
  const valueOffsets = new Int32Array(values.length + 1);
  let total = 0;
  values.forEach((v, i) => {
    if (v !== null && v !== undefined) {
      const b = toBytes(v);
      parts.push(b);
      total += b.byteLength;
    }
    valueOffsets[i + 1] = total;
  });
  return { valueOffsets, data: Buffer.concat(parts, total) };
}

function utf8(v: unknown): Uint8Array {
  return Buffer.from(typeof v === 'string' ? v : String(v), 'utf8');
}

function rawBytes(v: unknown): Uint8Array {
  return v instanceof Uint8Array ? v : Buffer.from(String(v), 'utf8');
}

function listOffsets(values: readonly unknown[], lengthOf: (v: unknown) => number): Int32Array {
  const offsets = new Int32Array(values.length + 1);
  values.forEach((v, i) => {
    offsets[i + 1] = offsets[i]! + (v === null || v === undefined ? 0 : lengthOf(v));
  });
  return offsets;
}

function structField(v: unknown, name: string): unknown {
  if (v === null || v === undefined) return null;
  const record = v as Record<string, unknown>;
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? null : record[key];
}

/** One column's Data for `type` (Arrow) / `odps` (logical) from value-model values. */
export function columnData(type: DataType, odps: OdpsType, values: readonly unknown[]): Data {
  const length = values.length;
  const valid = validity(values);
  const base = { type, length, ...valid } as const;
  const fill = <A extends { [i: number]: number | bigint }>(arr: A, f: (v: unknown) => number | bigint): A => {
    values.forEach((v, i) => {
      if (v !== null && v !== undefined) arr[i] = f(v);
    });
    return arr;
  };
  switch (odps.kind) {
    case 'void':
      return makeData({ type, length, nullCount: length } as never);
    case 'boolean': {
      const bits = new Uint8Array((length + 7) >> 3);
      values.forEach((v, i) => {
        if (v === true) bits[i >> 3]! |= 1 << (i & 7);
      });
      return makeData({ ...base, data: bits } as never);
    }
    case 'tinyint': return makeData({ ...base, data: fill(new Int8Array(length), Number) } as never);
    case 'smallint': return makeData({ ...base, data: fill(new Int16Array(length), Number) } as never);
    case 'int': return makeData({ ...base, data: fill(new Int32Array(length), Number) } as never);
    case 'bigint': return makeData({ ...base, data: fill(new BigInt64Array(length), (v) => BigInt(v as bigint)) } as never);
    case 'float': return makeData({ ...base, data: fill(new Float32Array(length), Number) } as never);
    case 'double': return makeData({ ...base, data: fill(new Float64Array(length), Number) } as never);
    case 'string': case 'varchar': case 'char': case 'json':
      return makeData({ ...base, ...varBytes(values, utf8) } as never);
    case 'binary':
      return makeData({ ...base, ...varBytes(values, rawBytes) } as never);
    case 'date':
      return makeData({ ...base, data: fill(new Int32Array(length), (v) => (v instanceof Date ? Math.floor(v.getTime() / MS_PER_DAY) : epochDay(String(v)))) } as never);
    case 'datetime':
      return makeData({ ...base, data: fill(new BigInt64Array(length), (v) => BigInt((v as Date).getTime())) } as never);
    case 'timestamp': case 'timestamp_ntz': {
      const ts = values as readonly ({ epochSeconds: bigint; nanos: number } | null)[];
      if (type.typeId === Type.Struct) {
        // Instance tunnel layout struct<sec:int64, nano:int32> (tunnel.md §4.4, §7).
        const sec = new BigInt64Array(length);
        const nano = new Int32Array(length);
        ts.forEach((v, i) => {
          if (v) {
            sec[i] = v.epochSeconds;
            nano[i] = v.nanos;
          }
        });
        const [secField, nanoField] = (type as Struct).children as [Field, Field];
        return makeData({
          ...base,
          children: [
            makeData({ type: secField.type, length, nullCount: 0, data: sec } as never),
            makeData({ type: nanoField.type, length, nullCount: 0, data: nano } as never),
          ],
        } as never);
      }
      return makeData({ ...base, data: fill(new BigInt64Array(length), (v) => (v as { epochSeconds: bigint }).epochSeconds * 1_000_000_000n + BigInt((v as { nanos: number }).nanos)) } as never);
    }
    case 'decimal': {
      const t = type as DataType & { scale: number; bitWidth: number };
      return makeData({ ...base, data: decimalWords(values, t.scale, t.bitWidth) } as never);
    }
    case 'interval_year_month':
      return makeData({ ...base, data: fill(new Int32Array(length), (v) => (v as { months: number }).months) } as never);
    case 'interval_day_time': {
      // [UNVERIFIED] Arrow interval[day_time] = (days, milliseconds) pairs; sub-millisecond nanos are lost.
      const pairs = new Int32Array(length * 2);
      values.forEach((v, i) => {
        if (v === null || v === undefined) return;
        const { totalSeconds, nanos } = v as { totalSeconds: bigint; nanos: number };
        const days = totalSeconds >= 0n ? totalSeconds / 86400n : -((-totalSeconds + 86399n) / 86400n);
        pairs[2 * i] = Number(days);
        pairs[2 * i + 1] = Number(totalSeconds - days * 86400n) * 1000 + Math.floor(nanos / 1_000_000);
      });
      return makeData({ ...base, data: pairs } as never);
    }
    case 'array': case 'vector': {
      const element: OdpsType = odps.kind === 'array' ? odps.element : { kind: odps.element };
      const childField = (type.children as Field[])[0]!;
      const flat: unknown[] = [];
      for (const v of values) if (v !== null && v !== undefined) flat.push(...(v as unknown[]));
      return makeData({
        ...base,
        valueOffsets: listOffsets(values, (v) => (v as unknown[]).length),
        child: columnData(childField.type, element, flat),
      } as never);
    }
    case 'map': {
      const entriesField = (type.children as Field[])[0]!;
      const [keyField, valueField] = entriesField.type.children as [Field, Field];
      const keys: unknown[] = [];
      const vals: unknown[] = [];
      for (const v of values) {
        if (v === null || v === undefined) continue;
        const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object);
        for (const [k, val] of entries) {
          keys.push(k);
          vals.push(val);
        }
      }
      const entries = makeData({
        type: entriesField.type,
        length: keys.length,
        nullCount: 0,
        children: [columnData(keyField.type, odps.key, keys), columnData(valueField.type, odps.value, vals)],
      } as never);
      return makeData({
        ...base,
        valueOffsets: listOffsets(values, (v) => (v instanceof Map ? v.size : Object.keys(v as object).length)),
        child: entries,
      } as never);
    }
    case 'struct': {
      const fields = type.children as Field[];
      return makeData({
        ...base,
        children: odps.fields.map((f, k) => columnData(fields[k]!.type, f.type, values.map((v) => structField(v, f.name)))),
      } as never);
    }
  }
}

/** A RecordBatch of `rows` (value model, already projected to the schema's columns). */
export function rowsToRecordBatch(schema: Schema, odpsTypes: readonly string[], rows: readonly unknown[][]): RecordBatch {
  const children = schema.fields.map((f, c) => columnData(f.type, parseType(odpsTypes[c]!), rows.map((r) => r[c] ?? null)));
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new RecordBatch(schema, data);
}
