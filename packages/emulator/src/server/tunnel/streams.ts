// Stream upload sessions (tunnel.md §6.5): create, reload, slot-routed micro-batch PUTs that commit at once, abort.
import type { Column } from '@odps-ts/odps-client';
import { EmulatorHttpError } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import { partitionName } from '../routes/partition-spec.js';
import { decodeRecordBlock } from './record-block.js';
import { requestBodyChunks } from './request-body.js';
import { schemaJson } from './session-json.js';
import { newSessionId, tableSessionFor } from './session-store.js';
import { metricsStart, serverMetricsJson } from './server-metrics.js';
import { tableTarget, type TableTarget } from './table-target.js';
import { flagOf, partitionOf } from './tunnel-params.js';
import type { TunnelState } from './tunnel-state.js';
import { tunnelErrors } from './tunnel-errors.js';

/** Decoded-body cap per micro-batch (rows are held until written). */
const MAX_BATCH_BYTES = 256 * 1024 * 1024;
/** Slots a session gets when the client asks for none (the service decides; two exercise round-robin). */
const DEFAULT_SLOTS = 2;
const MAX_SLOTS = 64;

export interface StreamSession {
  id: string;
  project: string;
  schema: string;
  table: string;
  partition?: Record<string, string>;
  columns: Column[];
  partitionKeys: Column[];
  schemaVersion: string;
  /** [slot id, "host:port"] routes; a rebalance replaces them (and bumps `routeEpoch`). */
  slots: [string, string][];
  routeEpoch: number;
  /** Micro-batches written so far: `last_batch_id` is this minus one (PyODPS reads `last_batch_id`). */
  batches: number;
  lastBatchAt?: Date;
  created: Date;
  quotaName: string;
}

/**
 * The emulator's table schema version: the last DDL time in ms. Any DDL bumps it, which is stricter
 * than the service (only schema changes do) but never misses a schema change.
 */
function schemaVersionOf(t: TableTarget): string {
  return String(t.info.lastDDLTime.getTime());
}

function slotRoutes(ctx: RequestContext, count: number, epoch: number): [string, string][] {
  // Fake worker addresses: the host of this emulator with a port per epoch, so a rebalance is visible.
  const host = ctx.emu.urls.tunnelHost.replace(/:\d+$/, '');
  return Array.from({ length: count }, (_, i) => [String(i), `${host}:${20000 + epoch * 100 + i}`]);
}

function slotCountOf(ctx: RequestContext): number {
  // Java sends `odps-tunnel-slot-num`, PyODPS `odps-slot-num` (tunnel.md §6.5): accept both.
  const text = ctx.header('odps-tunnel-slot-num') ?? ctx.header('odps-slot-num');
  if (text === undefined || text.trim() === '' || text.trim() === '0') return DEFAULT_SLOTS;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_SLOTS) {
    throw new EmulatorHttpError(400, 'InvalidArgument', `Invalid slot number '${text}': it must be an integer in [1, ${MAX_SLOTS}].`);
  }
  return n;
}

function sessionJson(s: StreamSession): Record<string, unknown> {
  return {
    session_name: s.id,
    status: 'normal',
    slots: s.slots,
    schema: schemaJson(s.columns, s.partitionKeys),
    schema_version: s.schemaVersion,
    quota_name: s.quotaName,
    // -1 before the first batch; clients compare it across a lost answer to avoid resending a batch.
    last_batch_id: s.batches - 1,
    ...(s.lastBatchAt ? { last_batch_commit_time: s.lastBatchAt.getTime() } : {}),
  };
}

function checkZorder(ctx: RequestContext, columns: readonly Column[]): void {
  const text = ctx.q('zorder_columns');
  if (text === undefined || text.trim() === '') return;
  for (const name of text.split(',')) {
    if (!columns.some((c) => c.name.toLowerCase() === name.trim().toLowerCase())) throw tunnelErrors.invalidColumn(name.trim());
  }
}

/** POST `…/streams[?partition=][&create_partition][&schema_version=][&check_latest_schema=][&zorder_columns=]`. */
export function createStream(ctx: RequestContext, state: TunnelState): void {
  const target = tableTarget(ctx);
  const { project, schema, info, label } = target;
  if (flagOf(ctx, 'dynamic_partition')) {
    throw new EmulatorHttpError(400, 'InvalidArgument', 'dynamic_partition stream sessions are not supported by the emulator.');
  }
  const partition = partitionOf(ctx, label, info.partitionKeys);
  if (partition && !ctx.has('create_partition')) {
    const exists = ctx.emu.engine.listPartitions(project, info.name, schema).some((p) => partitionName(p.spec) === partitionName(partition));
    if (!exists) throw tunnelErrors.noSuchPartition(label, partitionName(partition));
  }
  checkZorder(ctx, info.columns);
  const current = schemaVersionOf(target);
  const asked = ctx.q('schema_version');
  if (asked !== undefined && asked !== '' && asked !== current) throw streamErrors.noSuchSchema(label, asked);
  const session: StreamSession = {
    id: newSessionId(ctx.emu.now()),
    project,
    schema,
    table: info.name,
    ...(partition ? { partition } : {}),
    columns: info.columns,
    partitionKeys: info.partitionKeys,
    schemaVersion: current,
    slots: slotRoutes(ctx, slotCountOf(ctx), 0),
    routeEpoch: 0,
    batches: 0,
    created: ctx.emu.now(),
    quotaName: ctx.q('quotaName') ?? '',
  };
  state.streams.add(session.id, session);
  ctx.emu.logger.debug('tunnel stream session created', { table: label, session: session.id, slots: session.slots.length });
  ctx.sendJson(sessionJson(session));
}

