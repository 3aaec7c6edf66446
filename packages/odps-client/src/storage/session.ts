// Storage API read sessions: create (projection, partitions, filter, split options), refresh, list splits.
import { OdpsArgumentError, TunnelError } from '../errors.js';
import type { Transport } from '../http/transport.js';
import type { Column } from '../types/column.js';
import { wait } from '../tunnel/session/backoff.js';
import { parseSessionSchema } from '../tunnel/session/session-json.js';
import { renderPredicate, type Predicate } from './predicate.js';
import { storageRequest, type StorageTable } from './request.js';
import { SPLIT_DESCRIPTOR_VERSION, type SplitDescriptor } from './split.js';

export type SplitMode = 'Size' | 'Parallelism' | 'RowOffset' | 'Bucket';
export type ReadSessionStatus = 'INIT' | 'NORMAL' | 'CRITICAL' | 'EXPIRED' | 'COMMITTING' | 'COMMITTED' | (string & {});

export interface SplitOptions {
  /** Default 'Size'. */
  mode?: SplitMode;
  /** Bytes per split (Size, default 256 MiB), number of splits (Parallelism, default 32); unused otherwise. */
  number?: number;
  /** Let a split span partitions (default true). */
  crossPartition?: boolean;
}

export interface ReadSessionOptions {
  /** Data columns to read, in output order; default all. */
  columns?: string[];
  /** Partition columns to add to the output (service feature; the emulator refuses them). */
  partitionColumns?: string[];
  /** Partitions to read, as `pt=1,ds=x` text or `{ pt: '1' }`; default all. */
  partitions?: (string | Record<string, string>)[];
  /** A predicate tree (see `P`) or its text; rows not matching are filtered on the server. */
  filter?: Predicate | string;
  split?: SplitOptions;
  /** Arrow units (default: timestamps 'nano', datetimes 'milli'). */
  arrow?: { timestampUnit?: 'second' | 'milli' | 'micro' | 'nano'; datetimeUnit?: 'second' | 'milli' | 'micro' | 'nano' };
  signal?: AbortSignal;
  /** How long to wait while the session is INIT (default 10 min). */
  waitTimeoutMs?: number;
}

const DEFAULT_SPLIT_NUMBER: Record<SplitMode, number> = { Size: 256 * 1024 * 1024, Parallelism: 32, RowOffset: 0, Bucket: 0 };
const MODES = new Set<string>(['Size', 'Parallelism', 'RowOffset', 'Bucket']);

function partitionText(p: string | Record<string, string>): string {
  if (typeof p === 'string') return p;
  return Object.entries(p).map(([k, v]) => `${k}=${v}`).join(',');
}

/** The `TableBatchScanRequest` JSON (PyODPS field names). */
export function scanRequestJson(opts: ReadSessionOptions): Record<string, unknown> {
  const mode = opts.split?.mode ?? 'Size';
  if (!MODES.has(mode)) throw new OdpsArgumentError(`split mode must be one of Size, Parallelism, RowOffset, Bucket; got ${String(mode)}`);
  const number = opts.split?.number ?? DEFAULT_SPLIT_NUMBER[mode];
  if (!Number.isSafeInteger(number) || number < 0) throw new OdpsArgumentError(`split number must be a non-negative integer, got ${String(number)}`);
  if ((mode === 'Size' || mode === 'Parallelism') && number === 0) throw new OdpsArgumentError(`split number must be positive in ${mode} mode`);
  const filter = opts.filter === undefined ? '' : typeof opts.filter === 'string' ? opts.filter : renderPredicate(opts.filter);
  return {
    RequiredDataColumns: opts.columns ?? [],
    RequiredPartitionColumns: opts.partitionColumns ?? [],
    RequiredPartitions: (opts.partitions ?? []).map(partitionText),
    RequiredBucketIds: [],
    SplitOptions: { SplitMode: mode, SplitNumber: number, CrossPartition: opts.split?.crossPartition ?? true },
    ArrowOptions: { TimestampUnit: opts.arrow?.timestampUnit ?? 'nano', DatetimeUnit: opts.arrow?.datetimeUnit ?? 'milli' },
    FilterPredicate: filter,
  };
}

type Json = Record<string, unknown>;

/** The Storage API spells column fields `Name`, `Type`, `Comment`, `Nullable`; the shared parser reads lower case. */
function lowerKeys(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((c: unknown) => (typeof c === 'object' && c !== null ? Object.fromEntries(Object.entries(c).map(([k, x]) => [k.toLowerCase(), x])) : c));
}

