// Streaming decoder of tunnel record streams (tunnel.md §3.2, §3.5, §3.6): push chunks, get rows.
import { ChecksumError, TunnelError } from '../../errors.js';
import { type RecordColumn, resolveColumnTypes } from './columns.js';
import { crc32cInt32, crc32cUpdate } from './crc32c.js';
import { flattenBatches } from './flatten-batches.js';
import { compileDecoder, type ValueDecodeOptions, type ValueDecoder } from './value-decoders.js';
import { corrupt, NEED_MORE, WireReader } from './wire-reader.js';
import { END_METRICS, END_RECORD, META_CHECKSUM, META_COUNT, METRICS_FIELD, SCHEMA_END } from './wire.js';

/** One row: values in column order, typed per the client's value model (see the package README). */
export type Row = unknown[];

export interface RecordDecodeOptions extends ValueDecodeOptions {
  /** The stream starts with an in-stream schema block (instance tunnel `schema_in_stream`). */
  schemaInStream?: boolean;
  /** Added to record indexes in error messages (e.g. the rowrange start). */
  recordIndexBase?: number;
}

export interface StreamFooter {
  recordCount: number;
  /** The server metrics JSON text of the download trailer, when sent. */
  metrics?: string;
  /** The in-stream schema JSON text, when `schemaInStream` was set. */
  schema?: string;
}

const NO_ROWS: Row[] = [];

/**
 * Push-based decoder: `push(chunk)` returns the rows completed by that chunk, `end()` checks the
 * footer. Records split across chunks are retried once enough bytes arrived; the wait grows
 * geometrically so a huge record costs linear time, not quadratic.
 */
export class RecordStreamDecoder {
  private readonly r = new WireReader();
  private readonly decoders: ValueDecoder[];
  private readonly ncols: number;
  /** All-NULL row copied for each record: a packed array, cheaper to make and to read than a filled new Array(n). */
  private readonly emptyRow: Row;
  private readonly indexBase: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private waitFor = 0;
  private inSchema: boolean;
  private totalCrc = 0;
  private _recordCount = 0;
  private _finished = false;
  private footer: StreamFooter | undefined;
  private schemaText: string | undefined;

  constructor(columns: readonly RecordColumn[], opts: RecordDecodeOptions = {}) {
    const types = resolveColumnTypes(columns);
    this.decoders = types.map((t) => compileDecoder(t, opts));
    this.ncols = types.length;
    this.emptyRow = newRow(this.ncols);
    this.indexBase = opts.recordIndexBase ?? 0;
    this.inSchema = opts.schemaInStream === true;
  }

  /** Records decoded so far. */
  get recordCount(): number {
    return this._recordCount;
  }

  /** True once the footer was read and verified. */
  get finished(): boolean {
    return this._finished;
  }

  /** Footer facts; undefined until finished. */
  get result(): StreamFooter | undefined {
    return this.footer;
  }

  push(chunk: Uint8Array): Row[] {
    if (chunk.byteLength === 0) return NO_ROWS;
    if (this._finished) throw corrupt('data after the stream footer');
    this.pending.push(chunk);
    this.pendingBytes += chunk.byteLength;
    if (this.pendingBytes < this.waitFor) return NO_ROWS;
    return this.drain(false);
  }

  /** Signals the end of input; throws TunnelError 'truncated stream' when the footer is missing. */
  end(): Row[] {
    if (this._finished) return NO_ROWS;
    return this.drain(true);
  }

  private takePending(): Uint8Array {
    const parts = this.pending;
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.waitFor = 0;
    return buf;
  }

  private drain(final: boolean): Row[] {
    const r = this.r;
    r.setBuffer(this.takePending());
    const rows: Row[] = [];
    let start = 0;
    try {
      while (!this._finished && r.pos < r.end) {
        start = r.pos;
        if (this.inSchema) this.readSchema();
        else this.readRecordOrFooter(rows);
      }
      if (this._finished && r.pos < r.end) throw corrupt('data after the stream footer');
    } catch (e) {
      if (e !== NEED_MORE) throw e;
      if (final) throw this.truncated(true);
      const tail = r.buf.subarray(start, r.end);
      this.pending = [tail];
      this.pendingBytes = tail.byteLength;
      this.waitFor = Math.max(NEED_MORE.need - start, 2 * tail.byteLength);
      return rows;
    }
    if (final && !this._finished) throw this.truncated(false);
    return rows;
  }

  private truncated(insideRecord: boolean): TunnelError {
    const where = insideRecord ? `inside record ${this.indexBase + this._recordCount}` : `after ${this._recordCount} records`;
    return new TunnelError(`truncated stream: the body ended ${where} before the stream footer`, { code: 'TruncatedStream' });
  }

