// Upload sessions (tunnel.md §6.1–6.4): create, put blocks (record or Arrow), status, commit.
import { EmulatorHttpError } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import { partitionName } from '../routes/partition-spec.js';
import { decodeArrowBlock } from './arrow-block.js';
import { decodeRecordBlock } from './record-block.js';
import { requestBodyChunks } from './request-body.js';
import { uploadSessionJson } from './session-json.js';
import { newSessionId, tableSessionFor } from './session-store.js';
import type { UploadSession } from './sessions.js';
import { tableTarget } from './table-target.js';
import { blockIdOf, flagOf, partitionOf, wantsArrow } from './tunnel-params.js';
import type { TunnelState } from './tunnel-state.js';
import { tunnelErrors } from './tunnel-errors.js';
import { metricsStart, serverMetricsJson } from './server-metrics.js';

/** Decoded-body cap per block: blocks are kept in memory until commit. */
const MAX_BLOCK_BYTES = 1024 * 1024 * 1024;

/** POST table `?uploads[&partition=][&overwrite=true][&create_partition]`. */
export function createUpload(ctx: RequestContext, state: TunnelState): void {
  const { project, schema, info, label } = tableTarget(ctx);
  const partition = partitionOf(ctx, label, info.partitionKeys);
  const createPartition = flagOf(ctx, 'create_partition');
  if (partition && !createPartition) {
    const exists = ctx.emu.engine.listPartitions(project, info.name, schema).some((p) => partitionName(p.spec) === partitionName(partition));
    if (!exists) throw tunnelErrors.noSuchPartition(label, partitionName(partition));
  }
  const v = (ctx.q('overwrite') ?? '').toLowerCase();
  const session: UploadSession = {
    id: newSessionId(ctx.emu.now()),
    project,
    schema,
    table: info.name,
    ...(partition ? { partition } : {}),
    overwrite: v === 'true',
    createPartition,
    columns: info.columns,
    partitionKeys: info.partitionKeys,
    blocks: new Map(),
    status: 'normal',
    created: ctx.emu.now(),
    owner: ctx.emu.config.owner,
    quotaName: ctx.q('quotaName') ?? '',
  };
  state.uploads.add(session.id, session);
  ctx.emu.logger.debug('tunnel upload session created', { table: label, session: session.id, overwrite: session.overwrite });
  ctx.sendJson(uploadSessionJson(session));
}

function uploadFor(ctx: RequestContext, state: TunnelState): UploadSession {
  return tableSessionFor(ctx, state.uploads, 'uploadid', (id) => tunnelErrors.noSuchUpload(id));
}

/** GET `?uploadid=`: the session with its UploadedBlockList. */
export function uploadStatus(ctx: RequestContext, state: TunnelState): void {
  ctx.sendJson(uploadSessionJson(uploadFor(ctx, state)));
}

/**
 * PUT `?uploadid=&blockid=N[&arrow]`: decode and verify the whole block before storing it, so a
 * corrupt body (bad CRC, truncation, bad deflate) stores nothing; the same id again replaces it.
 */
export async function putBlock(ctx: RequestContext, state: TunnelState): Promise<void> {
  const session = uploadFor(ctx, state);
  const blockId = blockIdOf(ctx);
  if (session.status !== 'normal') throw tunnelErrors.statusConflict(session.id, session.status);
  const startedAt = metricsStart();
  let bytes = 0;
  const counted = (async function* (source: AsyncIterable<Uint8Array>) {
    for await (const chunk of source) {
      bytes += chunk.byteLength;
      yield chunk;
    }
  })(requestBodyChunks(ctx.req, MAX_BLOCK_BYTES));
  const rows = wantsArrow(ctx) ? await decodeArrowBlock(counted, session.columns) : await decodeRecordBlock(counted, session.columns);
  // A commit may have happened while the body streamed in.
  if (session.status !== 'normal') throw tunnelErrors.statusConflict(session.id, session.status);
  const previous = session.blocks.get(blockId);
  session.blocks.set(blockId, { blockId, rows, bytes, created: ctx.emu.now(), version: (previous?.version ?? 0) + 1 });
  ctx.sendEmpty(200, { 'odps-tunnel-metrics': serverMetricsJson(startedAt) });
}

/**
 * Block ids a commit body lists, if any. The SDKs send no body (tunnel.md §6.3) and the emulator then
 * commits every uploaded block; as an extension a body of ids (`[0,1]`, `0,1` or `<BlockId>0</BlockId>`
 * elements) is checked against the uploaded blocks.
 */
function listedBlocks(text: string): number[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const ids = trimmed.startsWith('<') ? [...trimmed.matchAll(/<BlockId>\s*(\d+)\s*<\/BlockId>/gi)].map((m) => m[1]!) : trimmed.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter((s) => s !== '');
  return ids.map((s) => {
    if (!/^\d+$/.test(s)) throw tunnelErrors.invalidBlockId(s);
    return Number(s);
  });
}

/** POST `?uploadid=`: write every block's rows in block-id order, atomically, then close the session. */
export async function commitUpload(ctx: RequestContext, state: TunnelState): Promise<void> {
  const session = uploadFor(ctx, state);
  if (session.status !== 'normal') throw tunnelErrors.statusConflict(session.id, session.status);
  const listed = listedBlocks(ctx.bodyText());
  if (listed) {
    const missing = listed.filter((id) => !session.blocks.has(id));
    if (missing.length > 0) throw tunnelErrors.blocksNotMatch(session.id, missing);
  }
  const ids = (listed ?? [...session.blocks.keys()]).slice().sort((a, b) => a - b);
  const rows: unknown[][] = [];
  for (const id of new Set(ids)) for (const row of session.blocks.get(id)!.rows) rows.push(row);
  session.status = 'closing';
  try {
    await ctx.emu.engine.writeRows(session.project, session.table, rows, {
      schema: session.schema,
      overwrite: session.overwrite,
      createPartition: true,
      ...(session.partition ? { partition: session.partition } : {}),
    });
  } catch (err) {
    // Nothing was written (writeRows is atomic): let the client retry the commit.
    session.status = 'normal';
    if (err instanceof EmulatorHttpError) throw err;
    throw tunnelErrors.commitFailed(err instanceof Error ? err.message : String(err));
  }
  session.status = 'closed';
  ctx.emu.logger.debug('tunnel upload committed', { session: session.id, blocks: ids.length, records: rows.length });
  ctx.sendJson(uploadSessionJson(session));
}
