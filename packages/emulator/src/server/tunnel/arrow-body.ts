// Download bodies in the Arrow tunnel format: batch-only IPC messages in the CRC framing (tunnel.md §4.2, §4.3).
import { arrowSchemaFor, encodeArrowBatches, type Column } from '@odps-ts/odps-client';
import type { RecordBatch } from 'apache-arrow';
import type { BodySink } from './body-sink.js';
import { rowsToRecordBatch } from './rows-to-arrow.js';

/** Rows per RecordBatch message; the server picks batch sizes (tunnel.md §4.3). */
const BATCH_ROWS = 4096;

export interface ArrowBodyInput {
  /** Stream columns in the requested order. */
  columns: readonly Column[];
  rows: readonly unknown[][];
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
  const end = input.start + input.count;
  // Pull-based: the next batch is only built once the previous one's bytes were accepted by the sink.
  async function* batches(): AsyncGenerator<RecordBatch, void, undefined> {
    for (let from = input.start; from < end; from += BATCH_ROWS) {
      const to = Math.min(end, from + BATCH_ROWS);
      const batchRows: unknown[][] = [];
      for (let r = from; r < to; r++) {
        const row = input.rows[r]!;
        batchRows.push(input.projection.map((c) => row[c] ?? null));
      }
      yield rowsToRecordBatch(schema, types, batchRows);
    }
  }
  for await (const piece of encodeArrowBatches(batches())) await sink.write(piece);
}
