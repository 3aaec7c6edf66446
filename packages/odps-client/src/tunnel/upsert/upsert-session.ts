// Upsert session (tunnel.md §6.6): create/reload, per-bucket record PUTs, an exactly-once commit, abort.
import { AuthError, OdpsArgumentError, OdpsError, ThrottledError, TunnelError } from '../../errors.js';
import { authRecovery } from '../../http/retry.js';
import type { Column } from '../../types/column.js';
import { compressBody } from '../compression.js';
import { type TableRef, tablePath } from '../download/table-download-session.js';
import { backoffMs, isBrokenTransfer, wait } from '../session/backoff.js';
import type { TunnelCommonOptions, TunnelContext } from '../session/context.js';
import { partitionParam } from '../session/partition-param.js';
import { tunnelJson, tunnelRequest, type TunnelRequest, type TunnelTarget } from '../session/request.js';
import { parseSessionSchema, requireString, str, type SessionSchema } from '../session/session-json.js';
import type { HasherKind } from './upsert-hasher.js';

type PartitionInput = Parameters<typeof partitionParam>[0];

export interface UpsertSessionOptions extends TunnelCommonOptions {
  /** Full, last-level partition spec of a partitioned table. */
  partition?: PartitionInput;
  /** Slots to ask for (`slotnum`, default 1 as PyODPS). */
  slotNum?: number;
  /** Session lifetime in hours, 1..24 (`lifecycle`). */
  lifecycle?: number;
  /** Give up waiting for COMMITTED after this many ms (default 120 s, as both SDKs). */
  commitTimeoutMs?: number;
}

/** The 5 columns every upsert record carries after the table's (PyODPS `_patch_schema`, Java `UpsertRecord`). */
export const UPSERT_EXTRA_COLUMNS: readonly Column[] = [
  { name: '__version', type: 'bigint' },
  { name: '__app_version', type: 'bigint' },
  { name: '__operation', type: 'tinyint' },
  { name: '__key_cols', type: 'array<bigint>' },
  { name: '__value_cols', type: 'array<bigint>' },
];

export interface UpsertSlot {
  id: string;
  server: string;
}

interface UpsertJson {
  id?: unknown;
  status?: unknown;
  slots?: unknown;
  schema?: unknown;
  hash_key?: unknown;
  hasher?: unknown;
  quota_name?: unknown;
  [k: string]: unknown;
}

const ROUTE = /^[^:]*:\d+$/;

function invalid(message: string): TunnelError {
  return new TunnelError(message, { code: 'InvalidSessionResponse' });
}

/** `slots: [{slot_id, worker_addr, buckets: [..]}]` into bucket -> slot; buckets must be exactly 0..n-1. */
function parseBuckets(v: unknown): UpsertSlot[] {
  if (!Array.isArray(v) || v.length === 0) throw invalid('upsert session answer has no slots');
  const buckets: UpsertSlot[] = [];
  for (const s of v as unknown[]) {
    const o = s as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || typeof o['worker_addr'] !== 'string' || !ROUTE.test(o['worker_addr']) || !Array.isArray(o['buckets'])) {
      throw invalid(`invalid upsert slot ${JSON.stringify(s)?.slice(0, 200)}`);
    }
    const slot: UpsertSlot = { id: String(o['slot_id']), server: o['worker_addr'] };
    for (const b of o['buckets'] as unknown[]) {
      if (!Number.isInteger(b) || (b as number) < 0 || (b as number) >= 65536 || buckets[b as number]) throw invalid(`invalid upsert bucket ${String(b)}`);
      buckets[b as number] = slot;
    }
  }
  for (let i = 0; i < buckets.length; i++) if (!buckets[i]) throw invalid(`upsert session answer lacks bucket ${i}`);
  if (buckets.length === 0) throw invalid('upsert session answer has no buckets');
  return buckets;
}

function maybeArrived(err: unknown, signal: AbortSignal | undefined): boolean {
  if (isBrokenTransfer(err, signal)) return true;
  return err instanceof OdpsError && err.status !== undefined && err.status >= 500;
}

function sessionGone(err: unknown): boolean {
  return err instanceof OdpsError && (err.code === 'UpsertSessionNotFound' || err.code === 'StreamSessionNotFound');
}

export class TableUpsertSession {
  id = '';
  /** NORMAL, COMMITTING, COMMITTED, EXPIRED, CRITICAL or ABORTED (upper case, as the service sends). */
  status = '';
  schema: SessionSchema = { columns: [], partitionColumns: [] };
  /** Key columns the rows are bucketed by (`hash_key`), in order. */
  hashKeys: string[] = [];
  hasher: HasherKind = 'default';
  quotaName?: string;
  /** Bucket index -> its slot route. */
  buckets: UpsertSlot[] = [];
  raw: Record<string, unknown> = {};
  readonly table: TableRef;
  readonly partition?: string;
  private readonly target: TunnelTarget;

