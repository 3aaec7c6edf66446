// Table tunnel upload session (tunnel.md §6): create/reload, block PUTs with retries, checked commit.
import { AuthError, OdpsArgumentError, OdpsError, ThrottledError, TunnelError } from '../../errors.js';
import { authRecovery } from '../../http/retry.js';
import { PartitionSpec, type PartitionSpecInput } from '../../core/partition-spec.js';
import type { Column } from '../../types/column.js';
import { type TableRef, tablePath } from '../download/table-download-session.js';
import { backoffMs, isBrokenTransfer, wait } from '../session/backoff.js';
import { compressBody, encodingHeader, resolveCompression, type CompressOption } from '../compression.js';
import type { TunnelCommonOptions, TunnelContext } from '../session/context.js';
import { partitionParam } from '../session/partition-param.js';
import { tunnelJson, tunnelRequest, type TunnelTarget } from '../session/request.js';
import { num, parseSessionSchema, requireString, str, type SessionSchema } from '../session/session-json.js';
import { ArrowBlockWriter, type ArrowWriterOptions } from './arrow-writer.js';
import { RecordBlockWriter, type RecordWriterOptions } from './record-writer.js';

export type UploadStatus = 'UNKNOWN' | 'NORMAL' | 'CLOSING' | 'CLOSED' | 'CANCELED' | 'EXPIRED' | 'CRITICAL' | (string & {});

/** Block ids must satisfy 0 <= id < 20000. */
export const MAX_BLOCK_ID = 19_999;

export interface UploadSessionOptions extends TunnelCommonOptions {
  /** Full, last-level partition spec of a partitioned table. */
  partition?: PartitionSpecInput;
  /** INSERT OVERWRITE semantics on commit (`overwrite=true`). */
  overwrite?: boolean;
  /** Create the partition if it is missing (`create_partition=true`, PyODPS and Go). */
  createPartition?: boolean;
}

export interface UploadedBlock {
  blockId: number;
  recordCount?: number;
}

export interface BlockUploadOptions {
  /** The body is Arrow-framed (`arrow=` in the query). */
  arrow?: boolean;
  /**
   * Compress the body: `true` or 'deflate' (zlib level 1), 'lz4' (LZ4 frame) or 'zstd', announced in
   * `Content-Encoding`.
   */
  compress?: CompressOption;
  /** Attempts for this block (default: the client's retry.maxAttempts). */
  maxAttempts?: number;
  signal?: AbortSignal;
}

interface UploadJson {
  UploadID?: unknown;
  Status?: unknown;
  UploadedBlockList?: unknown;
  Schema?: unknown;
  MaxFieldSize?: unknown;
  QuotaName?: unknown;
  IsOverwrite?: unknown;
  [k: string]: unknown;
}

function retryableUploadError(err: unknown, signal: AbortSignal | undefined): boolean {
  if (isBrokenTransfer(err, signal)) return true;
  if (err instanceof ThrottledError) return true;
  return err instanceof OdpsError && err.status !== undefined && err.status >= 500;
}

export class TableUploadSession {
  id = '';
  status: UploadStatus = 'UNKNOWN';
  schema: SessionSchema = { columns: [], partitionColumns: [] };
  /** Blocks the server holds for this session (as of the last create/reload). */
  uploadedBlocks: UploadedBlock[] = [];
  maxFieldSize?: number;
  quotaName?: string;
  isOverwrite?: boolean;
  raw: Record<string, unknown> = {};
  readonly table: TableRef;
  readonly partition?: PartitionSpec;
  private readonly target: TunnelTarget;

  private constructor(ctx: TunnelContext, table: TableRef, private readonly opts: UploadSessionOptions) {
    this.table = table;
    if (opts.partition !== undefined) this.partition = PartitionSpec.from(opts.partition);
    this.target = { ctx, project: table.project, path: tablePath(table), common: opts };
  }

