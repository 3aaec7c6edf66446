// `odps upsert <table> -i file`: CSV / NDJSON rows upserted (or deleted) by primary key, committed once at the end.
import type { UpsertWriter } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import { csvRows, ndjsonRows, openInput, type TargetColumn } from '../input/table-rows.js';
import type { BinaryEncoding } from '../output/value-text.js';
import { onInterrupt, type Interrupt } from '../progress/interrupt.js';
import { requirePartition } from './download.js';
import { transferFormat, type TransferFormat } from './transfer-format.js';

export interface UpsertOptions {
  input: string;
  partition?: string;
  format?: TransferFormat;
  deleteColumn?: string;
  binary?: BinaryEncoding;
  compress?: 'deflate' | 'none';
}

export async function run(ctx: CommandContext, name: string, opts: UpsertOptions): Promise<void> {
  const format = transferFormat(opts.format, opts.input === '-' ? undefined : opts.input);
  if (format !== 'csv' && format !== 'ndjson') throw new UsageError('odps upsert reads CSV or NDJSON');
  const input = openInput(opts.input, ctx.io.stdin);
  let writer: UpsertWriter;
  let interrupt: Interrupt | undefined;
  let columns: TargetColumn[];
  try {
    const table = await ctx.client().tables.get(name);
    requirePartition(table, opts.partition, 'upsert into');
    columns = table.schema.columns.map((c) => ({ name: c.name, type: c.type }));
    if (opts.deleteColumn !== undefined) {
      if (columns.some((c) => c.name.toLowerCase() === opts.deleteColumn!.toLowerCase())) {
        throw new UsageError(`--delete-column ${opts.deleteColumn} is a column of ${table.name}; name a column that only the input has`);
      }
      // An input-only boolean: true deletes the row with that key, false/absent upserts it.
      columns.push({ name: opts.deleteColumn, type: 'boolean' });
    }
    interrupt = onInterrupt((l) => ctx.note(l));
    writer = await table.openUpsertWriter({
      ...(opts.partition ? { partition: opts.partition } : {}),
      ...(opts.compress === 'deflate' ? { compress: true } : {}),
      signal: interrupt.signal,
    });
  } catch (err) {
    interrupt?.dispose();
    input.stream.destroy();
    if (interrupt?.interrupted) throw new InterruptedError('upsert interrupted before any row was sent; nothing was committed');
    throw err;
  }
  const n = writer.columns.length;
  const source = format === 'csv' ? csvRows(input.stream, columns, opts.binary ?? 'base64', opts.input) : ndjsonRows(input.stream, columns, opts.binary ?? 'base64', opts.input);
  let upserts = 0;
  let deletes = 0;
  try {
    for await (const row of source) {
      if (interrupt.signal.aborted) break;
      if (opts.deleteColumn !== undefined && row[n] === true) {
        await writer.delete(row.slice(0, n));
        deletes++;
      } else {
        await writer.upsert(row.slice(0, n));
        upserts++;
      }
    }
    if (interrupt.signal.aborted) throw interrupt.signal.reason;
    await writer.commit();
  } catch (err) {
    // Nothing is applied before the commit: abort drops every buffered operation.
    if (writer.session.status !== 'COMMITTED') await writer.abort().catch(() => undefined);
    if (interrupt.interrupted) throw new InterruptedError(`upsert aborted after ${upserts + deletes} rows; nothing was committed`);
    throw err;
  } finally {
    interrupt.dispose();
    input.stream.destroy();
  }
  if (ctx.showProgress) ctx.note(`upserted ${upserts} and deleted ${deletes} rows of ${name}${opts.partition ? ` (${opts.partition})` : ''}`);
}
