// Upsert sessions (tunnel.md §6.6): create, reload, bucket-routed record PUTs held until an atomic, idempotent commit; abort.
import { bucketOf, parseType, UPSERT_EXTRA_COLUMNS, type Column } from '@odps-ts/odps-client';
import { EmulatorHttpError } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import { partitionName } from '../routes/partition-spec.js';
import { decodeRecordBlock } from './record-block.js';
import { requestBodyChunks } from './request-body.js';
import { schemaJson } from './session-json.js';
import { newSessionId, tableSessionFor } from './session-store.js';
import { tableTarget } from './table-target.js';
import { partitionOf } from './tunnel-params.js';
import type { TunnelState } from './tunnel-state.js';
import { tunnelErrors } from './tunnel-errors.js';

const MAX_BATCH_BYTES = 256 * 1024 * 1024;
/** Buckets per session: several, so that client routing is exercised (the service picks its own count). */
const BUCKETS = 4;
const MAX_SLOTS = 16;
const OP_UPSERT = 85;
const OP_DELETE = 68;

export interface UpsertSession {
  id: string;
  project: string;
  schema: string;
  table: string;
  partition?: Record<string, string>;
  columns: Column[];
  partitionKeys: Column[];
  primaryKey: string[];
  /** [slot id, worker address, buckets]. */
  slots: { slot_id: string; worker_addr: string; buckets: number[] }[];
  status: 'NORMAL' | 'COMMITTED' | 'ABORTED';
  /** Operations received per bucket, in arrival order (one key always lands in one bucket). */
  ops: unknown[][][];
  created: Date;
  quotaName: string;
}

function sessionJson(s: UpsertSession): Record<string, unknown> {
  return {
    id: s.id,
    status: s.status,
    slots: s.slots,
    schema: schemaJson(s.columns, s.partitionKeys),
    hash_key: s.primaryKey,
    hasher: 'default',
    enable_partial_update: false,
    quota_name: s.quotaName,
  };
}

/** POST `…/upserts?slotnum=[&partition=][&lifecycle=]`: only transactional tables with a primary key. */
export function createUpsert(ctx: RequestContext, state: TunnelState): void {
  const { project, schema, info, label } = tableTarget(ctx);
  if (!info.transactional || !info.primaryKey || info.primaryKey.length === 0) {
    throw new EmulatorHttpError(400, 'InvalidArgument', `Table ${label} is not a transactional table with a primary key; upsert sessions need one.`);
  }
  const partition = partitionOf(ctx, label, info.partitionKeys);
  const slotText = ctx.q('slotnum') ?? '1';
  const slotNum = Number(slotText);
  if (!Number.isInteger(slotNum) || slotNum < 1 || slotNum > MAX_SLOTS) {
    throw new EmulatorHttpError(400, 'InvalidArgument', `Invalid slotnum '${slotText.slice(0, 16)}': it must be an integer in [1, ${MAX_SLOTS}].`);
  }
  const host = ctx.emu.urls.tunnelHost.replace(/:\d+$/, '');
  const slots = Array.from({ length: Math.min(slotNum, BUCKETS) }, (_, i) => ({ slot_id: String(i), worker_addr: `${host}:${21000 + i}`, buckets: [] as number[] }));
  for (let b = 0; b < BUCKETS; b++) slots[b % slots.length]!.buckets.push(b);
  const session: UpsertSession = {
    id: newSessionId(ctx.emu.now()),
    project,
    schema,
    table: info.name,
    ...(partition ? { partition } : {}),
    columns: info.columns,
    partitionKeys: info.partitionKeys,
    primaryKey: info.primaryKey,
    slots,
    status: 'NORMAL',
    ops: Array.from({ length: BUCKETS }, () => []),
    created: ctx.emu.now(),
    quotaName: ctx.q('quotaName') ?? '',
  };
  state.upserts.add(session.id, session);
  ctx.sendJson(sessionJson(session));
}

function upsertFor(ctx: RequestContext, state: TunnelState): UpsertSession {
  return tableSessionFor(ctx, state.upserts, 'upsertid', (id) => upsertErrors.notFound(id));
}

/** GET `…/upserts?upsertid=`. */
export function reloadUpsert(ctx: RequestContext, state: TunnelState): void {
  ctx.sendJson(sessionJson(upsertFor(ctx, state)));
}

/** DELETE `…/upserts?upsertid=`: forget the session and its operations (a committed one stays committed). */
export function abortUpsert(ctx: RequestContext, state: TunnelState): void {
  const session = upsertFor(ctx, state);
  if (session.status === 'NORMAL') {
    session.status = 'ABORTED';
    session.ops = [];
  }
  state.upserts.delete(session.id);
  ctx.sendEmpty(200);
}

/**
 * PUT `…/upserts?upsertid=&bucketid=&slotid=[&record_count=]`: decode the whole record stream (table
 * columns plus the 5 upsert columns) and check that every key hashes to this bucket, as the service's
 * workers own their buckets: a client with a wrong hasher fails here instead of corrupting keys.
 */