/** A read session: its id, status, split count, record count and schema as the service reported them. */
export class ReadSession {
  id = '';
  status: ReadSessionStatus = 'INIT';
  splitsCount = 0;
  recordCount = 0;
  splitMode: SplitMode = 'Size';
  expirationTime?: number;
  dataColumns: Column[] = [];
  partitionColumns: Column[] = [];
  raw: Json = {};

  constructor(private readonly transport: Transport, readonly target: StorageTable) {}

  /** @internal */
  apply(body: Json): this {
    if (typeof body['SessionId'] !== 'string' || body['SessionId'] === '') throw new TunnelError('read session answer has no SessionId', { code: 'InvalidSession' });
    this.raw = body;
    this.id = body['SessionId'];
    this.status = typeof body['SessionStatus'] === 'string' ? body['SessionStatus'].toUpperCase() : 'INIT';
    if (typeof body['SplitsCount'] === 'number') this.splitsCount = body['SplitsCount'];
    if (typeof body['RecordCount'] === 'number') this.recordCount = body['RecordCount'];
    if (typeof body['ExpirationTime'] === 'number') this.expirationTime = body['ExpirationTime'];
    const ds = body['DataSchema'] as Json | undefined;
    if (ds) {
      const s = parseSessionSchema({ columns: lowerKeys(ds['DataColumns']), partitionKeys: lowerKeys(ds['PartitionColumns']) });
      this.dataColumns = s.columns;
      this.partitionColumns = s.partitionColumns;
    }
    return this;
  }

  /** `POST .../sessions?session_type=batch_read`; 201 means ready, otherwise poll until NORMAL. */
  static async create(transport: Transport, target: StorageTable, opts: ReadSessionOptions = {}): Promise<ReadSession> {
    const json = scanRequestJson(opts);
    const session = new ReadSession(transport, target);
    session.splitMode = (json['SplitOptions'] as { SplitMode: SplitMode }).SplitMode;
    const res = await storageRequest(transport, target, {
      method: 'POST', rest: ['sessions'], query: { session_type: 'batch_read' }, json,
      ...(opts.signal ? { signal: opts.signal } : {}),
      // A second session for a lost answer costs nothing: safe to retry.
      idempotent: true,
    });
    session.apply(await res.json<Json>());
    if (res.status !== 201 || session.status === 'INIT') await session.waitReady(opts.waitTimeoutMs ?? 600_000, opts.signal);
    session.checkUsable();
    return session;
  }

  /** `GET .../sessions/{id}?session_type=batch_read` (`refresh` adds `session_refresh=true`). */
  async reload(opts: { refresh?: boolean; signal?: AbortSignal } = {}): Promise<this> {
    const res = await storageRequest(this.transport, this.target, {
      method: 'GET', rest: ['sessions', this.id],
      query: { session_type: 'batch_read', session_refresh: opts.refresh ? 'true' : undefined },
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return this.apply(await res.json<Json>());
  }

  private async waitReady(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; this.status === 'INIT'; attempt++) {
      if (Date.now() > deadline) throw new TunnelError(`read session ${this.id} still INIT after ${timeoutMs} ms`, { code: 'SessionWaitTimeout' });
      await wait(Math.min(5000, 100 * 2 ** (attempt - 1)), signal);
      await this.reload(signal ? { signal } : {});
    }
  }

  private checkUsable(): void {
    if (this.status === 'EXPIRED' || this.status === 'CRITICAL') {
      throw new TunnelError(`read session ${this.id} is ${this.status}`, { code: `Session${this.status}` });
    }
  }

  /**
   * One descriptor per split (indexed modes). In RowOffset mode there are no server splits: the rows
   * are cut into `rowsPerSplit`-row ranges (default: 4 ranges) read by row offset.
   */
  splits(opts: { rowsPerSplit?: number } = {}): SplitDescriptor[] {
    const base = { version: SPLIT_DESCRIPTOR_VERSION, project: this.target.project, schema: this.target.schema, table: this.target.table, sessionId: this.id } as const;
    const quota = this.target.quotaName ? { quotaName: this.target.quotaName } : {};
    if (this.splitMode !== 'RowOffset') {
      return Array.from({ length: this.splitsCount }, (_, i) => ({ ...base, ...quota, splitIndex: i }));
    }
    const per = opts.rowsPerSplit ?? Math.max(1, Math.ceil(this.recordCount / 4));
    if (!Number.isSafeInteger(per) || per < 1) throw new OdpsArgumentError(`rowsPerSplit must be a positive integer, got ${String(per)}`);
    const out: SplitDescriptor[] = [];
    for (let at = 0; at < this.recordCount; at += per) {
      out.push({ ...base, ...quota, splitIndex: 0, rowIndex: at, rowCount: Math.min(per, this.recordCount - at) });
    }
    return out;
  }
}
