// Table preview (tunnel.md §8): `GET …/schemas/{s}/tables/{t}/preview?limit=` answering a whole Arrow IPC stream.
import { arrowSchemaFor } from '@odps-ts/odps-client';
import { RecordBatchStreamWriter } from 'apache-arrow';
import type { RequestContext } from '../request-context.js';
import { rowsToRecordBatch } from './rows-to-arrow.js';
import { tableTarget } from './table-target.js';
import { EmulatorHttpError } from '../errors.js';
import { parsePartitionSpec } from '../routes/partition-spec.js';
import { tunnelErrors } from './tunnel-errors.js';

/** Java documents 5000 rows as the maximum; `limit=-1` means the server default (taken as the maximum). */
const MAX_PREVIEW_ROWS = 5000;

function limitOf(ctx: RequestContext): number {
  const text = ctx.q('limit');
  if (text === undefined || text === '' || text === '-1') return MAX_PREVIEW_ROWS;
  if (!/^\d+$/.test(text)) throw new EmulatorHttpError(400, 'InvalidArgument', `Invalid preview limit '${text}'.`);
  return Math.min(Number(text), MAX_PREVIEW_ROWS);
}

/**
 * Unlike the download stream this is a complete IPC stream with its Schema message, and TIMESTAMP
 * columns use struct<sec:int64, nano:int32>. Requested columns come back in table order (Java
 * reorders them before calling). [UNVERIFIED] Whether the service appends partition columns is not
 * documented; the emulator sends data columns only. No rows give an empty body.
 */
export async function previewTable(ctx: RequestContext): Promise<void> {
  const { project, schema, info } = tableTarget(ctx);
  const limit = limitOf(ctx);
  const wanted = (ctx.q('columns') ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  for (const name of wanted) {
    if (!info.columns.some((c) => c.name.toLowerCase() === name)) {
      throw new EmulatorHttpError(400, 'InvalidColumnSpec', `Column '${name}' is not a data column of ${info.name}.`);
    }
  }
  const columns = wanted.length === 0 ? info.columns : info.columns.filter((c) => wanted.includes(c.name.toLowerCase()));
  const partitionText = ctx.q('partition');
  const partition = partitionText ? parsePartitionSpec(partitionText, (why) => tunnelErrors.invalidPartition(partitionText, why)) : undefined;
  const rows = limit === 0
    ? []
    : await ctx.emu.engine.readRows(project, info.name, { schema, columns: columns.map((c) => c.name), limit, ...(partition ? { partition } : {}) });
  const headers = { 'Content-Type': 'application/vnd.apache.arrow.stream' };
  if (rows.length === 0) {
    ctx.send(200, Buffer.alloc(0), headers['Content-Type']);
    return;
  }
  const arrowSchema = arrowSchemaFor(columns, { timestampLayout: 'struct' });
  const batch = rowsToRecordBatch(arrowSchema, columns.map((c) => c.type), rows);
  const ipc = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
  ctx.send(200, Buffer.from(ipc.buffer, ipc.byteOffset, ipc.byteLength), headers['Content-Type']);
}
