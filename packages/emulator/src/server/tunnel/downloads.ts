// Download sessions over tables (tunnel.md §2) and instance results (§7): create, reload, read data.
import type { Column } from '@odps-ts/odps-client';
import { httpErrors } from '../errors.js';
import type { InstanceRecord, TaskRecord } from '../instances/instance-store.js';
import type { RequestContext } from '../request-context.js';
import { requireProject } from '../routes/project-guard.js';
import { partitionName } from '../routes/partition-spec.js';
import { writeArrowBody } from './arrow-body.js';
import { BodySink, ClientGoneError } from './body-sink.js';
import { writeRecordBody } from './record-body.js';
import { resultSource, snapshotTable } from './row-source.js';
import { downloadSessionJson } from './session-json.js';
import { newSessionId } from './session-store.js';
import type { DownloadSession } from './sessions.js';
import { tableTarget } from './table-target.js';
import { flagOf, negotiateEncoding, partitionOf, projectionOf, rowRangeOf, tunnelVersionOf, wantsArrow } from './tunnel-params.js';
import type { TunnelState } from './tunnel-state.js';
import { tunnelErrors } from './tunnel-errors.js';
import { metricsStart } from './server-metrics.js';

/** `instance_tunnel_limit_enabled` caps instance results at this many records (tunnel.md §7). */
const INSTANCE_LIMIT_ROWS = 10_000;

function quotaOf(ctx: RequestContext): string {
  return ctx.q('quotaName') ?? '';
}

/**
 * POST table `?downloads`: snapshot the rows now (an engine snapshot: nothing is copied or read yet);
 * the session never sees later writes.
 */
export async function createTableDownload(ctx: RequestContext, state: TunnelState): Promise<void> {
  const { project, schema, info, label } = tableTarget(ctx);
  const partition = partitionOf(ctx, label, info.partitionKeys);
  if (partition) {
    const exists = ctx.emu.engine.listPartitions(project, info.name, schema).some((p) => partitionName(p.spec) === partitionName(partition));
    if (!exists) throw tunnelErrors.noSuchPartition(label, partitionName(partition));
  }
  const source = await snapshotTable(ctx.emu.engine, project, info.name, {
    schema,
    ...(partition ? { partition } : {}),
    columnNames: info.columns.map((c) => c.name),
    onDropError: (err) => ctx.emu.logger.warn('tunnel download snapshot not released', { error: err instanceof Error ? err.message : String(err) }),
  });
  const session: DownloadSession = {
    id: newSessionId(ctx.emu.now()),
    kind: 'table',
    project,
    schema,
    target: info.name,
    ...(partition ? { partition } : {}),
    columns: info.columns,
    partitionKeys: info.partitionKeys,
    source,
    created: ctx.emu.now(),
    owner: ctx.emu.config.owner,
    quotaName: quotaOf(ctx),
  };
  state.downloads.add(session.id, session);
  ctx.emu.logger.debug('tunnel download session created', { table: label, session: session.id, records: source.count });
  // asyncmode=true is accepted; the snapshot is ready at once, so the status is already NORMAL.
  ctx.sendJson(downloadSessionJson(session));
}

function selectTask(ctx: RequestContext, inst: InstanceRecord): TaskRecord {
  const failed = inst.tasks.find((t) => t.status === 'Failed' || t.status === 'Cancelled');
  if (failed) throw tunnelErrors.taskFailed(inst.id, `task ${failed.spec.name} is ${failed.status}`);
  const name = ctx.q('taskname');
  if (name) {
    const task = inst.tasks.find((t) => t.spec.name === name);
    if (!task) throw tunnelErrors.noSuchTask(inst.id, name);
    return task;
  }
  const withSelect = inst.tasks.find((t) => t.result?.isSelect);
  return withSelect ?? inst.tasks[0]!;
}