  /** `POST …/tables/<t>?uploads[&partition=…][&overwrite=true][&create_partition=true]`. */
  static async create(ctx: TunnelContext, table: TableRef, opts: UploadSessionOptions = {}): Promise<TableUploadSession> {
    const s = new TableUploadSession(ctx, table, opts);
    const { body } = await tunnelJson<UploadJson>(s.target, {
      method: 'POST',
      query: {
        uploads: null, ...s.sessionQuery(),
        overwrite: opts.overwrite ? 'true' : undefined,
        create_partition: opts.createPartition ? 'true' : undefined,
      },
      // An orphan empty session is harmless (it expires), so a lost answer may be retried.
      idempotent: true,
    });
    s.apply(body);
    s.checkUsable();
    return s;
  }

  /** Reattach by id (`GET ?uploadid=`); pass the same partition and quota as at creation. */
  static async attach(ctx: TunnelContext, table: TableRef, uploadId: string, opts: UploadSessionOptions = {}): Promise<TableUploadSession> {
    if (!uploadId) throw new OdpsArgumentError('uploadId is required');
    const s = new TableUploadSession(ctx, table, opts);
    s.id = uploadId;
    await s.reload();
    return s;
  }

  /** Data columns the writers encode (never partition columns). */
  get columns(): Column[] {
    return this.schema.columns;
  }

  private sessionQuery(): Record<string, string | undefined> {
    return { partition: partitionParam(this.partition) };
  }

  private apply(body: UploadJson): void {
    this.raw = body;
    this.id = requireString(body, 'UploadID', 'upload session');
    this.status = (str(body, 'Status') ?? 'UNKNOWN').toUpperCase();
    if (body.Schema !== undefined) this.schema = parseSessionSchema(body.Schema);
    const list = Array.isArray(body.UploadedBlockList) ? (body.UploadedBlockList as Record<string, unknown>[]) : [];
    this.uploadedBlocks = list.map((b) => {
      const blockId = num(b ?? {}, 'BlockID') ?? -1;
      const rc = num(b ?? {}, 'RecordCount');
      return rc === undefined ? { blockId } : { blockId, recordCount: rc };
    });
    const mfs = num(body, 'MaxFieldSize');
    if (mfs !== undefined) this.maxFieldSize = mfs;
    const q = str(body, 'QuotaName');
    if (q) this.quotaName = q;
    if (typeof body.IsOverwrite === 'boolean') this.isOverwrite = body.IsOverwrite;
  }

  private checkUsable(): void {
    if (['CLOSED', 'CANCELED', 'EXPIRED', 'CRITICAL'].includes(this.status)) {
      throw new TunnelError(`upload session ${this.id} is ${this.status}`, { code: `Session${this.status}` });
    }
  }

  /** `GET ?uploadid=`: status and the server's block list. */
  async reload(signal?: AbortSignal): Promise<this> {
    const req: Parameters<typeof tunnelJson>[1] = { method: 'GET', query: { uploadid: this.id, ...this.sessionQuery() } };
    if (signal) req.signal = signal;
    const { body } = await tunnelJson<UploadJson>(this.target, req);
    this.apply(body);
    return this;
  }

