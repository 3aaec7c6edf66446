// `instance.openReader()`: SQL result rows via the instance tunnel, falling back to `?result` CSV (rest.md §4.8).
import type { RecordBatch } from 'apache-arrow';
import { OdpsError } from '../../errors.js';
import type { RecordReadOptions, ReadOptions } from '../download/download-session.js';
import type { Column } from '../../types/column.js';
import type { Row } from '../records/record-decoder.js';
import type { TunnelCommonOptions, TunnelContext } from '../session/context.js';
import { InstanceDownloadSession, type InstanceDownloadOptions } from './instance-download-session.js';

export interface InstanceReaderOptions extends TunnelCommonOptions, Omit<RecordReadOptions, 'count' | 'signal'> {
  /**
   * `true`: the tunnel's limit mode (`instance_tunnel_limit_enabled`, at most 10 000 rows, no read
   * permission on source tables needed). A number: read at most that many rows.
   */
  limit?: boolean | number;
  /** `false` skips the instance tunnel and reads the `?result` CSV (at most 10 000 rows). */
  tunnel?: boolean;
  /** Task whose CSV result to read on fallback. */
  taskName?: string;
}

export type InstanceArrowReaderOptions = TunnelCommonOptions & Omit<ReadOptions, 'count' | 'signal'> & { limit?: boolean | number };

/** What the reader needs from Instance (kept structural to avoid an import cycle). */
export interface InstanceLike {
  readonly id: string;
  readonly project: string;
  readonly isSynchronous: boolean;
  getResult(options: { taskName?: string; signal?: AbortSignal; binaryStrings?: boolean }): Promise<{ columns: { name: string; type?: string }[]; rows: Row[] }>;
}

/**
 * Errors after which the SDKs read `?result` instead (tunnel unsupported for this instance):
 * PyODPS `open_reader` result_fallback_errors and InstanceTypeNotSupported (DDL, `desc`, `show`);
 * Java's SQL executor also matches the message "Non select query not supported". On TaskFailed the
 * `?result` read raises the task's own SQL error, as Java's `waitForSuccess` there does.
 */
const FALLBACK_CODES = new Set(['InvalidProjectTable', 'InvalidArgument', 'NoSuchProject', 'InstanceTypeNotSupported', 'TaskFailed', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);
const NOT_SELECT_MESSAGE = 'Non select query not supported';
const NO_PERMISSION = new Set(['NoPermission', 'ODPS-0420095']);

function code(err: unknown): string {
  return err instanceof OdpsError ? err.code : String((err as { code?: unknown } | null)?.code ?? '');
}

function fallsBack(err: unknown): boolean {
  return FALLBACK_CODES.has(code(err)) || (err instanceof OdpsError && err.message.includes(NOT_SELECT_MESSAGE));
}

async function createSession(ctx: TunnelContext, inst: InstanceLike, opts: TunnelCommonOptions & { limit?: boolean | number }): Promise<InstanceDownloadSession> {
  const base: InstanceDownloadOptions = { ...opts, limitEnabled: opts.limit === true };
  try {
    return await InstanceDownloadSession.create(ctx, inst, base);
  } catch (err) {
    // Protected projects: PyODPS retries with the 10 000-row limit mode.
    if (!base.limitEnabled && NO_PERMISSION.has(code(err))) return InstanceDownloadSession.create(ctx, inst, { ...base, limitEnabled: true });
    throw err;
  }
}

function rowCount(limit: boolean | number | undefined): number | undefined {
  return typeof limit === 'number' ? Math.max(0, Math.floor(limit)) : undefined;
}

/** A lazy result reader; `columns` is known once iteration has started (before the first row). */
export interface InstanceRowReader<R> extends AsyncIterable<R> {
  readonly columns: readonly Column[] | undefined;
}

async function* csvRows(inst: InstanceLike, opts: InstanceReaderOptions, onColumns: (c: Column[]) => void): AsyncGenerator<Row | Record<string, unknown>, void, undefined> {
  const call: { taskName?: string; signal?: AbortSignal; binaryStrings?: boolean } = {};
  if (opts.taskName) call.taskName = opts.taskName;
  if (opts.binaryStrings) call.binaryStrings = true;
  if (opts.signal) call.signal = opts.signal;
  const { columns, rows } = await inst.getResult(call);
  const names = columns.map((c) => c.name);
  const pick = opts.columns?.map((n) => {
    const i = names.findIndex((x) => x.toLowerCase() === n.toLowerCase());
    if (i < 0) throw new OdpsError(`column "${n}" is not in the result (${names.join(', ')})`, { code: 'NoSuchColumn' });
    return i;
  });
  const outNames = pick ? pick.map((i) => names[i]!) : names;
  onColumns((pick ? pick.map((i) => columns[i]!) : columns).map((c) => ({ name: c.name, type: c.type ?? 'string' })));
  const max = rowCount(opts.limit) ?? Number.POSITIVE_INFINITY;
  let n = 0;
  const start = opts.start ?? 0;
  for (const row of rows) {
    if (n - start >= max) return;
    if (n++ < start) continue;
    const r = pick ? pick.map((i) => row[i]) : row;
    yield opts.asObjects ? Object.fromEntries(outNames.map((k, i) => [k, r[i]])) : r;
  }
}

/** Lazy: nothing is requested until iteration starts, so `for await (… of inst.openReader())` works. */
export function openInstanceReader(ctx: TunnelContext, inst: InstanceLike, opts: InstanceReaderOptions = {}): InstanceRowReader<Row | Record<string, unknown>> {
  let columns: Column[] | undefined;
  const setColumns = (c: Column[]): void => {
    columns = c;
  };
  return {
    get columns() {
      return columns;
    },
    async *[Symbol.asyncIterator]() {
      if (opts.tunnel === false || inst.isSynchronous) {
        yield* csvRows(inst, opts, setColumns);
        return;
      }
      let session: InstanceDownloadSession;
      try {
        session = await createSession(ctx, inst, opts);
      } catch (err) {
        if (!fallsBack(err)) throw err;
        yield* csvRows(inst, opts, setColumns);
        return;
      }
      const read: RecordReadOptions = { ...opts };
      const count = rowCount(opts.limit);
      if (count !== undefined) read.count = count;
      delete (read as { limit?: unknown }).limit;
      const reader = session.openRecordReader(read);
      setColumns([...reader.columns]);
      yield* reader;
    },
  };
}

/** Arrow batches of the result through the instance tunnel (no CSV fallback). */
export function openInstanceArrowReader(ctx: TunnelContext, inst: InstanceLike, opts: InstanceArrowReaderOptions = {}): AsyncIterable<RecordBatch> {
  return {
    async *[Symbol.asyncIterator]() {
      const session = await createSession(ctx, inst, opts);
      const read: ReadOptions = { ...opts };
      const count = rowCount(opts.limit);
      if (count !== undefined) read.count = count;
      delete (read as { limit?: unknown }).limit;
      yield* session.openArrowReader(read);
    },
  };
}
