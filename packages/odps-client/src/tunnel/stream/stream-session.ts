// Stream upload session (tunnel.md §6.5): create/reload, slot routes, and one exactly-once micro-batch PUT.
import { AuthError, OdpsArgumentError, OdpsError, ThrottledError, TunnelError } from '../../errors.js';
import { authRecovery } from '../../http/retry.js';
import type { Column } from '../../types/column.js';
import { compressBody } from '../compression.js';
import { type TableRef, tablePath } from '../download/table-download-session.js';
import { backoffMs, isBrokenTransfer, wait } from '../session/backoff.js';
import type { TunnelCommonOptions, TunnelContext } from '../session/context.js';
import { partitionParam } from '../session/partition-param.js';

/** What `partitionParam` accepts (a spec string, a map or a PartitionSpec). */
type PartitionInput = Parameters<typeof partitionParam>[0];
import { tunnelJson, tunnelRequest, type TunnelRequest, type TunnelTarget } from '../session/request.js';
import { num, parseSessionSchema, requireString, str, type SessionSchema } from '../session/session-json.js';
import { StreamFlushUncertainError } from './stream-errors.js';

export interface StreamSessionOptions extends TunnelCommonOptions {
  /** Full, last-level partition spec of a partitioned table. */
  partition?: PartitionInput;
  /** Create the partition if it is missing (`create_partition`). */
  createPartition?: boolean;
  /** Slots to ask for (`odps-tunnel-slot-num` header); the service decides when absent. */
  slotNum?: number;
  /** Pin the table schema version the batches are written against (`schema_version`). */
  schemaVersion?: string;
  /**
   * `check_latest_schema=true`: the server refuses batches (SchemaModified) once the table schema has
   * moved past the session's. Default false, as PyODPS' and Java's `allow_schema_mismatch=true`.
   */
  checkLatestSchema?: boolean;
  /** Z-order columns (`zorder_columns`). */
  zorderColumns?: string[];
}

export interface StreamFlushOptions {
  /** Send with `Content-Encoding: deflate`. */
  compress?: boolean;
  /** Attempts for this batch (default: the client's retry.maxAttempts). */
  maxAttempts?: number;
  signal?: AbortSignal;
}

interface StreamJson {
  session_name?: unknown;
  status?: unknown;
  slots?: unknown;
  schema?: unknown;
  schema_version?: unknown;
  quota_name?: unknown;
  last_batch_id?: unknown;
  [k: string]: unknown;
}

/** One write route: the slot id and the `ip:port` of the server that holds it. */
export interface StreamSlot {
  id: string;
  server: string;
}

function parseSlots(v: unknown): StreamSlot[] {
  if (!Array.isArray(v)) throw new TunnelError('stream session answer has no slots', { code: 'InvalidSessionResponse' });
  return v.map((s: unknown) => {
    if (!Array.isArray(s) || s.length !== 2 || typeof s[1] !== 'string' || !/^[^:]*:\d+$/.test(s[1])) {
      throw new TunnelError(`invalid stream slot route ${JSON.stringify(s)}`, { code: 'InvalidSessionResponse' });
    }
    return { id: String(s[0]), server: s[1] };
  });
}

/** Server answers that say the batch was refused, so it is safe to send again after a reload/wait. */
function refusedAndRetryable(err: unknown): boolean {
  if (err instanceof ThrottledError) return true;
  return err instanceof OdpsError && (err.code === 'SlotNotExist' || err.code === 'SlotExceeded');
}

function maybeArrived(err: unknown, signal: AbortSignal | undefined): boolean {
  if (isBrokenTransfer(err, signal)) return true;
  // A 5xx may come from a gateway after the tunnel server wrote the batch (Java reloads on 502/504).
  return err instanceof OdpsError && err.status !== undefined && err.status >= 500;
}

export class TableStreamSession {
  id = '';
  status = '';
  schema: SessionSchema = { columns: [], partitionColumns: [] };
  schemaVersion?: string;
  quotaName?: string;
  slots: StreamSlot[] = [];
  /**
   * The server's `last_batch_id` (-1 before any batch) as of the last answer, plus the batches this
   * object wrote since; undefined when the server does not report it. It lets a flush whose answer
   * was lost find out whether it landed.
   */
  lastBatchId?: number;
  raw: Record<string, unknown> = {};
  readonly table: TableRef;
  /** The `partition=` parameter (validated), if any. */
  readonly partition?: string;
  private readonly target: TunnelTarget;
  private nextSlot = 0;

