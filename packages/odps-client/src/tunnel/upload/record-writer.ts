// Row writer over an upload session: rows are coerced and encoded into size-bounded blocks, one PUT each.
import type { Column } from '../../types/column.js';
import { parseTypeCached } from '../../types/odps-type.js';
import { RecordStreamEncoder } from '../records/record-encoder.js';
import { ValueTypeError } from '../../types/value-type-error.js';
import type { BlockWriterOptions } from './block-buffer.js';
import { BlockWriter } from './block-writer.js';
import type { TableUploadSession } from './upload-session.js';

export type RecordWriterOptions = BlockWriterOptions;

/** A row to write: values in column order, or an object keyed by column name (missing columns are null). */
export type RowInput = readonly unknown[] | Record<string, unknown>;

/**
 * `write` validates every value (ValueTypeError naming the column, before anything is sent), encodes
 * it into the current block and, once the block reaches `blockSize`, uploads it before returning.
 * `commit()` uploads the last block and commits the session once; `abort()` never commits.
 */
export class RecordBlockWriter extends BlockWriter {
  readonly columns: readonly Column[];
  private encoder: RecordStreamEncoder;
  private readonly byName: Map<string, number>;
  private readonly firstIsComplex: boolean;
  private rows = 0;

  constructor(session: TableUploadSession, opts: RecordWriterOptions = {}) {
    super(session, opts, false);
    this.columns = session.columns;
    this.encoder = new RecordStreamEncoder(this.columns);
    this.byName = new Map(this.columns.map((c, i) => [c.name.toLowerCase(), i]));
    const first = this.columns[0] ? parseTypeCached(this.columns[0].type).kind : undefined;
    this.firstIsComplex = first === 'array' || first === 'vector' || first === 'map' || first === 'struct';
  }

  /** Rows written so far (all blocks). */
  get recordCount(): number {
    return this.rows;
  }

  /**
   * One row (array in column order, or `{ column: value }`), or an array of rows. When the first
   * column is complex (ARRAY, VECTOR, MAP, STRUCT) the argument is always one row: use `writeRows`.
   */
  async write(input: RowInput | readonly RowInput[]): Promise<void> {
    const isRowList = !this.firstIsComplex && Array.isArray(input) && input.length > 0
      && input.every((r) => Array.isArray(r) || isPlainObject(r));
    await this.writeRows(isRowList ? (input as readonly RowInput[]) : [input as RowInput]);
  }

  /**
   * All-or-nothing per call: when a row fails (ValueTypeError naming the row index within the call and
   * the column, or an error of the source itself), none of this call's rows stay buffered and the
   * writer remains usable. The one exception: if a block holding this call's rows was already uploaded
   * (the call crossed `blockSize`), those rows cannot be taken back, so the writer refuses further
   * writes and commit (`WriterFailed`): abort it.
   */
  async writeRows(rows: Iterable<RowInput> | AsyncIterable<RowInput>): Promise<void> {
    this.ledger.assertOpen();
    const encoder = this.encoder;
    const mark = encoder.mark();
    const chunkCount = this.chunks.length;
    const rowCount = this.rows;
    let index = 0;
    try {
      if (!isSyncIterable(rows)) {
        for await (const row of rows) {
          if (this.writeRow(row)) await this.flushBlock();
          index++;
        }
        return;
      }
      // Sync sources (arrays, generators) are read without an await per row (for-await over a sync
      // iterable costs a promise and a microtask each); only a full block, or a promise given as a row
      // (which for-await would have awaited), makes this wait.
      for (const row of rows) {
        if (isThenable(row)) {
          if (this.writeRow(await row)) await this.flushBlock();
        } else if (this.writeRow(row)) {
          await this.flushBlock();
        }
        index++;
      }
    } catch (err) {
      const tagged = err instanceof ValueTypeError && err.row === undefined ? err.atRow(index) : err;
      // flushBlock swaps in a new encoder: the same encoder means no block of this call left.
      if (this.encoder === encoder) {
        encoder.rollback(mark);
        this.chunks.length = chunkCount;
        this.rows = rowCount;
      } else {
        this.ledger.fail(tagged);
      }
      throw tagged;
    }
  }

  /** Encodes one row; true when the current block is full and must be uploaded now. */
  private writeRow(row: RowInput): boolean {
    const chunk = this.encoder.write(this.toArray(row));
    this.rows++;
    if (chunk) this.chunks.push(chunk);
    return this.encoder.byteCount >= this.ledger.blockSize;
  }

  private toArray(row: RowInput): readonly unknown[] {
    if (Array.isArray(row)) return row;
    if (row === null || typeof row !== 'object') throw new ValueTypeError('row', 'an array or an object', row === null ? 'null' : typeof row);
    const out = new Array<unknown>(this.columns.length).fill(null);
    for (const [k, v] of Object.entries(row)) {
      const i = this.byName.get(k.toLowerCase());
      if (i === undefined) throw new ValueTypeError('row', `an object of the data columns of ${this.session.table.name}`, 'object', `unknown field "${k.slice(0, 64)}"`);
      out[i] = v;
    }
    return out;
  }

  /** Finish and upload the current block (if it holds rows), then start a new one. */
  override async flushBlock(): Promise<void> {
    this.ledger.assertOpen();
    if (this.encoder.recordCount === 0) return;
    this.chunks.push(this.encoder.finish());
    const chunks = this.chunks;
    this.chunks = [];
    this.encoder = new RecordStreamEncoder(this.columns);
    await this.ledger.upload(chunks);
  }
}

function isSyncIterable<T>(v: Iterable<T> | AsyncIterable<T>): v is Iterable<T> {
  // for-await prefers Symbol.asyncIterator when an object has both.
  return typeof (v as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] !== 'function'
    && typeof (v as Partial<Iterable<T>>)[Symbol.iterator] === 'function';
}

function isThenable(v: unknown): v is PromiseLike<RowInput> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { then?: unknown }).then === 'function';
}

function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
