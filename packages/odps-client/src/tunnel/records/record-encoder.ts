// Streaming encoder of tunnel record streams (tunnel.md §3.2, §3.4, §3.7): rows in, byte chunks out.
import { coerceValue } from '../../types/coerce.js';
import { formatType, type OdpsType } from '../../types/odps-type.js';
import { TEXT_VALUE_PATH } from '../../types/text-checks.js';
import { ValueTypeError } from '../../types/value-type-error.js';
import { compileCanonicalCheck, type CanonicalCheck } from './canonical.js';
import { type RecordColumn, resolveColumnTypes } from './columns.js';
import { crc32cInt32 } from './crc32c.js';
import { compileEncoder, type ValueEncoder, wireTypeOf } from './value-encoders.js';
import { WireWriter } from './wire-writer.js';
import { END_RECORD, META_CHECKSUM, META_COUNT, WIRE_VARINT } from './wire.js';

export interface RecordEncodeOptions {
  /** Emit a chunk once this many bytes are buffered (default 64 KiB). */
  chunkSize?: number;
}

function tagBytes(field: number, wireType: number): Uint8Array {
  const out: number[] = [];
  let v = (field * 8 + wireType) >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Uint8Array.from(out);
}

const END_RECORD_TAG = tagBytes(END_RECORD, WIRE_VARINT);
const META_COUNT_TAG = tagBytes(META_COUNT, WIRE_VARINT);
const META_CHECKSUM_TAG = tagBytes(META_CHECKSUM, WIRE_VARINT);

/** A position in an encoder's output (see RecordStreamEncoder.mark). */
export interface EncoderMark {
  readonly buf: Buffer;
  readonly pos: number;
  readonly totalCrc: number;
  readonly records: number;
  readonly emitted: number;
}

/**
 * `write(row)` returns a chunk when the buffer passed `chunkSize` (else null); `finish()` returns the
 * rest plus the footer. Rows are arrays in column order; missing trailing values are NULL.
 */
export class RecordStreamEncoder {
  private readonly w: WireWriter;
  private readonly types: OdpsType[];
  private readonly names: string[];
  private readonly encoders: ValueEncoder[];
  private readonly tags: Uint8Array[];
  /** The tag as one byte (fields 1..15), or -1 when it takes more. */
  private readonly tagByte: Int16Array;
  private readonly canonical: CanonicalCheck[];
  private readonly chunkSize: number;
  private readonly values: unknown[];
  private totalCrc = 0;
  private _recordCount = 0;
  private _bytesEmitted = 0;
  private finished = false;

  constructor(columns: readonly RecordColumn[], opts: RecordEncodeOptions = {}) {
    this.types = resolveColumnTypes(columns);
    this.names = columns.map((c) => c.name);
    this.encoders = this.types.map((t) => compileEncoder(t));
    this.tags = this.types.map((t, i) => tagBytes(i + 1, wireTypeOf(t)));
    this.tagByte = Int16Array.from(this.tags, (t) => (t.length === 1 ? t[0]! : -1));
    this.canonical = this.types.map((t) => compileCanonicalCheck(t));
    this.chunkSize = opts.chunkSize ?? 65536;
    this.w = new WireWriter(this.chunkSize + 1024);
    this.values = new Array<unknown>(this.types.length);
  }

  get recordCount(): number {
    return this._recordCount;
  }

  /** Bytes written so far, emitted or buffered. */
  get byteCount(): number {
    return this._bytesEmitted + this.w.pos;
  }