  private constructor(ctx: TunnelContext, table: TableRef, private readonly opts: StreamSessionOptions) {
    this.table = table;
    const partition = partitionParam(opts.partition);
    if (partition !== undefined) this.partition = partition;
    this.target = { ctx, project: table.project, path: [...tablePath(table), 'streams'], common: opts };
  }

  /** `POST …/tables/<t>/streams[?partition=][&create_partition][&schema_version=]&check_latest_schema=`. */
  static async create(ctx: TunnelContext, table: TableRef, opts: StreamSessionOptions = {}): Promise<TableStreamSession> {
    if (opts.slotNum !== undefined && (!Number.isInteger(opts.slotNum) || opts.slotNum < 1)) {
      throw new OdpsArgumentError('slotNum must be a positive integer');
    }
    const s = new TableStreamSession(ctx, table, opts);
    const headers: Record<string, string> = { 'odps-tunnel-sdk-support-schema-evolution': 'true' };
    if (opts.slotNum !== undefined) headers['odps-tunnel-slot-num'] = String(opts.slotNum);
    const { body } = await tunnelJson<StreamJson>(s.target, {
      method: 'POST',
      query: {
        ...s.commonQuery(),
        create_partition: opts.createPartition ? '' : undefined,
        schema_version: opts.schemaVersion,
      },
      headers,
      body: '',
      // An unused stream session holds nothing and expires.
      idempotent: true,
    });
    s.apply(body, true);
    // Java starts at a random slot so that many writers spread over the slots.
    s.nextSlot = s.slots.length > 0 ? Math.floor(Math.random() * s.slots.length) : 0;
    return s;
  }

  get columns(): Column[] {
    return this.schema.columns;
  }

  private commonQuery(): Record<string, string | undefined> {
    return {
      partition: this.partition,
      zorder_columns: this.opts.zorderColumns && this.opts.zorderColumns.length > 0 ? this.opts.zorderColumns.join(',') : undefined,
      check_latest_schema: this.opts.checkLatestSchema ? 'true' : 'false',
    };
  }

  private apply(body: StreamJson, created: boolean): void {
    this.raw = body;
    if (created) {
      this.id = requireString(body, 'session_name', 'stream session');
      if (body.schema === undefined) throw new TunnelError('stream session answer has no schema', { code: 'InvalidSessionResponse' });
      this.schema = parseSessionSchema(body.schema);
    }
    const version = str(body, 'schema_version');
    if (version !== undefined) this.schemaVersion = version;
    this.status = (str(body, 'status') ?? '').toLowerCase();
    if (this.status === 'init') throw new TunnelError(`stream session ${this.id} is still initiating`, { code: 'SessionInitiating' });
    const q = str(body, 'quota_name') ?? str(body, 'QuotaName');
    if (q) this.quotaName = q;
    this.slots = parseSlots(body.slots);
    if (this.slots.length === 0) throw new TunnelError(`stream session ${this.id} has no slots`, { code: 'InvalidSessionResponse' });
    const last = num(body, 'last_batch_id');
    // Only a session that reported the id from the start is trusted for duplicate detection.
    if (created) this.lastBatchId = last;
    else if (this.lastBatchId !== undefined) this.lastBatchId = last;
  }

  /** `GET …/streams?uploadid=`: fresh slot routes (and the last batch id). The round-robin position stays. */
  async reload(signal?: AbortSignal): Promise<this> {
    const req: TunnelRequest = {
      method: 'GET',
      query: { uploadid: this.id, schema_version: this.schemaVersion, ...this.commonQuery() },
      headers: { 'odps-tunnel-sdk-support-schema-evolution': 'true' },
    };
    if (signal) req.signal = signal;
    const { body } = await tunnelJson<StreamJson>(this.target, req);
    this.apply(body, false);
    return this;
  }

  private takeSlot(): StreamSlot {
    const slot = this.slots[this.nextSlot % this.slots.length]!;
    this.nextSlot = (this.nextSlot + 1) % this.slots.length;
    return slot;
  }

