// `odps upload <table> -i file`: CSV / NDJSON / Arrow → table (or one partition), committed once at the end.
import type { Table } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import { openStreamSink, type RowSink } from './upload-stream.js';
import { arrowRows, csvRows, ndjsonRows, openInput, type TargetColumn } from '../input/table-rows.js';
import type { BinaryEncoding } from '../output/value-text.js';
import { onInterrupt, type Interrupt } from '../progress/interrupt.js';
import { TransferProgressBar } from '../progress/transfer-bar.js';
import { requirePartition } from './download.js';
import { transferFormat, type TransferFormat } from './transfer-format.js';

export interface UploadOptions {
  input: string;
  partition?: string;
  overwrite?: boolean;
  createPartition?: boolean;
  format?: TransferFormat;
  binary?: BinaryEncoding;
  compress?: 'lz4' | 'zstd' | 'deflate' | 'none';
  stream?: boolean;
  delimiter?: string;
}

/** Rows handed to the writer per call: big enough to amortize, small enough to react to Ctrl-C. */
const CHUNK_ROWS = 1000;

export async function run(ctx: CommandContext, name: string, opts: UploadOptions): Promise<void> {
  const format = transferFormat(opts.format, opts.input === '-' ? undefined : opts.input);
  // The input is opened first: an unreadable file must fail before anything is asked of the server.
  const input = openInput(opts.input, ctx.io.stdin);
  let table: Table;
  if (opts.stream && opts.overwrite) throw new UsageError('--stream appends rows as they are sent: it cannot be combined with --overwrite');
  if (opts.stream && (opts.compress === 'lz4' || opts.compress === 'zstd')) throw new UsageError('--stream sends deflate or uncompressed batches: use --compress deflate or none');
  let writer: RowSink;
  let interrupt: Interrupt | undefined;
  try {
    table = await ctx.client().tables.get(name);
    requirePartition(table, opts.partition, 'upload into');
    interrupt = onInterrupt((l) => ctx.note(l));
    writer = opts.stream ? await openStreamSink(table, opts.partition, opts.createPartition === true, opts.compress === 'deflate', interrupt.signal) : await table.openWriter({
      ...(opts.partition ? { partition: opts.partition } : {}),
      ...(opts.overwrite ? { overwrite: true } : {}),
      ...(opts.createPartition ? { createPartition: true } : {}),
      compress: opts.compress ?? 'none',
      signal: interrupt.signal,
    });
  } catch (err) {
    interrupt?.dispose();
    input.stream.destroy();
    if (interrupt?.interrupted) throw new InterruptedError('upload interrupted before any row was sent; nothing was committed');
    throw err;
  }
  const columns: TargetColumn[] = table.schema.columns.map((c) => ({ name: c.name, type: c.type }));
  const source =
    format === 'csv' ? csvRows(input.stream, columns, opts.binary ?? 'base64', opts.input, opts.delimiter)
    : format === 'ndjson' ? ndjsonRows(input.stream, columns, opts.binary ?? 'base64', opts.input)
    : arrowRows(input.stream, columns, opts.input);
  const bar = ctx.showProgress ? new TransferProgressBar(ctx.io.stderr, 'upload', 'bytes', input.size) : undefined;
  let rows = 0;
  try {
    let chunk: unknown[][] = [];
    for await (const row of source) {
      chunk.push(row);
      if (chunk.length >= CHUNK_ROWS) {
        if (interrupt.signal.aborted) break;
        await writer.writeRows(chunk);
        rows += chunk.length;
        chunk = [];
        bar?.update({ rows, bytes: input.bytesRead });
      }
    }
    if (interrupt.signal.aborted) throw interrupt.signal.reason;
    if (chunk.length > 0) {
      await writer.writeRows(chunk);
      rows += chunk.length;
    }
    bar?.update({ rows, bytes: input.bytesRead });
    await writer.commit();
  } catch (err) {
    // Never commit a partial upload: the session is abandoned and the table keeps its old rows.
    await writer.abort().catch(() => undefined);
    if (interrupt.interrupted) throw new InterruptedError(`upload aborted after ${rows} rows; ${opts.stream ? 'rows of batches already sent stay in the table' : 'nothing was committed'}`);
    throw err;
  } finally {
    bar?.stop({ rows, bytes: input.bytesRead });
    interrupt.dispose();
    input.stream.destroy();
  }
  if (ctx.showProgress) ctx.note(`uploaded ${rows} rows into ${table.name}${opts.partition ? ` (${opts.partition})` : ''}`);
}