  /**
   * `PUT ?uploadid&blockid=N` with one complete record stream (or Arrow framed body). `chunks` is the
   * whole block kept in memory so a failed attempt can resend the same bytes; re-uploading a block id
   * replaces it on the server.
   */
  async uploadBlock(blockId: number, chunks: readonly Uint8Array[], opts: BlockUploadOptions = {}): Promise<void> {
    if (!Number.isInteger(blockId) || blockId < 0 || blockId > MAX_BLOCK_ID) {
      throw new OdpsArgumentError(`block id ${blockId} is outside 0..${MAX_BLOCK_ID}`);
    }
    const signal = opts.signal ?? this.opts.signal;
    const retry = this.target.ctx.transport.retry;
    const maxAttempts = opts.maxAttempts ?? retry.maxAttempts;
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    const codec = resolveCompression(opts.compress);
    const encoding = encodingHeader(codec, opts.arrow === true);
    if (encoding) headers['Content-Encoding'] = encoding;
    const query: Record<string, string | undefined> = {
      uploadid: this.id, blockid: String(blockId), ...this.sessionQuery(), arrow: opts.arrow ? '' : undefined,
    };
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      // A fresh iterable per attempt: the same bytes are sent again (chunked transfer).
      const body = codec === 'none' ? iterate(chunks) : compressBody(chunks, codec);
      try {
        const req: Parameters<typeof tunnelRequest>[1] = { method: 'PUT', query, headers, body };
        if (signal) req.signal = signal;
        const res = await tunnelRequest(this.target, req);
        await res.dump();
        return;
      } catch (err) {
        // The transport cannot resend a streamed body, so its "credentials expired" recovery (refresh
        // once, re-sign, resend) happens here, where the block's bytes are still held.
        const account = this.target.ctx.transport.account;
        if (!refreshed && account.invalidate && err instanceof AuthError && authRecovery(err, {}, Date.now())?.kind === 'credentials') {
          refreshed = true;
          account.invalidate();
          continue;
        }
        if (attempt >= maxAttempts || !retryableUploadError(err, signal)) throw err;
        const ra = err instanceof ThrottledError ? err.retryAfterMs : undefined;
        await wait(ra ?? backoffMs(attempt, { baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs }), signal);
      }
    }
  }

  /**
   * Checks the server's block list against `blockIds` (the SDKs' "Blocks not match" check), then
   * `POST ?uploadid=` with no body. Commits exactly once per call.
   */
  async commit(blockIds: readonly number[], opts: { signal?: AbortSignal } = {}): Promise<void> {
    const signal = opts.signal ?? this.opts.signal;
    await this.reload(signal);
    const server = new Set(this.uploadedBlocks.map((b) => b.blockId));
    const ours = new Set(blockIds);
    const missing = [...ours].filter((id) => !server.has(id));
    if (missing.length > 0 || server.size !== ours.size) {
      const extra = [...server].filter((id) => !ours.has(id));
      throw new TunnelError(
        `blocks do not match: the server is missing [${missing.join(', ')}]${extra.length > 0 ? ` and holds unexpected [${extra.join(', ')}]` : ''}; not committed`,
        { code: 'BlocksMismatch' },
      );
    }
    const req: Parameters<typeof tunnelJson>[1] = { method: 'POST', query: { uploadid: this.id, ...this.sessionQuery() }, body: '' };
    if (signal) req.signal = signal;
    const retry = this.target.ctx.transport.retry;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await tunnelRequest(this.target, req);
        const text = await res.text();
        if (text.trim().startsWith('{')) this.apply(JSON.parse(text) as UploadJson);
        return;
      } catch (err) {
        if (!(err instanceof OdpsError) && !isBrokenTransfer(err, signal)) throw err;
        // The commit may have landed before its answer was lost: a closed session means it did.
        const committed = await this.reload(signal).then(() => this.status === 'CLOSED', () => false);
        if (committed) return;
        if (attempt >= retry.maxAttempts || !retryableUploadError(err, signal)) throw err;
        await wait(backoffMs(attempt, { baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs }), signal);
      }
    }
  }

  /** A block writer of rows (record format) on this session. */
  openWriter(opts: RecordWriterOptions = {}): RecordBlockWriter {
    this.checkUsable();
    return new RecordBlockWriter(this, opts);
  }

  /** A block writer of apache-arrow RecordBatches on this session. */
  openArrowWriter(opts: ArrowWriterOptions = {}): ArrowBlockWriter {
    this.checkUsable();
    return new ArrowBlockWriter(this, opts);
  }
}

async function* iterate(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array, void, undefined> {
  yield* chunks;
}