  /** After an answer: a new slot count means new routes (reload); otherwise follow the slot's new server. */
  private async followRoutes(slot: StreamSlot, headers: Record<string, string>, signal: AbortSignal | undefined): Promise<void> {
    const count = Number(headers['odps-tunnel-slot-num']);
    const server = headers['odps-tunnel-routed-server'];
    if (Number.isInteger(count) && count > 0 && count !== this.slots.length) {
      await this.reload(signal);
    } else if (server && server !== slot.server && /^[^:]*:\d+$/.test(server)) {
      slot.server = server;
    }
  }

  /**
   * `PUT …/streams?uploadid=&slotid=&record_count=` with one complete record stream: the rows are
   * written when the answer comes (no commit). Retries never duplicate: a batch refused by the server
   * is resent; after a broken connection or 5xx the session is reloaded and `last_batch_id` tells
   * whether the batch landed. Without that id the flush fails with StreamFlushUncertainError.
   */
  async flushBatch(chunks: readonly Uint8Array[], recordCount: number, opts: StreamFlushOptions = {}): Promise<void> {
    const signal = opts.signal ?? this.opts.signal;
    const retry = this.target.ctx.transport.retry;
    const maxAttempts = opts.maxAttempts ?? retry.maxAttempts;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const slot = this.takeSlot();
      const expected = this.lastBatchId;
      const headers: Record<string, string> = {
        'Content-Type': 'application/octet-stream',
        'odps-tunnel-slot-num': String(this.slots.length),
        'odps-tunnel-routed-server': slot.server,
        'odps-tunnel-sdk-support-schema-evolution': 'true',
      };
      if (opts.compress) headers['Content-Encoding'] = 'deflate';
      const req: TunnelRequest = {
        method: 'PUT',
        query: { uploadid: this.id, slotid: slot.id, record_count: String(recordCount), schema_version: this.schemaVersion, ...this.commonQuery() },
        headers,
        // A streamed body: the transport never resends it on its own (that could duplicate rows).
        body: opts.compress ? compressBody(chunks) : iterate(chunks),
      };
      if (signal) req.signal = signal;
      try {
        const res = await tunnelRequest(this.target, req);
        await res.dump();
        if (this.lastBatchId !== undefined) this.lastBatchId += 1;
        await this.followRoutes(slot, res.headers, signal).catch(() => undefined);
        return;
      } catch (err) {
        if (signal?.aborted) throw err;
        const account = this.target.ctx.transport.account;
        if (!refreshed && account.invalidate && err instanceof AuthError && authRecovery(err, {}, Date.now())?.kind === 'credentials') {
          refreshed = true;
          account.invalidate();
          continue;
        }
        if (maybeArrived(err, signal)) {
          const landed = await this.landed(expected, signal);
          if (landed === true) return;
          if (landed === undefined) throw new StreamFlushUncertainError(this.id, recordCount, err);
        } else if (!refusedAndRetryable(err)) {
          throw err;
        } else if (err instanceof OdpsError && err.code !== 'SlotExceeded' && !(err instanceof ThrottledError)) {
          // SlotNotExist: the routes moved.
          await this.reload(signal);
        }
        if (attempt >= maxAttempts) throw err;
        const ra = err instanceof ThrottledError ? err.retryAfterMs : undefined;
        await wait(ra ?? backoffMs(attempt, { baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs }), signal);
      }
    }
  }

  /** Did the batch sent when the last id was `expected` land? undefined when it cannot be told. */
  private async landed(expected: number | undefined, signal: AbortSignal | undefined): Promise<boolean | undefined> {
    if (expected === undefined) return undefined;
    try {
      await this.reload(signal);
    } catch {
      this.lastBatchId = expected;
      return undefined;
    }
    const now = this.lastBatchId;
    if (now === expected + 1) return true;
    if (now === expected) return false;
    // Someone else writes to this session, or the id means something else: do not guess.
    this.lastBatchId = undefined;
    return undefined;
  }

  /** Forget the session on the server (PyODPS `abort`); batches already written stay. */
  async abort(signal?: AbortSignal): Promise<void> {
    const slot = this.takeSlot();
    const req: TunnelRequest = { method: 'POST', query: { uploadid: this.id }, headers: { 'odps-tunnel-routed-server': slot.server }, body: '' };
    if (signal ?? this.opts.signal) req.signal = (signal ?? this.opts.signal)!;
    const res = await tunnelRequest(this.target, req);
    await res.dump();
  }
}

async function* iterate(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array, void, undefined> {
  yield* chunks;
}