function streamFor(ctx: RequestContext, state: TunnelState): StreamSession {
  return tableSessionFor(ctx, state.streams, 'uploadid', (id) => streamErrors.notFound(id));
}

/** GET `…/streams?uploadid=`: the session with its current slot routes. */
export function reloadStream(ctx: RequestContext, state: TunnelState): void {
  ctx.sendJson(sessionJson(streamFor(ctx, state)));
}

/** POST `…/streams?uploadid=` (PyODPS abort): forget the session; written batches stay written. */
export function abortStream(ctx: RequestContext, state: TunnelState): void {
  const session = streamFor(ctx, state);
  state.streams.delete(session.id);
  ctx.sendEmpty(200);
}

function routeHeaders(s: StreamSession, slot: [string, string]): Record<string, string> {
  return { 'odps-tunnel-slot-num': String(s.slots.length), 'odps-tunnel-routed-server': slot[1] };
}

/**
 * PUT `…/streams?uploadid=&slotid=[&record_count=][&schema_version=][&check_latest_schema=]`: decode
 * and verify the whole record stream, then append its rows at once (visible to SQL when the answer
 * leaves). A reset fault on this route cuts the connection after the rows are written and before the
 * answer: the case where a client cannot know whether its batch landed.
 */
export async function putStreamBatch(ctx: RequestContext, state: TunnelState): Promise<void> {
  const session = streamFor(ctx, state);
  const slotId = ctx.q('slotid') ?? '';
  const slot = session.slots.find((s) => s[0] === slotId);
  if (!slot) throw streamErrors.slotNotExist(session.id, slotId);
  const target = tableTarget(ctx);
  const current = schemaVersionOf(target);
  if (flagOf(ctx, 'check_latest_schema') && current !== session.schemaVersion) throw streamErrors.schemaModified(current);
  const asked = ctx.q('schema_version');
  if (asked !== undefined && asked !== '' && asked !== session.schemaVersion) throw streamErrors.noSuchSchema(target.label, asked);
  const partition = ctx.q('partition');
  if (partition !== undefined && partition !== '' && session.partition
    && partitionName(partitionOf(ctx, target.label, session.partitionKeys) ?? {}) !== partitionName(session.partition)) {
    throw tunnelErrors.sessionMismatch('upload', session.id, 'partition');
  }
  const countText = ctx.q('record_count');
  const startedAt = metricsStart();
  const rows = await decodeRecordBlock(requestBodyChunks(ctx.req, MAX_BATCH_BYTES), session.columns);
  if (countText !== undefined && countText !== '' && Number(countText) !== rows.length) {
    throw tunnelErrors.malformed(`record_count=${countText} but the body holds ${rows.length} records`);
  }
  if (rows.length > 0) {
    await ctx.emu.engine.writeRows(session.project, session.table, rows, {
      schema: session.schema,
      createPartition: true,
      ...(session.partition ? { partition: session.partition } : {}),
    });
  }
  session.batches += 1;
  session.lastBatchAt = ctx.emu.now();
  if (ctx.resetAfterBytes !== undefined) {
    const socket = ctx.res.socket;
    if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket?.destroy();
    return;
  }
  ctx.sendEmpty(200, { ...routeHeaders(session, slot), 'odps-tunnel-metrics': serverMetricsJson(startedAt) });
}

/** Emulator control: give every open stream session `count` slots on new servers (as a service rebalance would). */
export function rebalanceStreams(ctx: RequestContext, state: TunnelState, count: number): number {
  let n = 0;
  for (const session of state.streams.values()) {
    session.routeEpoch += 1;
    session.slots = slotRoutes(ctx, count, session.routeEpoch);
    n++;
  }
  return n;
}

const streamErrors = {
  notFound(id: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'StreamSessionNotFound', `The stream upload session ${id} does not exist or has expired.`);
  },
  slotNotExist(id: string, slot: string): EmulatorHttpError {
    return new EmulatorHttpError(400, 'SlotNotExist', `Slot '${slot}' is not a slot of stream session ${id}; reload the session for the current routes.`);
  },
  noSuchSchema(table: string, version: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'NoSuchSchema', `Table ${table} has no schema version '${version}'.`);
  },
  schemaModified(latest: string): EmulatorHttpError {
    return new EmulatorHttpError(412, 'SchemaModified', 'The table schema changed since the session was created.', {
      'odps-tunnel-latest-schema-version': latest,
    });
  },
};
