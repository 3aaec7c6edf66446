// `odps upload <table> -i file`: CSV / NDJSON / Arrow → table (or one partition), committed once at the end.
import { Option, type Command } from 'commander';
import type { Table } from '@odps-ts/odps-client';
import { openStreamSink, type RowSink } from './upload-stream.js';
import { commandAction } from '../command-action.js';
import type { CliIo, CommandContext } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import { arrowRows, csvRows, ndjsonRows, openInput, type TargetColumn } from '../input/table-rows.js';
import type { BinaryEncoding } from '../output/value-text.js';
import { onInterrupt, type Interrupt } from '../progress/interrupt.js';
import { TransferProgressBar } from '../progress/transfer-bar.js';
import { compressOption, requirePartition } from './download.js';
import { TRANSFER_FORMATS, transferFormat, type TransferFormat } from './transfer-format.js';

interface UploadOptions {
  input: string;
  partition?: string;
  overwrite?: boolean;
  createPartition?: boolean;
  format?: TransferFormat;
  binary?: BinaryEncoding;
  compress?: 'lz4' | 'zstd' | 'deflate' | 'none';
  stream?: boolean;
}

/** Rows handed to the writer per call: big enough to amortize, small enough to react to Ctrl-C. */
const CHUNK_ROWS = 1000;

async function run(ctx: CommandContext, name: string, opts: UploadOptions): Promise<void> {
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
    format === 'csv' ? csvRows(input.stream, columns, opts.binary ?? 'base64', opts.input)
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

export function registerUpload(program: Command, io: CliIo): void {
  program
    .command('upload')
    .description('upload a CSV, NDJSON or Arrow file into a table or one partition through the Tunnel (one commit at the end)')
    .argument('<table>', 'table name')
    .requiredOption('-i, --input <file>', 'the file to upload (- for stdin)')
    .addOption(new Option('--format <format>', 'file format (default: from the file extension)').choices([...TRANSFER_FORMATS]))
    .option('--partition <spec>', 'target partition, e.g. ds=20250101')
    .option('--overwrite', 'replace the table/partition contents (INSERT OVERWRITE semantics)')
    .option('--create-partition', 'create the partition if it does not exist')
    .addOption(new Option('--binary <encoding>', 'how BINARY values are written in CSV/NDJSON').choices(['base64', 'hex']).default('base64'))
    .addOption(compressOption('client sends'))
    .option('--stream', 'use a stream upload session: rows become visible batch by batch, no single commit')
    .action(commandAction<UploadOptions>(io, (ctx, args, opts) => run(ctx, args[0] as string, opts)));
}