  private constructor(ctx: TunnelContext, table: TableRef, private readonly opts: UpsertSessionOptions) {
    this.table = table;
    const partition = partitionParam(opts.partition);
    if (partition !== undefined) this.partition = partition;
    this.target = { ctx, project: table.project, path: [...tablePath(table), 'upserts'], common: opts };
  }

  /** `POST …/tables/<t>/upserts?slotnum=[&partition=][&lifecycle=]`. */
  static async create(ctx: TunnelContext, table: TableRef, opts: UpsertSessionOptions = {}): Promise<TableUpsertSession> {
    const slotNum = opts.slotNum ?? 1;
    if (!Number.isInteger(slotNum) || slotNum < 1) throw new OdpsArgumentError('slotNum must be a positive integer');
    if (opts.lifecycle !== undefined && !(Number.isInteger(opts.lifecycle) && opts.lifecycle >= 1 && opts.lifecycle <= 24)) {
      throw new OdpsArgumentError('lifecycle must be an integer number of hours in 1..24');
    }
    const s = new TableUpsertSession(ctx, table, opts);
    const { body } = await tunnelJson<UpsertJson>(s.target, {
      method: 'POST',
      query: { slotnum: String(slotNum), partition: s.partition, lifecycle: opts.lifecycle === undefined ? undefined : String(opts.lifecycle) },
      body: '',
      // An unused upsert session holds nothing and expires.
      idempotent: true,
    });
    s.apply(body, true);
    return s;
  }

  /** Table columns (without the 5 upsert columns). */
  get columns(): Column[] {
    return this.schema.columns;
  }

  /** Columns of the records sent: the table's plus UPSERT_EXTRA_COLUMNS. */
  get recordColumns(): Column[] {
    return [...this.schema.columns, ...UPSERT_EXTRA_COLUMNS];
  }

