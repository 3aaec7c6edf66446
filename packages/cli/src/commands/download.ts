// `odps download <table>`: table (or one partition) → CSV / NDJSON / Arrow file through the Tunnel.
import { RecordBatchFileWriter, type RecordBatch } from 'apache-arrow';
import type { Table } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import { InterruptedError, UsageError } from '../errors.js';
import { rowWriter } from '../output/formats.js';
import { openSink, type Sink } from '../output/sink.js';
import type { BinaryEncoding } from '../output/value-text.js';
import { onInterrupt, type Interrupt } from '../progress/interrupt.js';
import { TransferProgressBar } from '../progress/transfer-bar.js';
import { transferFormat, type TransferFormat } from './transfer-format.js';

export interface DownloadOptions {
  partition?: string;
  columns?: string[];
  limit?: number;
  format?: TransferFormat;
  output?: string;
  binary?: BinaryEncoding;
  header?: boolean;
  compress?: 'lz4' | 'zstd' | 'deflate' | 'none';
  delimiter?: string;
}

export function requirePartition(table: Table, partition: string | undefined, verb: string): void {
  if (table.isPartitioned && !partition) {
    throw new UsageError(`${table.name} is partitioned by ${table.schema.partitionColumns.map((c) => c.name).join(', ')}: give --partition to ${verb} one partition`);
  }
  if (!table.isPartitioned && partition) throw new UsageError(`${table.name} is not partitioned: drop --partition`);
}

interface Progress {
  rows: number;
  bar?: TransferProgressBar;
}

async function downloadRows(table: Table, opts: DownloadOptions, format: 'csv' | 'ndjson', sink: Sink, interrupt: Interrupt, progress: Progress, makeBar: (total: number) => TransferProgressBar | undefined): Promise<void> {
  const reader = await table.openReader({
    ...(opts.partition ? { partition: opts.partition } : {}), ...(opts.columns ? { columns: opts.columns } : {}),
    ...(opts.limit ? { count: opts.limit } : {}), compress: opts.compress ?? 'none', signal: interrupt.signal,
  });
  progress.bar = makeBar(reader.count);
  const writer = rowWriter(format, { sink, binary: opts.binary ?? 'base64', header: opts.header ?? true, ...(opts.delimiter ? { delimiter: opts.delimiter } : {}) });
  await writer.begin(reader.columns.map((c) => ({ name: c.name, type: c.type })));
  for await (const batch of reader.batches()) {
    for (const row of batch) await writer.write(row);
    progress.rows += batch.length;
    progress.bar?.update({ rows: progress.rows, bytes: sink.bytes });
  }
  await writer.end();
}

async function downloadArrow(table: Table, opts: DownloadOptions, sink: Sink, interrupt: Interrupt, progress: Progress, makeBar: (total: number) => TransferProgressBar | undefined): Promise<void> {
  const reader = await table.openArrowReader({
    ...(opts.partition ? { partition: opts.partition } : {}), ...(opts.columns ? { columns: opts.columns } : {}),
    ...(opts.limit ? { count: opts.limit } : {}), compress: opts.compress ?? 'none', signal: interrupt.signal,
  });
  progress.bar = makeBar(reader.count);
  const writer = new RecordBatchFileWriter();
  // The IPC writer is itself an async source of bytes; pump it into the sink with back-pressure.
  // A failing sink (disk full) stops the download at the next batch instead of buffering the rest.
  let failed: { err: unknown } | undefined;
  const pump = (async () => {
    for await (const chunk of writer as unknown as AsyncIterable<Uint8Array>) await sink.write(chunk);
  })().catch((err: unknown) => {
    failed = { err };
  });
  let wroteAny = false;
  for await (const batch of reader as AsyncIterable<RecordBatch>) {
    if (failed) throw failed.err;
    writer.write(batch);
    wroteAny = true;
    progress.rows += batch.numRows;
    progress.bar?.update({ rows: progress.rows, bytes: sink.bytes });
  }
  if (!wroteAny) throw new UsageError('no rows to write: an Arrow file needs at least one batch for its schema (use --format csv or ndjson)');
  writer.finish();
  await pump;
  if (failed) throw failed.err;
}

export async function run(ctx: CommandContext, name: string, opts: DownloadOptions): Promise<void> {
  const format = transferFormat(opts.format, opts.output);
  if (format === 'arrow' && !opts.output && ctx.stdoutIsTTY) throw new UsageError('refusing to write Arrow to a terminal: give -o file.arrow');
  // The output file is checked (and created as a temporary file) before anything is asked of the server.
  const sink = await openSink(opts.output, ctx.io.stdout);
  const progress: Progress = { rows: 0 };
  let interrupt: Interrupt | undefined;
  try {
    const table = await ctx.client().tables.get(name);
    requirePartition(table, opts.partition, 'download');
    interrupt = onInterrupt((l) => ctx.note(l));
    const makeBar = (total: number) => (ctx.showProgress ? new TransferProgressBar(ctx.io.stderr, 'download', 'rows', total) : undefined);
    if (format === 'arrow') await downloadArrow(table, opts, sink, interrupt, progress, makeBar);
    else await downloadRows(table, opts, format, sink, interrupt, progress, makeBar);
    await sink.close();
  } catch (err) {
    await sink.abort();
    if (interrupt?.interrupted) throw new InterruptedError(`download interrupted after ${progress.rows} rows${opts.output ? `; nothing was written to ${opts.output}` : ''}`);
    throw err;
  } finally {
    progress.bar?.stop({ rows: progress.rows, bytes: sink.bytes });
    interrupt?.dispose();
  }
  if (ctx.showProgress) ctx.note(`downloaded ${progress.rows} rows${opts.output ? ` to ${opts.output}` : ''}`);
}
