// Upsert writer: rows and deletes routed to buckets by the key hash, buffered per bucket, sent, then committed.
import { OdpsArgumentError, TunnelError } from '../../errors.js';
import type { Column } from '../../types/column.js';
import { coerceValue } from '../../types/coerce.js';
import { parseTypeCached, type OdpsType } from '../../types/odps-type.js';
import { ValueTypeError } from '../../types/value-type-error.js';
import { RecordStreamEncoder } from '../records/record-encoder.js';
import { bucketOf, isHashableKeyType } from './upsert-hasher.js';
import type { TableUpsertSession } from './upsert-session.js';
import { RowLayout } from '../records/row-input.js';

export interface UpsertWriterOptions {
  /** Send a bucket once it holds this many encoded bytes (default 1 MiB, PyODPS' slot buffer). */
  bucketBytes?: number;
  /** Send every bucket once all of them hold this many bytes (default 64 MiB). */
  totalBytes?: number;
  /** Deflate each request body. */
  compress?: boolean;
  maxAttempts?: number;
  signal?: AbortSignal;
}

type RowInput = readonly unknown[] | Record<string, unknown>;

const OP_UPSERT = 85; // 'U'
const OP_DELETE = 68; // 'D'

interface Bucket {
  encoder: RecordStreamEncoder;
  chunks: Uint8Array[];
}

/**
 * Nothing is visible until `commit()`. Operations on one key keep their order (one key, one bucket,
 * one request at a time per bucket). A failed send stops the writer; `abort()` drops everything.
 */
export class UpsertWriter {
  readonly columns: readonly Column[];
  private readonly types: OdpsType[];
  private readonly keyIdx: number[];
  private readonly keyTypes: OdpsType[];
  private readonly layout: RowLayout;
  private readonly buckets: Bucket[];
  private readonly bucketBytes: number;
  private readonly totalBytes: number;
  private failure: unknown;
  private done = false;
  private ops = 0;

  constructor(readonly session: TableUpsertSession, private readonly opts: UpsertWriterOptions = {}) {
    this.columns = session.columns;
    this.types = this.columns.map((c) => parseTypeCached(c.type));
    this.layout = new RowLayout(this.columns, session.table.name);
    this.keyIdx = session.hashKeys.map((k) => this.layout.indexOf(k)!);
    this.keyTypes = this.keyIdx.map((i) => this.types[i]!);
    for (const [n, t] of this.keyTypes.entries()) {
      if (!isHashableKeyType(t)) throw new OdpsArgumentError(`key column ${session.hashKeys[n]} of type ${t.kind.toUpperCase()} is not supported by the upsert writer`);
    }
    this.buckets = session.buckets.map(() => this.newBucket());
    this.bucketBytes = opts.bucketBytes ?? 1024 * 1024;
    this.totalBytes = opts.totalBytes ?? 64 * 1024 * 1024;
    if (!(this.bucketBytes >= 1024) || !(this.totalBytes >= this.bucketBytes)) throw new OdpsArgumentError('bucketBytes must be at least 1024 and totalBytes at least bucketBytes');
  }

  /** Operations accepted so far. */
  get operationCount(): number {
    return this.ops;
  }

  /** Insert the row, or replace the row with the same key (array in column order or `{ column: value }`). */
  async upsert(row: RowInput): Promise<void> {
    await this.write(this.layout.toArray(row), OP_UPSERT);
  }

  /** Delete the row with this key: `{ key: value }`, or a full row of which only the key is used. */
  async delete(key: RowInput): Promise<void> {
    const full = this.layout.toArray(key);
    const row = new Array<unknown>(this.columns.length).fill(null);
    for (const i of this.keyIdx) row[i] = full[i];
    await this.write(row, OP_DELETE);
  }

  private async write(row: readonly unknown[], op: number): Promise<void> {
    this.assertOpen();
    if (row.length !== this.columns.length) throw new OdpsArgumentError(`a row of ${this.session.table.name} has ${this.columns.length} values, got ${row.length}`);
    const keys: unknown[] = [];
    for (const [n, i] of this.keyIdx.entries()) {
      const col = this.columns[i]!;
      const v = coerceValue(this.keyTypes[n]!, row[i], col.name);
      if (v === null) throw new ValueTypeError(col.name, `a ${this.keyTypes[n]!.kind.toUpperCase()} key value`, 'null', 'upsert and delete need every primary key column');
      keys.push(v);
    }
    const b = bucketOf(this.session.hasher, this.keyTypes, keys, this.buckets.length);
    const bucket = this.buckets[b]!;
    // The encoder validates every value before writing any of the record.
    const chunk = bucket.encoder.write([...row, null, null, op, null, []]);
    if (chunk) bucket.chunks.push(chunk);
    this.ops++;
    if (bucket.encoder.byteCount > this.bucketBytes) await this.flushBuckets((x) => x === bucket);
    else if (this.buffered() > this.totalBytes) await this.flushBuckets(() => true);
  }

  private buffered(): number {
    let n = 0;
    for (const b of this.buckets) n += b.encoder.byteCount;
    return n;
  }

  /** Send every non-empty bucket (in parallel, one request per bucket). Rows stay invisible until commit. */
  async flush(): Promise<void> {
    this.assertOpen();
    await this.flushBuckets(() => true);
  }

  private async flushBuckets(which: (b: Bucket) => boolean): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const [i, b] of this.buckets.entries()) {
      if (b.encoder.recordCount === 0 || !which(b)) continue;
      const count = b.encoder.recordCount;
      b.chunks.push(b.encoder.finish());
      const chunks = b.chunks;
      this.buckets[i] = this.newBucket();
      const up: { compress?: boolean; maxAttempts?: number; signal?: AbortSignal } = {};
      if (this.opts.compress) up.compress = true;
      if (this.opts.maxAttempts !== undefined) up.maxAttempts = this.opts.maxAttempts;
      if (this.opts.signal) up.signal = this.opts.signal;
      sends.push(this.session.putBucket(i, chunks, count, up));
    }
    const results = await Promise.allSettled(sends);
    const bad = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (bad) {
      this.failure = bad.reason;
      throw bad.reason;
    }
  }

  /** Send what is buffered and commit: every operation becomes visible at once. */
  async commit(): Promise<void> {
    await this.flush();
    this.done = true;
    await this.session.commit(this.opts.signal);
  }

  /** Drop the session: no operation of this writer is applied. */
  async abort(): Promise<void> {
    this.done = true;
    await this.session.abort(this.opts.signal);
  }

  private newBucket(): Bucket {
    return { encoder: new RecordStreamEncoder(this.session.recordColumns), chunks: [] };
  }

  private assertOpen(): void {
    if (this.failure !== undefined) throw new TunnelError('the upsert writer failed earlier and cannot continue', { code: 'WriterFailed', cause: this.failure });
    if (this.done) throw new TunnelError('the upsert writer is committed or aborted', { code: 'WriterClosed' });
  }

}
