// Arrow tunnel upload: RecordBatches -> batch-only IPC messages -> framed body (tunnel.md §4.2, §6.4).
import type { RecordBatch } from 'apache-arrow';
import { ArrowFrameEncoder, DEFAULT_ARROW_CHUNK_SIZE } from './framing.js';
import { recordBatchMessages } from './ipc.js';

/**
 * Framed upload body for a sequence of batches. The batches must already have the table's wire types
 * (arrowSchemaFor); yields nothing for no batches (do not open a block for no data).
 */
export async function* encodeArrowBatches(
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  opts: { chunkSize?: number } = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const enc = new ArrowFrameEncoder(opts.chunkSize ?? DEFAULT_ARROW_CHUNK_SIZE);
  for await (const batch of batches) yield* enc.write(recordBatchMessages(batch));
  yield* enc.finish();
}
