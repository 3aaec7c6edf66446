// Storage API read sessions: create over a filtered engine snapshot, get, and stream one split as Arrow.
import type { Column } from '@odps-ts/odps-client';
import { SqlError } from '../../engine/sql-error.js';
import type { TableInfo } from '../../engine/types.js';
import { EmulatorHttpError } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import { BodySink, ClientGoneError } from '../tunnel/body-sink.js';
import { EngineSnapshotSource, type RowSource } from '../tunnel/row-source.js';
import { newSessionId, SESSION_LIFETIME_MS, SessionStore } from '../tunnel/session-store.js';
import { tableTarget } from '../tunnel/table-target.js';
import { writeArrowStream } from './arrow-stream.js';
import { parseScanRequest, type ScanPlan } from './scan-request.js';

export interface ReadSessionRecord {
  id: string;
  project: string;
  schema: string;
  table: string;
  info: TableInfo;
  plan: ScanPlan;
  source: RowSource;
  /** Rows per split (indexed modes); 0 in RowOffset mode. */
  rowsPerSplit: number;
  splitsCount: number;
  created: Date;
}

export type ReadSessionStore = SessionStore<ReadSessionRecord>;

export function createReadSessionStore(now: () => Date): ReadSessionStore {
  return new SessionStore<ReadSessionRecord>(now, { maxEntries: 256, onRemove: (s) => (s as ReadSessionRecord).source.release() });
}

