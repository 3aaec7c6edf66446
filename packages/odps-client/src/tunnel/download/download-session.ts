// Shared machinery of table and instance download sessions: state, polling, data GETs and readers.
import type { RecordBatch } from 'apache-arrow';
import { OdpsArgumentError, TunnelError } from '../../errors.js';
import type { Column } from '../../types/column.js';
import { decodeArrowStream } from '../arrow/reader.js';
import { decodeRecordBatches, type Row } from '../records/record-decoder.js';
import { wait } from '../session/backoff.js';
import { decompressBody, encodingHeader, resolveCompression, type CompressOption } from '../compression.js';
import { tunnelJson, tunnelRequest, type TunnelTarget } from '../session/request.js';
import { num, parseSessionSchema, requireString, str, type SessionSchema } from '../session/session-json.js';
import { mergeInOrder, splitRange, type RowRange } from './ranges.js';
import { makeRecordReader, type ArrowReader, type RecordReader } from './readers.js';
import { resumableRange } from './resumable-range.js';

export type DownloadStatus = 'UNKNOWN' | 'NORMAL' | 'CLOSED' | 'EXPIRED' | 'INITIATING' | 'FAILED' | (string & {});

export interface ReadOptions {
  /** First row (default 0). */
  start?: number;
  /** Rows to read (default: to the end of the session). */
  count?: number;
  /** Projection, in output order; default all data columns in table order. */
  columns?: string[];
  /**
   * Ask for a compressed body: `true` or 'deflate', 'lz4' or 'zstd' (sent as
   * `Accept-Encoding`). The response's Content-Encoding rules, whatever was asked.
   */
  compress?: CompressOption;
  /** Split the range over this many concurrent connections, still yielding in order (default 1). */
  parallel?: number;
  /** Rows each parallel range may decode ahead of the consumer (default 16 384). */
  bufferRows?: number;
  /** Reopen attempts without progress after a broken connection (default 5). */
  maxAttempts?: number;
  signal?: AbortSignal;
}

export interface RecordReadOptions extends ReadOptions {
  /** Yield `{ column: value }` objects instead of arrays. */
  asObjects?: boolean;
  /** STRING values as Uint8Array (raw bytes, for non-UTF-8 data). */
  binaryStrings?: boolean;
}

interface SessionJson {
  DownloadID?: unknown;
  Status?: unknown;
  RecordCount?: unknown;
  Schema?: unknown;
  QuotaName?: unknown;
  [k: string]: unknown;
}

const TERMINAL_BAD = new Set(['CLOSED', 'CLOSES', 'EXPIRED', 'FAILED']);

/** Output layout of a read: which columns the server sends, and where client-side values go. */
interface Projection {
  output: Column[];
  /** Columns asked from the server (data columns only), undefined = all. */
  wire: Column[];
  wireNames: string[] | undefined;
  /** Row assembly when partition columns were asked for; undefined = the wire row as is. */
  assemble?: (wire: Row) => Row;
}

export abstract class DownloadSession {
  id = '';
  status: DownloadStatus = 'UNKNOWN';
  recordCount = 0;
  schema: SessionSchema = { columns: [], partitionColumns: [] };
  quotaName?: string;
  /** The raw session document of the last create/reload. */
  raw: Record<string, unknown> = {};

  /** @internal */
  protected constructor(protected readonly target: TunnelTarget) {}

  /** Data columns of the session (what the data stream carries). */
  get columns(): Column[] {
    return this.schema.columns;
  }

  /** Query parameters repeated on every request of this session (partition, limit flags...). */
  protected abstract sessionQuery(): Record<string, string | null | undefined>;

  /** Client-side values for non-data columns (partition columns of a table read). */
  protected extraColumn(_name: string): { column: Column; value: unknown } | undefined {
    return undefined;
  }

  /** @internal */
  protected apply(body: SessionJson): void {
    this.raw = body;
    this.id = requireString(body, 'DownloadID', 'download session');
    this.status = (str(body, 'Status') ?? 'UNKNOWN').toUpperCase();
    this.recordCount = num(body, 'RecordCount') ?? 0;
    if (body.Schema !== undefined) this.schema = parseSessionSchema(body.Schema);
    const q = str(body, 'QuotaName');
    if (q) this.quotaName = q;
  }

  /** `POST ?downloads` (+ asyncmode) and wait while the server prepares the snapshot. */
  protected async createWith(query: Record<string, string | null | undefined>, opts: { async?: boolean; waitTimeoutMs?: number }): Promise<void> {
    const { body } = await tunnelJson<SessionJson>(this.target, {
      method: 'POST', query: { downloads: null, ...query, asyncmode: opts.async ? 'true' : undefined },
      // A duplicate session is harmless, so a lost answer may be retried (PyODPS retries creation).
      idempotent: true,
    });
    this.apply(body);
    await this.waitReady(opts.waitTimeoutMs ?? 3_600_000);
  }