  /** Validates and encodes one row; throws ValueTypeError (and writes nothing) for a bad value. */
  write(row: readonly unknown[]): Uint8Array | null {
    if (this.finished) throw new Error('RecordStreamEncoder: write after finish');
    const n = this.types.length;
    if (!Array.isArray(row)) throw new ValueTypeError('row', 'an array of column values', typeof row);
    if (row.length > n) throw new ValueTypeError('row', `at most ${n} values`, `${row.length} values`);
    const values = this.values;
    const canonical = this.canonical;
    // Validate everything before writing anything; values already in the read value model skip coerceValue.
    for (let i = 0; i < n; i++) {
      const v = i < row.length ? row[i] : null;
      values[i] = v === null || v === undefined ? null : canonical[i]!(v) ? v : coerceValue(this.types[i]!, v, this.names[i]!);
    }
    const w = this.w;
    const crc = w.crc;
    const tagByte = this.tagByte;
    crc.reset();
    const rowStart = w.pos;
    let i = 0;
    try {
      for (; i < n; i++) {
        const v = values[i];
        if (v === null) continue;
        const t = tagByte[i]!;
        if (t >= 0) w.byte(t);
        else w.raw(this.tags[i]!);
        crc.int32(i + 1);
        this.encoders[i]!(w, v);
        values[i] = null;
      }
    } catch (err) {
      // Only text found to hold a lone surrogate throws here: drop the partial row, name the column.
      w.pos = rowStart;
      values.fill(null);
      if (err instanceof ValueTypeError && err.column === TEXT_VALUE_PATH) {
        throw new ValueTypeError(this.names[i]!, formatType(this.types[i]!), err.actual, err.detail);
      }
      throw err;
    }
    const recordCrc = crc.value();
    w.ensure(9);
    const buf = w.buf;
    const p = w.pos;
    buf[p] = END_RECORD_TAG[0]!;
    buf[p + 1] = END_RECORD_TAG[1]!;
    buf[p + 2] = END_RECORD_TAG[2]!;
    buf[p + 3] = END_RECORD_TAG[3]!;
    w.pos = p + 4;
    w.varint32(recordCrc);
    this.totalCrc = crc32cInt32(this.totalCrc, recordCrc);
    this._recordCount++;
    return w.pos >= this.chunkSize ? this.emit() : null;
  }

  /** The stream position now, to go back to with rollback(). */
  mark(): EncoderMark {
    const w = this.w;
    return { buf: w.buf, pos: w.pos, totalCrc: this.totalCrc, records: this._recordCount, emitted: this._bytesEmitted };
  }

  /**
   * Forgets every row written since `m`. Chunks returned since then must be dropped by the caller:
   * the encoder continues in the buffer they were cut from.
   */
  rollback(m: EncoderMark): void {
    if (this.finished) throw new Error('RecordStreamEncoder: rollback after finish');
    this.w.restore(m.buf, m.pos);
    this.totalCrc = m.totalCrc;
    this._recordCount = m.records;
    this._bytesEmitted = m.emitted;
  }

  /** Buffered bytes now (e.g. to keep an HTTP body moving); null when none. */
  flush(): Uint8Array | null {
    return this.w.pos > 0 ? this.emit() : null;
  }

  /** Remaining bytes plus the footer (META_COUNT, META_CHECKSUM). */
  finish(): Uint8Array {
    if (this.finished) throw new Error('RecordStreamEncoder: finish called twice');
    this.finished = true;
    const w = this.w;
    w.raw(META_COUNT_TAG);
    w.splitNumber(this._recordCount);
    w.zigzag64();
    w.raw(META_CHECKSUM_TAG);
    w.varint32(this.totalCrc);
    return this.emit();
  }

  private emit(): Uint8Array {
    const out = this.w.take();
    this._bytesEmitted += out.byteLength;
    return out;
  }
}

/** Encodes rows into one complete record stream. */
export function encodeRecordStream(columns: readonly RecordColumn[], rows: readonly (readonly unknown[])[]): Uint8Array {
  const enc = new RecordStreamEncoder(columns);
  const parts: Uint8Array[] = [];
  for (const row of rows) {
    const chunk = enc.write(row);
    if (chunk) parts.push(chunk);
  }
  parts.push(enc.finish());
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** Encodes a row source as a stream of body chunks (for upload bodies), footer included. */
export async function* encodeRecords(
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
  columns: readonly RecordColumn[],
  opts: RecordEncodeOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const enc = new RecordStreamEncoder(columns, opts);
  for await (const row of rows) {
    const chunk = enc.write(row);
    if (chunk) yield chunk;
  }
  yield enc.finish();
}