/** POST instance `?downloads`: a session over a terminated SELECT instance's result rows. */
export function createInstanceDownload(ctx: RequestContext, state: TunnelState): void {
  const project = requireProject(ctx);
  const id = ctx.param('instance');
  const inst = ctx.emu.instances.get(project, id);
  if (!inst) throw httpErrors.noSuchInstance(id);
  if (inst.status !== 'Terminated') throw tunnelErrors.instanceNotTerminated(id);
  const task = selectTask(ctx, inst);
  const result = task.result;
  if (!result || !result.isSelect) throw tunnelErrors.instanceNotSelect(id);
  const source = resultSource(ctx.emu.engine, result, flagOf(ctx, 'instance_tunnel_limit_enabled') ? INSTANCE_LIMIT_ROWS : undefined);
  const session: DownloadSession = {
    id: newSessionId(ctx.emu.now()),
    kind: 'instance',
    project,
    schema: inst.schema ?? 'default',
    target: inst.id,
    columns: result.columns.map((c): Column => ({ ...c, nullable: c.nullable ?? true })),
    partitionKeys: [],
    source,
    created: ctx.emu.now(),
    owner: ctx.emu.config.owner,
    quotaName: quotaOf(ctx),
  };
  state.downloads.add(session.id, session);
  ctx.sendJson(downloadSessionJson(session));
}

/** The session named by `downloadid`, checked against the addressed table or instance. */
function sessionFor(ctx: RequestContext, state: TunnelState, kind: 'table' | 'instance'): DownloadSession {
  const id = ctx.q('downloadid') ?? '';
  const session = state.downloads.get(id);
  if (!session || session.kind !== kind || session.project !== ctx.param('project')) throw tunnelErrors.noSuchDownload(id);
  const target = kind === 'table' ? ctx.param('table').toLowerCase() : ctx.param('instance');
  if (session.target !== target) throw tunnelErrors.sessionMismatch('download', id, kind);
  return session;
}

/** GET `?downloadid=` (reload): the same JSON as at creation. */
export function reloadDownload(ctx: RequestContext, state: TunnelState, kind: 'table' | 'instance'): void {
  ctx.sendJson(downloadSessionJson(sessionFor(ctx, state, kind)));
}

/**
 * GET `?data&downloadid=&rowrange=(s,c)[&columns=][&arrow]`: stream the range in the record format
 * (or Arrow), compressed with the first codec the client accepts (tunnel.md §5), with back-pressure.
 */
export async function readDownloadData(ctx: RequestContext, state: TunnelState, kind: 'table' | 'instance'): Promise<void> {
  const startedAt = metricsStart();
  const session = sessionFor(ctx, state, kind);
  const projection = projectionOf(ctx, session.columns);
  const { start, count } = rowRangeOf(ctx, session.source.count);
  const columns = projection.map((i) => session.columns[i]!);
  const arrow = wantsArrow(ctx);
  const encoding = negotiateEncoding(ctx);
  const headers: Record<string, string> = {
    ...ctx.baseHeaders(),
    'Content-Type': arrow ? 'application/vnd.apache.arrow.stream' : 'application/octet-stream',
  };
  if (encoding) headers['Content-Encoding'] = encoding.name;
  ctx.res.writeHead(200, headers);
  if (ctx.method === 'HEAD') {
    ctx.res.end();
    return;
  }
  const sink = new BodySink(ctx.res, encoding?.codec ?? 'none');
  // Keeps the snapshot alive for this body even if the session is evicted meanwhile.
  const unpin = session.source.pin();
  try {
    if (arrow) {
      await writeArrowBody(sink, {
        columns,
        source: session.source,
        projection,
        start,
        count,
        timestampLayout: session.kind === 'instance' ? 'struct' : 'ns',
      });
    } else {
      await writeRecordBody(sink, {
        columns,
        source: session.source,
        projection,
        start,
        count,
        withMetrics: tunnelVersionOf(ctx) >= 6,
        startedAt,
      });
    }
    await sink.end();
  } catch (err) {
    if (err instanceof ClientGoneError) {
      ctx.emu.logger.debug('tunnel download cut short', { session: session.id, requestId: ctx.requestId });
      return;
    }
    throw err;
  } finally {
    unpin();
  }
}