  private readRecordOrFooter(rows: Row[]): void {
    const r = this.r;
    const ncols = this.ncols;
    const decoders = this.decoders;
    const buf = r.buf;
    r.crc.reset();
    let row: Row | null = null;
    for (;;) {
      // Fast paths: a one-byte column tag, and the 4-byte END_RECORD tag `80 c0 ff 7f`.
      let field: number;
      const p = r.pos;
      const b = p < r.end ? buf[p]! : 0x80;
      if (b < 0x80) {
        field = b >>> 3;
        r.pos = p + 1;
      } else if (b === 0x80 && p + 4 <= r.end && buf[p + 1] === 0xc0 && buf[p + 2] === 0xff && buf[p + 3] === 0x7f) {
        field = END_RECORD;
        r.pos = p + 4;
      } else {
        field = r.readVarint32() >>> 3;
      }
      if (field >= 1 && field <= ncols) {
        if (row === null) row = this.emptyRow.slice();
        r.crc.int32(field);
        row[field - 1] = decoders[field - 1]!(r);
        continue;
      }
      if (field === END_RECORD) {
        const expected = r.crc.value();
        const got = r.readCrc();
        if (got !== expected) {
          const index = this.indexBase + this._recordCount;
          throw new ChecksumError(`record checksum mismatch at record ${index}`, { recordIndex: index });
        }
        this.totalCrc = crc32cInt32(this.totalCrc, expected);
        this._recordCount++;
        rows.push(row ?? this.emptyRow.slice());
        return;
      }
      if (field === META_COUNT && row === null) {
        this.readFooter();
        return;
      }
      throw corrupt(`invalid field number ${field} in record ${this.indexBase + this._recordCount} (${ncols} columns)`);
    }
  }

  /** The rest of the footer after the META_COUNT tag: count, optional metrics block, total CRC. */
  private readFooter(): void {
    const r = this.r;
    const count = r.readZigzag64();
    let field = r.readVarint32() >>> 3;
    let metrics: string | undefined;
    if (field === METRICS_FIELD) {
      metrics = this.readCheckedBlock(END_METRICS, 'metrics');
      field = r.readVarint32() >>> 3;
    }
    if (field !== META_CHECKSUM) throw corrupt(`expected the stream checksum, got field ${field}`);
    const total = r.readCrc();
    if (count !== this._recordCount) {
      throw corrupt(`the footer counts ${count} records but the body held ${this._recordCount}`);
    }
    if (total !== this.totalCrc) throw new ChecksumError('stream checksum mismatch (footer)');
    this._finished = true;
    this.footer = { recordCount: count };
    if (metrics !== undefined) this.footer.metrics = metrics;
    if (this.schemaText !== undefined) this.footer.schema = this.schemaText;
  }

  /** A field-1 bytes block closed by `endField` + CRC32C(int32LE(1) ‖ bytes) (metrics, in-stream schema). */
  private readCheckedBlock(endField: number, what: string): string {
    const r = this.r;
    const len = r.readLength();
    r.need(len);
    const p = r.pos;
    r.pos += len;
    const text = r.buf.utf8Slice(p, p + len);
    const crc = crc32cUpdate(crc32cInt32(0, METRICS_FIELD), r.buf, p, p + len);
    if (r.readVarint32() >>> 3 !== endField) throw corrupt(`${what} block not terminated`);
    if (r.readCrc() !== crc) throw new ChecksumError(`${what} checksum mismatch`);
    return text;
  }

  private readSchema(): void {
    const r = this.r;
    if (r.readVarint32() >>> 3 !== METRICS_FIELD) throw corrupt('expected the in-stream schema');
    const text = this.readCheckedBlock(SCHEMA_END, 'schema');
    this.schemaText = text;
    this.inSchema = false;
  }
}

function newRow(n: number): Row {
  const row: Row = [];
  for (let i = 0; i < n; i++) row.push(null);
  return row;
}

/** Decodes a whole record stream held in memory. */
export function decodeRecordStream(
  columns: readonly RecordColumn[],
  bytes: Uint8Array,
  opts: RecordDecodeOptions = {},
): { rows: Row[]; recordCount: number; metrics?: string } {
  const d = new RecordStreamDecoder(columns, opts);
  const rows = d.push(bytes);
  const rest = d.end();
  for (const row of rest) rows.push(row);
  const out: { rows: Row[]; recordCount: number; metrics?: string } = { rows, recordCount: d.recordCount };
  if (d.result?.metrics !== undefined) out.metrics = d.result.metrics;
  return out;
}

export interface StreamDecodeOptions extends RecordDecodeOptions {
  /** Called once the footer has been verified. */
  onFooter?: (footer: StreamFooter) => void;
}

/** Pull-based: reads the next source chunk only after the rows of the previous one were consumed. */
export async function* decodeRecordBatches(
  source: AsyncIterable<Uint8Array>,
  columns: readonly RecordColumn[],
  opts: StreamDecodeOptions = {},
): AsyncGenerator<Row[], void, undefined> {
  const d = new RecordStreamDecoder(columns, opts);
  for await (const chunk of source) {
    const rows = d.push(chunk);
    if (rows.length > 0) yield rows;
  }
  const rows = d.end();
  if (rows.length > 0) yield rows;
  if (d.result) opts.onFooter?.(d.result);
}

/** Row-at-a-time view of decodeRecordBatches. */
export function decodeRecords(
  source: AsyncIterable<Uint8Array>,
  columns: readonly RecordColumn[],
  opts: StreamDecodeOptions = {},
): AsyncGenerator<Row, void, undefined> {
  return flattenBatches(() => decodeRecordBatches(source, columns, opts));
}