export async function putUpsertBucket(ctx: RequestContext, state: TunnelState): Promise<void> {
  const session = upsertFor(ctx, state);
  if (session.status !== 'NORMAL') throw upsertErrors.notWritable(session);
  const bucketText = ctx.q('bucketid') ?? '';
  const bucket = Number(bucketText);
  if (!/^\d+$/.test(bucketText) || bucket >= session.ops.length) throw new EmulatorHttpError(400, 'InvalidArgument', `Invalid bucketid '${bucketText.slice(0, 16)}'.`);
  const slot = session.slots.find((s) => s.slot_id === ctx.q('slotid'));
  if (!slot || !slot.buckets.includes(bucket)) throw new EmulatorHttpError(400, 'SlotNotExist', `Slot '${(ctx.q('slotid') ?? '').slice(0, 16)}' does not own bucket ${bucket}.`);
  const columns = [...session.columns, ...UPSERT_EXTRA_COLUMNS];
  const rows = await decodeRecordBlock(requestBodyChunks(ctx.req, MAX_BATCH_BYTES), columns);
  const countText = ctx.q('record_count');
  if (countText !== undefined && countText !== '' && Number(countText) !== rows.length) {
    throw tunnelErrors.malformed(`record_count=${countText} but the body holds ${rows.length} records`);
  }
  const n = session.columns.length;
  const keyIdx = session.primaryKey.map((k) => session.columns.findIndex((c) => c.name.toLowerCase() === k.toLowerCase()));
  const keyTypes = keyIdx.map((i) => parseType(session.columns[i]!.type));
  for (const [r, row] of rows.entries()) {
    const op = Number(row[n + 2]);
    if (op !== OP_UPSERT && op !== OP_DELETE) throw tunnelErrors.malformed(`record ${r}: __operation must be 'U' (85) or 'D' (68), got ${String(row[n + 2])}`);
    const keys = keyIdx.map((i) => row[i]);
    if (keys.some((k) => k === null)) throw tunnelErrors.malformed(`record ${r}: a primary key column is null`);
    const want = bucketOf('default', keyTypes, keys, session.ops.length);
    if (want !== bucket) throw tunnelErrors.malformed(`record ${r}: its key hashes to bucket ${want}, sent to bucket ${bucket}`);
  }
  session.ops[bucket]!.push(...rows);
  ctx.sendEmpty(200, { 'odps-tunnel-routed-server': slot.worker_addr });
}

function keyText(values: unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v));
}

/**
 * POST `…/upserts?upsertid=`: apply every operation at once (the last one per key wins: an upsert
 * replaces the row, a delete removes it) in one engine transaction, then report COMMITTED. Committing
 * again answers COMMITTED without applying anything, which is what makes a client's retry safe. A
 * reset fault cuts the connection after the commit and before the answer.
 */
export async function commitUpsert(ctx: RequestContext, state: TunnelState): Promise<void> {
  const session = upsertFor(ctx, state);
  if (session.status === 'NORMAL') {
    const n = session.columns.length;
    const keyIdx = session.primaryKey.map((k) => session.columns.findIndex((c) => c.name.toLowerCase() === k.toLowerCase()));
    const last = new Map<string, { op: number; row: unknown[] }>();
    for (const bucketOps of session.ops) {
      for (const row of bucketOps) {
        const keys = keyIdx.map((i) => row[i]);
        const text = keyText(keys);
        // Re-inserting moves the key to the end, so upserts are written in the order of their last operation.
        last.delete(text);
        last.set(text, { op: Number(row[n + 2]), row });
      }
    }
    const upserts: unknown[][] = [];
    const deletes: unknown[][] = [];
    for (const { op, row } of last.values()) {
      deletes.push(keyIdx.map((i) => row[i]));
      if (op === OP_UPSERT) upserts.push(row.slice(0, n));
    }
    await ctx.emu.engine.writeRows(session.project, session.table, upserts, {
      schema: session.schema,
      createPartition: true,
      deleteKeys: deletes,
      ...(session.partition ? { partition: session.partition } : {}),
    });
    session.status = 'COMMITTED';
    session.ops = [];
    ctx.emu.logger.debug('tunnel upsert session committed', { session: session.id, partition: session.partition ? partitionName(session.partition) : '', upserts: upserts.length, deletes: deletes.length - upserts.length });
  }
  if (ctx.resetAfterBytes !== undefined) {
    const socket = ctx.res.socket;
    if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket?.destroy();
    return;
  }
  ctx.sendJson(sessionJson(session));
}

const upsertErrors = {
  notFound(id: string): EmulatorHttpError {
    return new EmulatorHttpError(404, 'UpsertSessionNotFound', `The upsert session ${id.slice(0, 64)} does not exist or has expired.`);
  },
  notWritable(s: UpsertSession): EmulatorHttpError {
    return new EmulatorHttpError(400, 'InvalidSessionStatus', `The upsert session ${s.id} is ${s.status} and takes no more data.`);
  },
};