  private apply(body: UpsertJson, created: boolean): void {
    this.raw = body;
    if (created) {
      this.id = requireString(body, 'id', 'upsert session');
      if (body.schema === undefined) throw invalid('upsert session answer has no schema');
      this.schema = parseSessionSchema(body.schema);
      const keys = body.hash_key;
      if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'string')) {
        throw new TunnelError(`table ${this.table.name} has no primary key: upsert sessions need a transactional table with a primary key`, { code: 'NotUpsertTable' });
      }
      for (const k of keys as string[]) {
        if (!this.schema.columns.some((c) => c.name.toLowerCase() === k.toLowerCase())) throw invalid(`hash key ${k} is not a column of ${this.table.name}`);
      }
      this.hashKeys = keys as string[];
      const h = str(body, 'hasher') ?? 'default';
      if (h !== 'default' && h !== 'legacy') throw new TunnelError(`upsert hasher "${h.slice(0, 32)}" is not supported`, { code: 'InvalidSessionResponse' });
      this.hasher = h;
    }
    this.status = (str(body, 'status') ?? '').toUpperCase();
    const q = str(body, 'quota_name');
    if (q) this.quotaName = q;
    if (body.slots !== undefined || created) {
      const buckets = parseBuckets(body.slots);
      if (!created && buckets.length !== this.buckets.length) {
        throw new TunnelError(`upsert session ${this.id}: the bucket count changed (${this.buckets.length} -> ${buckets.length})`, { code: 'BucketsChanged' });
      }
      this.buckets = buckets;
    }
  }

  /** `GET …/upserts?upsertid=`. */
  async reload(signal?: AbortSignal): Promise<this> {
    const req: TunnelRequest = { method: 'GET', query: { upsertid: this.id } };
    const sig = signal ?? this.opts.signal;
    if (sig) req.signal = sig;
    const { body } = await tunnelJson<UpsertJson>(this.target, req);
    this.apply(body, false);
    return this;
  }

  /**
   * `PUT …/upserts?upsertid=&bucketid=&slotid=&record_count=` with one record stream. Resending a
   * bucket's batch whose answer was lost is safe: nothing is visible before commit and the operations
   * of one key are replayed in the same order, so the committed state is the same.
   */
  async putBucket(bucket: number, chunks: readonly Uint8Array[], recordCount: number, opts: { compress?: boolean; maxAttempts?: number; signal?: AbortSignal } = {}): Promise<void> {
    const signal = opts.signal ?? this.opts.signal;
    const retry = this.target.ctx.transport.retry;
    const maxAttempts = opts.maxAttempts ?? retry.maxAttempts;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const slot = this.buckets[bucket];
      if (!slot) throw new OdpsArgumentError(`bucket ${bucket} is not a bucket of upsert session ${this.id}`);
      const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', 'odps-tunnel-routed-server': slot.server };
      if (opts.compress) headers['Content-Encoding'] = 'deflate';
      const req: TunnelRequest = {
        method: 'PUT',
        query: { upsertid: this.id, bucketid: String(bucket), slotid: slot.id, record_count: String(recordCount) },
        headers,
        body: opts.compress ? compressBody(chunks) : iterate(chunks),
      };
      if (signal) req.signal = signal;
      try {
        const res = await tunnelRequest(this.target, req);
        await res.dump();
        const moved = res.headers['odps-tunnel-routed-server'];
        if (moved && ROUTE.test(moved)) slot.server = moved;
        return;
      } catch (err) {
        if (signal?.aborted) throw err;
        const account = this.target.ctx.transport.account;
        if (!refreshed && account.invalidate && err instanceof AuthError && authRecovery(err, {}, Date.now())?.kind === 'credentials') {
          refreshed = true;
          account.invalidate();
          continue;
        }
        const slotMoved = err instanceof OdpsError && (err.code === 'SlotNotExist' || err.status === 308);
        if (!maybeArrived(err, signal) && !(err instanceof ThrottledError) && !slotMoved) throw err;
        if (attempt >= maxAttempts) throw err;
        if (slotMoved) await this.reload(signal);
        const ra = err instanceof ThrottledError ? err.retryAfterMs : undefined;
        await wait(ra ?? backoffMs(attempt, { baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs }), signal);
      }
    }
  }

  /**
   * `POST …/upserts?upsertid=` (routed to bucket 0's server), then until COMMITTED: reload and POST
   * again with backoff (1 s doubling to 8 s, as the SDKs). The commit is idempotent on the service,
   * so a lost answer or a 5xx is answered by asking again; "session not found" afterwards means it was
   * committed and cleaned up (Java and PyODPS read it the same way). Any other final status fails.
   */
  async commit(signal?: AbortSignal): Promise<void> {
    const sig = signal ?? this.opts.signal;
    const timeout = this.opts.commitTimeoutMs ?? 120_000;
    const start = Date.now();
    const retry = this.target.ctx.transport.retry;
    let sent = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const req: TunnelRequest = { method: 'POST', query: { upsertid: this.id }, headers: { 'odps-tunnel-routed-server': this.buckets[0]!.server }, body: '' };
        if (sig) req.signal = sig;
        const { body } = await tunnelJson<UpsertJson>(this.target, req);
        sent = true;
        this.apply(body, false);
      } catch (err) {
        if (sig?.aborted) throw err;
        if (sent && sessionGone(err)) {
          this.status = 'COMMITTED';
          return;
        }
        if (!maybeArrived(err, sig) && !(err instanceof ThrottledError)) throw err;
        // The commit may have happened: find out before asking again.
        sent = true;
        try {
          await this.reload(sig);
        } catch (reloadErr) {
          if (sessionGone(reloadErr)) {
            this.status = 'COMMITTED';
            return;
          }
          if (!maybeArrived(reloadErr, sig)) throw reloadErr;
        }
      }
      if (this.status === 'COMMITTED') return;
      if (this.status !== 'NORMAL' && this.status !== 'COMMITTING' && this.status !== '') {
        throw new TunnelError(`upsert session ${this.id} commit failed: status ${this.status}`, { code: 'CommitFailed' });
      }
      if (Date.now() - start > timeout) throw new TunnelError(`upsert session ${this.id}: commit did not finish within ${timeout} ms (status ${this.status})`, { code: 'CommitTimeout' });
      await wait(Math.min(8000, backoffMs(attempt, { baseDelayMs: retry.baseDelayMs, maxDelayMs: Math.max(retry.maxDelayMs, 1) })), sig);
    }
  }

  /** `DELETE …/upserts?upsertid=`: drop the session; nothing it buffered is applied. */
  async abort(signal?: AbortSignal): Promise<void> {
    const req: TunnelRequest = { method: 'DELETE', query: { upsertid: this.id }, headers: { 'odps-tunnel-routed-server': this.buckets[0]!.server } };
    const sig = signal ?? this.opts.signal;
    if (sig) req.signal = sig;
    const res = await tunnelRequest(this.target, req);
    await res.dump();
    this.status = 'ABORTED';
  }
}

async function* iterate(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array, void, undefined> {
  yield* chunks;
}
