// Storage API data bodies: a plain Arrow IPC stream (schema, RecordBatches, EOS), not the tunnel's CRC framing.
import { arrowSchemaFor, recordBatchMessages, schemaMessageBytes, type Column } from '@odps-ts/odps-client';
import type { BodySink } from '../tunnel/body-sink.js';
import { rangeChunks } from '../tunnel/range-chunks.js';
import type { RowSource } from '../tunnel/row-source.js';
import { rowsToRecordBatch } from '../tunnel/rows-to-arrow.js';

const EOS = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

export interface ArrowStreamInput {
  columns: readonly Column[];
  source: RowSource;
  /** Indexes into the snapshot's data columns, in output order. */
  projection: readonly number[];
  start: number;
  count: number;
  /** Largest batch (`max_batch_rows`). */
  batchRows: number;
}

/**
 * Batches end at multiples of `batchRows` counted from `start`, so the same request gives the same
 * bytes. Buffers are uncompressed: apache-arrow cannot write IPC buffer compression, and an
 * uncompressed stream is valid whatever the client accepted (tunnel.md §9.1).
 */
export async function writeArrowStream(sink: BodySink, input: ArrowStreamInput): Promise<void> {
  const schema = arrowSchemaFor(input.columns, { timestampLayout: 'ns' });
  const types = input.columns.map((c) => c.type);
  await sink.write(schemaMessageBytes(schema));
  let pending: unknown[][] = [];
  for await (const rows of rangeChunks(input.source, input.start, input.count, input.projection)) {
    pending = pending.length === 0 ? rows : pending.concat(rows);
    while (pending.length >= input.batchRows) {
      await sink.write(recordBatchMessages(rowsToRecordBatch(schema, types, pending.slice(0, input.batchRows))));
      pending = pending.slice(input.batchRows);
    }
  }
  if (pending.length > 0) await sink.write(recordBatchMessages(rowsToRecordBatch(schema, types, pending)));
  await sink.write(EOS);
}
