// `odps sql`: run a query (argument or -f file), show progress, write the result in the chosen format.
import { readFileSync } from 'node:fs';
import type { Instance } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import { LocalFileError, UsageError } from '../errors.js';
import { rowWriter } from '../output/formats.js';
import { type RowFormat } from '../output/row-writer.js';
import { openSink } from '../output/sink.js';
import type { BinaryEncoding } from '../output/value-text.js';
import { announce, waitWithProgress } from './instance-wait.js';
import { readInstanceRows } from './result-rows.js';

export interface SqlOptions {
  file?: string;
  hint?: Record<string, string>;
  format?: RowFormat;
  output?: string;
  binary?: BinaryEncoding;
  header?: boolean;
  vertical?: boolean;
  delimiter?: string;
}

function sqlText(query: string | undefined, file: string | undefined): string {
  if (query !== undefined && file !== undefined) throw new UsageError('give the query either as an argument or with -f, not both');
  if (file !== undefined) {
    try {
      return readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (err) {
      throw LocalFileError.from('read', file === '-' ? 'stdin' : file, err);
    }
  }
  if (query === undefined || query.trim() === '') throw new UsageError('no query: give it as an argument or with -f file.sql');
  return query;
}

export function defaultFormat(ctx: CommandContext, output: string | undefined): RowFormat {
  return !output && ctx.stdoutIsTTY ? 'table' : 'csv';
}

/** `--vertical` is the table format shown as one block per row; it cannot be combined with another format. */
function sqlFormat(ctx: CommandContext, opts: SqlOptions): RowFormat {
  if (!opts.vertical) return opts.format ?? defaultFormat(ctx, opts.output);
  if (opts.format && opts.format !== 'table' && opts.format !== 'vertical') throw new UsageError(`--vertical shows rows as blocks: it cannot be combined with --format ${opts.format}`);
  return 'vertical';
}

export async function run(ctx: CommandContext, query: string | undefined, opts: SqlOptions): Promise<void> {
  const text = sqlText(query, opts.file);
  const format = sqlFormat(ctx, opts);
  // The output file is checked before the query runs: a bad -o must not cost a whole query.
  const sink = await openSink(opts.output, ctx.io.stdout);
  try {
    const odps = ctx.client();
    const instance: Instance = await odps.runSql(text, opts.hint ? { hints: opts.hint } : {});
    await announce(ctx, instance);
    await waitWithProgress(ctx, instance);
    const { columns, rows } = await readInstanceRows(ctx, instance);
    if (columns.length === 0) {
      // No result set (DDL, INSERT): no output file either.
      await sink.abort();
      if (ctx.showProgress) ctx.note('OK');
      return;
    }
    const maxWidth = opts.output ? undefined : ctx.terminalWidth;
    const writer = rowWriter(format, { sink, binary: opts.binary ?? 'base64', header: opts.header ?? true, ...(maxWidth ? { maxWidth } : {}), ...(opts.delimiter ? { delimiter: opts.delimiter } : {}) });
    await writer.begin(columns);
    let n = 0;
    for await (const row of rows) {
      await writer.write(row);
      n++;
    }
    await writer.end();
    await sink.close();
    if (opts.output && ctx.showProgress) ctx.note(`wrote ${n} rows to ${opts.output}`);
  } catch (err) {
    await sink.abort();
    throw err;
  }
}
