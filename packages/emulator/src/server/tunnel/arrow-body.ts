// Download bodies in the Arrow tunnel format: batch-only IPC messages in the CRC framing (tunnel.md §4.2, §4.3).
import { arrowSchemaFor, encodeArrowBatches, type Column } from '@odps-ts/odps-client';
import type { RecordBatch } from 'apache-arrow';
import type { BodySink } from './body-sink.js';
import { rangeChunks } from './range-chunks.js';
import type { RowSource } from './row-source.js';
import { rowsToRecordBatch } from './rows-to-arrow.js';

/**
 * Rows per RecordBatch message; the server picks batch sizes (tunnel.md §4.3). Batches end at absolute
 * row numbers that are multiples of this (a range's first and last batch may be shorter), so a body's
 * bytes do not depend on how many rows each engine read returns.
 */
const BATCH_ROWS = 2048;

export interface ArrowBodyInput {
  /** Stream columns in the requested order. */
  columns: readonly Column[];
  source: RowSource;
  /** Indexes into the session's data columns, in stream column order. */
  projection: readonly number[];
  start: number;
  count: number;
  /** 'ns' for the table tunnel, 'struct' (sec, nano) for the instance tunnel (tunnel.md §7). */
  timestampLayout: 'ns' | 'struct';
}

/**
 * No EOS marker is appended (the SDK readers stop at the end of data; tunnel.md §4.3). Zero rows give
 * an empty body, which readers treat as "no rows" (§12.8).
 */
export async function writeArrowBody(sink: BodySink, input: ArrowBodyInput): Promise<void> {
  const schema = arrowSchemaFor(input.columns, { timestampLayout: input.timestampLayout });
  const types = input.columns.map((c) => c.type);
  // Pull-based: the next batch is only built once the previous one's bytes were accepted by the sink.
  async function* batches(): AsyncGenerator<RecordBatch, void, undefined> {
    let at = input.start;
    for await (const rows of rangeChunks(input.source, input.start, input.count, input.projection)) {
      for (let from = 0; from < rows.length;) {
        const to = Math.min(rows.length, from + BATCH_ROWS - ((at + from) % BATCH_ROWS));
        yield rowsToRecordBatch(schema, types, rows.slice(from, to));
        from = to;
      }
      at += rows.length;
    }
  }
  for await (const piece of encodeArrowBatches(batches())) await sink.write(piece);
}