  /** `GET ?downloadid=` : refresh status and record count. */
  async reload(): Promise<this> {
    const { body } = await tunnelJson<SessionJson>(this.target, { method: 'GET', query: { downloadid: this.id, ...this.sessionQuery() } });
    this.apply(body);
    return this;
  }

  /** Polls while INITIATING, backing off from 100 ms to 5 s (PyODPS). */
  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; this.status === 'INITIATING'; attempt++) {
      if (Date.now() > deadline) throw new TunnelError(`download session ${this.id} still INITIATING after ${timeoutMs} ms`, { code: 'SessionWaitTimeout' });
      await wait(Math.min(5000, 100 * 2 ** (attempt - 1)), this.target.common.signal);
      await this.reload();
    }
    if (TERMINAL_BAD.has(this.status)) throw new TunnelError(`download session ${this.id} is ${this.status}`, { code: `Session${this.status}` });
  }

  private range(opts: ReadOptions): RowRange {
    const start = opts.start ?? 0;
    if (!Number.isSafeInteger(start) || start < 0 || start > this.recordCount) {
      throw new OdpsArgumentError(`start ${String(start)} is outside the session's ${this.recordCount} rows`);
    }
    const rest = this.recordCount - start;
    const count = opts.count === undefined ? rest : opts.count;
    if (!Number.isSafeInteger(count) || count < 0) throw new OdpsArgumentError(`count must be a non-negative integer, got ${String(count)}`);
    return { start, count: Math.min(count, rest) };
  }

  private project(names: string[] | undefined): Projection {
    if (names === undefined || names.length === 0) return { output: this.columns, wire: this.columns, wireNames: undefined };
    const byName = new Map(this.columns.map((c) => [c.name.toLowerCase(), c]));
    const output: Column[] = [];
    const wire: Column[] = [];
    const slots: ({ wire: number } | { value: unknown })[] = [];
    for (const n of names) {
      const c = byName.get(n.toLowerCase());
      if (c) {
        slots.push({ wire: wire.length });
        wire.push(c);
        output.push(c);
        continue;
      }
      const extra = this.extraColumn(n);
      if (!extra) throw new OdpsArgumentError(`column "${n}" is not in the session schema (${this.columns.map((x) => x.name).join(', ')})`);
      slots.push({ value: extra.value });
      output.push(extra.column);
    }
    const p: Projection = { output, wire, wireNames: wire.map((c) => c.name) };
    if (wire.length !== output.length) {
      p.assemble = (w) => slots.map((s) => ('wire' in s ? w[s.wire] : s.value));
    }
    return p;
  }

  /** One data GET (`?data&downloadid&rowrange=(s,c)`), body decoded per Content-Encoding. */
  private async openData(start: number, count: number, p: Projection, opts: ReadOptions, arrow: boolean, signal: AbortSignal | undefined): Promise<AsyncIterable<Uint8Array>> {
    const headers: Record<string, string> = {};
    const accept = encodingHeader(resolveCompression(opts.compress), arrow);
    if (accept) headers['Accept-Encoding'] = accept;
    const query: Record<string, string | null | undefined> = {
      data: null, downloadid: this.id, ...this.sessionQuery(), rowrange: `(${start},${count})`,
    };
    // Wire names keep the session's spelling; an empty projection would mean "all", so it is never sent.
    if (p.wireNames !== undefined && p.wireNames.length > 0) query['columns'] = p.wireNames.join(',');
    if (arrow) query['arrow'] = null;
    const req: Parameters<typeof tunnelRequest>[1] = { method: 'GET', query, headers };
    if (signal) req.signal = signal;
    const res = await tunnelRequest(this.target, req);
    return decompressBody(res.body, res.headers['content-encoding']);
  }

  private signalOf(opts: ReadOptions): AbortSignal | undefined {
    return opts.signal ?? this.target.common.signal;
  }

  private backoff(): { baseDelayMs: number; maxDelayMs: number } {
    const r = this.target.ctx.transport.retry;
    return { baseDelayMs: r.baseDelayMs, maxDelayMs: Math.min(r.maxDelayMs, 30_000) };
  }

  /** Batches of rows of one range, resumed from the cursor after a broken connection. */
  private rowBatches(range: RowRange, p: Projection, opts: RecordReadOptions, signal: AbortSignal | undefined): AsyncIterable<Row[]> {
    const decodeOpts: { binaryStrings?: boolean; recordIndexBase?: number } = {};
    if (opts.binaryStrings) decodeOpts.binaryStrings = true;
    const wireCols = p.wire.length > 0 ? p.wire : [];
    const resumeOpts = { ...this.backoff(), maxAttempts: opts.maxAttempts ?? 5, ...(signal ? { signal } : {}) };
    return resumableRange<Row[]>(range, async (s, c) => {
      const body = await this.openData(s, c, p, opts, false, signal);
      return decodeRecordBatches(body, wireCols, { ...decodeOpts, recordIndexBase: s });
    }, (b) => b.length, resumeOpts);
  }

  /** Rows of `[start, start+count)` in order; streams with back-pressure and verifies every checksum. */
  openRecordReader(opts: RecordReadOptions & { asObjects: true }): RecordReader<Record<string, unknown>>;
  openRecordReader(opts?: RecordReadOptions & { asObjects?: false }): RecordReader<Row>;
  openRecordReader(opts?: RecordReadOptions): RecordReader<Row | Record<string, unknown>>;
  openRecordReader(opts: RecordReadOptions = {}): RecordReader<Row | Record<string, unknown>> {
    resolveCompression(opts.compress);
    const range = this.range(opts);
    const p = this.project(opts.columns);
    if (p.wire.length === 0 && p.output.length > 0) {
      throw new OdpsArgumentError('at least one data column must be read (partition columns alone carry no row count)');
    }
    const signal = this.signalOf(opts);
    const names = p.output.map((c) => c.name);
    const shape = (rows: Row[]): (Row | Record<string, unknown>)[] => {
      const assembled = p.assemble ? rows.map(p.assemble) : rows;
      return opts.asObjects ? assembled.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]]))) : assembled;
    };
    const batches = (): AsyncIterable<(Row | Record<string, unknown>)[]> => this.parallelOrSingle<Row[], (Row | Record<string, unknown>)[]>(
      range, opts, signal, (r, s) => this.rowBatches(r, p, opts, s), (b) => b.length, shape,
    );
    return makeRecordReader(p.output, range.start, range.count, batches);
  }

  /** apache-arrow RecordBatches of `[start, start+count)` (partition columns are not in Arrow reads). */
  openArrowReader(opts: ReadOptions = {}): ArrowReader {
    resolveCompression(opts.compress);
    const range = this.range(opts);
    const p = this.project(opts.columns);
    if (p.assemble) throw new OdpsArgumentError('Arrow reads carry data columns only; drop partition columns from `columns`');
    const signal = this.signalOf(opts);
    const layout = this.arrowTimestampLayout();
    const produce = (r: RowRange, s: AbortSignal | undefined): AsyncIterable<RecordBatch> => resumableRange<RecordBatch>(r, async (start, count) => {
      const body = await this.openData(start, count, p, opts, true, s);
      return decodeArrowStream(body, p.wire, { timestampLayout: layout });
    }, (b) => b.numRows, { ...this.backoff(), maxAttempts: opts.maxAttempts ?? 5, ...(s ? { signal: s } : {}) });
    const iterate = (): AsyncIterator<RecordBatch> =>
      this.parallelOrSingle<RecordBatch>(range, opts, signal, produce, (b) => b.numRows, (b) => b)[Symbol.asyncIterator]();
    return { columns: p.output, start: range.start, count: range.count, [Symbol.asyncIterator]: iterate };
  }

  /** TIMESTAMP layout of Arrow bodies: the table tunnel sends timestamp[ns], the instance tunnel a struct. */
  protected arrowTimestampLayout(): 'ns' | 'struct' | 'auto' {
    return 'auto';
  }

  private async *parallelOrSingle<T, O = T>(
    range: RowRange, opts: ReadOptions, signal: AbortSignal | undefined,
    produce: (r: RowRange, s: AbortSignal | undefined) => AsyncIterable<T>, sizeOf: (t: T) => number, map: (t: T) => O,
  ): AsyncGenerator<O, void, undefined> {
    if (range.count === 0) return;
    const parts = splitRange(range.start, range.count, opts.parallel ?? 1);
    if (parts.length <= 1) {
      for await (const item of produce(range, signal)) yield map(item);
      return;
    }
    const merge: { capacity: number; sizeOf: (t: T) => number; signal?: AbortSignal } = { capacity: opts.bufferRows ?? 16_384, sizeOf };
    if (signal) merge.signal = signal;
    for await (const item of mergeInOrder(parts, (r, s) => produce(r, s), merge)) yield map(item);
  }
}
