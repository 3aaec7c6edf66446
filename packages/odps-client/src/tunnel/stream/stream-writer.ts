// Row writer over a stream session: rows are validated, encoded into micro-batches and flushed by size or time.
import { OdpsArgumentError, TunnelError } from '../../errors.js';
import type { Column } from '../../types/column.js';
import { parseTypeCached } from '../../types/odps-type.js';
import { RecordStreamEncoder } from '../records/record-encoder.js';
import type { StreamFlushOptions, TableStreamSession } from './stream-session.js';
import type { RowInput } from '../upload/record-writer.js';
import { RowLayout } from '../records/row-input.js';

export interface StreamWriterOptions {
  /** Flush once the batch holds this many rows (default: no row limit). */
  flushRows?: number;
  /** Flush once the batch holds this many encoded bytes (default 8 MiB, at least 1 KiB). */
  flushBytes?: number;
  /** Flush a non-empty batch this many ms after its first row (default: no timed flush). */
  flushIntervalMs?: number;
  /** Deflate each batch (`Content-Encoding: deflate`). */
  compress?: boolean;
  /** Attempts per batch PUT (default: the client's retry.maxAttempts). */
  maxAttempts?: number;
  signal?: AbortSignal;
}

export const DEFAULT_FLUSH_BYTES = 8 * 1024 * 1024;

/**
 * `write` validates every row of the call before any of them is buffered (a ValueTypeError leaves the
 * batch as it was). Memory is about two batches: the one being sent and the one filling. A failed
 * flush stops the writer (its error is rethrown by later calls), so no row is silently dropped.
 */
export class StreamRecordWriter {
  readonly columns: readonly Column[];
  private encoder: RecordStreamEncoder;
  private chunks: Uint8Array[] = [];
  private readonly layout: RowLayout;
  private readonly firstIsComplex: boolean;
  private readonly flushBytes: number;
  private readonly flushRows: number;
  private readonly intervalMs: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private closed = false;
  private written = 0;
  private flushedRows = 0;

  constructor(readonly session: TableStreamSession, private readonly opts: StreamWriterOptions = {}) {
    this.columns = session.columns;
    this.encoder = new RecordStreamEncoder(this.columns);
    this.layout = new RowLayout(this.columns, session.table.name);
    const first = this.columns[0] ? parseTypeCached(this.columns[0].type).kind : undefined;
    this.firstIsComplex = first === 'array' || first === 'vector' || first === 'map' || first === 'struct';
    this.flushBytes = opts.flushBytes ?? DEFAULT_FLUSH_BYTES;
    if (!Number.isFinite(this.flushBytes) || this.flushBytes < 1024) throw new OdpsArgumentError('flushBytes must be at least 1024 bytes');
    this.flushRows = opts.flushRows ?? Infinity;
    if (opts.flushRows !== undefined && (!Number.isInteger(opts.flushRows) || opts.flushRows < 1)) throw new OdpsArgumentError('flushRows must be a positive integer');
    this.intervalMs = opts.flushIntervalMs;
    if (this.intervalMs !== undefined && !(Number.isFinite(this.intervalMs) && this.intervalMs > 0)) throw new OdpsArgumentError('flushIntervalMs must be a positive number');
  }

  /** Rows accepted by `write` so far. */
  get recordCount(): number {
    return this.written;
  }

  /** Rows the server confirmed (flushed batches). */
  get flushedCount(): number {
    return this.flushedRows;
  }

  /** One row (array in column order or `{ column: value }`) or an array of rows. */
  async write(input: RowInput | readonly RowInput[]): Promise<void> {
    this.assertOpen();
    const isRowList = !this.firstIsComplex && Array.isArray(input) && input.length > 0
      && input.every((r) => Array.isArray(r) || isPlainObject(r));
    const rows = (isRowList ? (input as readonly RowInput[]) : [input as RowInput]).map((r) => this.layout.toArray(r));
    if (rows.length > 1) {
      // Validate the whole call first so a bad row leaves no earlier row of the call in the batch.
      const probe = new RecordStreamEncoder(this.columns);
      for (const row of rows) probe.write(row);
    }
    for (const row of rows) {
      const chunk = this.encoder.write(row);
      if (chunk) this.chunks.push(chunk);
      this.written++;
      if (this.encoder.recordCount === 1) this.armTimer();
      if (this.encoder.byteCount >= this.flushBytes || this.encoder.recordCount >= this.flushRows) await this.flush();
    }
  }

  /** Send the rows buffered so far; resolves when the server has them (visible to readers). */
  flush(): Promise<void> {
    this.assertUsable();
    this.clearTimer();
    if (this.encoder.recordCount > 0) {
      const count = this.encoder.recordCount;
      this.chunks.push(this.encoder.finish());
      const chunks = this.chunks;
      this.chunks = [];
      this.encoder = new RecordStreamEncoder(this.columns);
      this.chain = this.chain.then(() => this.send(chunks, count));
    }
    return this.chain;
  }

  /** Flush what is buffered and stop; closing twice is fine. */
  async close(): Promise<void> {
    if (this.closed && this.failure === undefined) return;
    await this.flush();
    this.closed = true;
  }

  private async send(chunks: Uint8Array[], count: number): Promise<void> {
    if (this.failure !== undefined) throw this.failed();
    const up: StreamFlushOptions = {};
    if (this.opts.compress) up.compress = true;
    if (this.opts.maxAttempts !== undefined) up.maxAttempts = this.opts.maxAttempts;
    if (this.opts.signal) up.signal = this.opts.signal;
    try {
      await this.session.flushBatch(chunks, count, up);
      this.flushedRows += count;
    } catch (err) {
      this.failure = err;
      this.clearTimer();
      throw err;
    }
  }

  private armTimer(): void {
    if (this.intervalMs === undefined || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A timed flush failure is kept and rethrown by the next write/flush/close.
      if (this.failure === undefined && !this.closed) this.flush().catch(() => undefined);
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private failed(): TunnelError {
    return new TunnelError('the stream writer failed earlier and cannot continue', { code: 'WriterFailed', cause: this.failure });
  }

  private assertUsable(): void {
    if (this.failure !== undefined) throw this.failed();
  }

  private assertOpen(): void {
    this.assertUsable();
    if (this.closed) throw new TunnelError('the stream writer is closed', { code: 'WriterClosed' });
  }

}

function isPlainObject(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}