function bad(message: string): EmulatorHttpError {
  return new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - ${message}`);
}

/** A rough encoded width per value, only to turn Size's byte budget into rows per split. */
function rowBytes(columns: readonly Column[]): number {
  let n = 0;
  for (const c of columns) n += /^(tinyint|smallint|int|bigint|float|double|boolean|date|datetime|timestamp)/.test(c.type) ? 8 : 32;
  return Math.max(1, n);
}

function splitLayout(plan: ScanPlan, columns: readonly Column[], count: number): { rowsPerSplit: number; splitsCount: number } {
  if (plan.mode === 'RowOffset' || count === 0) return { rowsPerSplit: 0, splitsCount: 0 };
  const per = plan.mode === 'Size' ? Math.max(1, Math.floor(plan.splitNumber / rowBytes(columns))) : Math.ceil(count / plan.splitNumber);
  return { rowsPerSplit: per, splitsCount: Math.ceil(count / per) };
}

function columnJson(c: Column): Record<string, unknown> {
  return { Name: c.name, Type: c.type, Comment: c.comment ?? '', Nullable: c.nullable ?? true };
}

function sessionJson(s: ReadSessionRecord): Record<string, unknown> {
  return {
    SessionId: s.id,
    SessionType: 'batch_read',
    SessionStatus: 'NORMAL',
    ExpirationTime: s.created.getTime() + SESSION_LIFETIME_MS,
    SplitsCount: s.splitsCount,
    RecordCount: s.source.count,
    DataSchema: { DataColumns: s.plan.projection.map((i) => columnJson(s.info.columns[i]!)), PartitionColumns: [] },
    SupportedDataFormat: [{ Type: 'arrow', Version: 'v5' }],
  };
}

function sessionType(ctx: RequestContext): void {
  const t = ctx.q('session_type');
  if (t !== 'batch_read') throw bad(`session_type must be batch_read (write sessions are not emulated), got ${JSON.stringify(t ?? null)}`);
}

/** POST `.../sessions?session_type=batch_read`: freeze the matching rows now; 201 = ready at once. */
export async function createReadSession(ctx: RequestContext, store: ReadSessionStore): Promise<void> {
  sessionType(ctx);
  const { project, schema, info } = tableTarget(ctx);
  const plan = parseScanRequest(ctx.body, info.columns, info.partitionKeys);
  const engine = ctx.emu.engine;
  if (!engine.snapshot || !engine.readSnapshot || !engine.dropSnapshot) throw new EmulatorHttpError(501, 'NotImplemented', 'this engine has no snapshots');
  let snap;
  try {
    snap = await engine.snapshot(project, info.name, { schema, partitions: plan.partitions, ...(plan.filter ? { filter: plan.filter } : {}) });
  } catch (err) {
    if (err instanceof SqlError) throw bad(err.message);
    throw err;
  }
  const capable = engine as typeof engine & Required<Pick<typeof engine, 'readSnapshot' | 'dropSnapshot'>>;
  const source = new EngineSnapshotSource(capable, snap.id, info.columns.map((c) => c.name.toLowerCase()), snap.count, snap.chunkRows, (err) =>
    ctx.emu.logger.warn('storage read session snapshot not released', { error: err instanceof Error ? err.message : String(err) }));
  const record: ReadSessionRecord = {
    id: newSessionId(ctx.emu.now()), project, schema, table: info.name, info, plan, source, created: ctx.emu.now(),
    ...splitLayout(plan, plan.projection.map((i) => info.columns[i]!), snap.count),
  };
  store.add(record.id, record);
  ctx.sendJson(sessionJson(record), {}, 201);
}

function sessionOf(ctx: RequestContext, store: ReadSessionStore, id: string | undefined): ReadSessionRecord {
  const s = id ? store.get(id) : undefined;
  const { project, schema, info } = tableTarget(ctx);
  if (!s || s.project !== project || s.schema !== schema || s.table !== info.name) {
    throw new EmulatorHttpError(404, 'NoSuchSession', `The read session ${id ?? ''} does not exist or has expired.`);
  }
  return s;
}

/** GET `.../sessions/{id}?session_type=batch_read`: the same document as at creation. */
export function getReadSession(ctx: RequestContext, store: ReadSessionStore): void {
  sessionType(ctx);
  ctx.sendJson(sessionJson(sessionOf(ctx, store, ctx.param('session'))));
}

function intParam(ctx: RequestContext, key: string, fallback: number | undefined, max: number): number {
  const v = ctx.q(key);
  if (v === undefined || v === '') {
    if (fallback === undefined) throw bad(`${key} is required`);
    return fallback;
  }
  if (!/^\d{1,15}$/.test(v) || Number(v) > max) throw bad(`${key} must be an integer in [0, ${max}], got '${v.slice(0, 40)}'`);
  return Number(v);
}

/** The absolute row range a data request asks for, checked against the split (or the session in RowOffset mode). */
function rangeOf(ctx: RequestContext, s: ReadSessionRecord): { start: number; count: number } {
  const total = s.source.count;
  const rowIndex = intParam(ctx, 'row_index', 0, Number.MAX_SAFE_INTEGER);
  const rowCount = intParam(ctx, 'row_count', 0, Number.MAX_SAFE_INTEGER);
  let lo = 0;
  let hi = total;
  if (s.plan.mode !== 'RowOffset') {
    const split = intParam(ctx, 'split_index', undefined, Number.MAX_SAFE_INTEGER);
    if (split >= s.splitsCount) throw bad(`split_index ${split} is out of range: the session has ${s.splitsCount} splits`);
    lo = split * s.rowsPerSplit;
    hi = Math.min(total, lo + s.rowsPerSplit);
  }
  const start = lo + rowIndex;
  if (start > hi) throw bad(`row_index ${rowIndex} is past the ${hi - lo} rows of the split`);
  // row_count 0 reads to the end of the split [UNVERIFIED against the service].
  const count = rowCount === 0 ? hi - start : rowCount;
  if (start + count > hi) throw bad(`row_index ${rowIndex} + row_count ${rowCount} is past the ${hi - lo} rows of the split`);
  return { start, count };
}

/** GET `.../data?session_id=&split_index=&row_index=&row_count=&max_batch_rows=`: an Arrow IPC stream. */
export async function readSessionData(ctx: RequestContext, store: ReadSessionStore): Promise<void> {
  const s = sessionOf(ctx, store, ctx.q('session_id'));
  const { start, count } = rangeOf(ctx, s);
  const batchRows = Math.max(1, intParam(ctx, 'max_batch_rows', 4096, 1 << 20));
  ctx.res.writeHead(200, { ...ctx.baseHeaders(), 'Content-Type': 'application/octet-stream' });
  if (ctx.method === 'HEAD') {
    ctx.res.end();
    return;
  }
  const sink = new BodySink(ctx.res, 'none');
  const unpin = s.source.pin();
  try {
    await writeArrowStream(sink, {
      columns: s.plan.projection.map((i) => s.info.columns[i]!), source: s.source, projection: s.plan.projection, start, count, batchRows,
    });
    await sink.end();
  } catch (err) {
    if (err instanceof ClientGoneError) {
      ctx.emu.logger.debug('storage split read cut short', { session: s.id, requestId: ctx.requestId });
      return;
    }
    throw err;
  } finally {
    unpin();
  }
}
