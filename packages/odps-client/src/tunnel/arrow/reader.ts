// Arrow tunnel download: framed body -> schema-less IPC messages -> apache-arrow RecordBatches.
import { RecordBatchReader, type RecordBatch, type Schema } from 'apache-arrow';
import { OdpsError, TunnelError } from '../../errors.js';
import type { RecordColumn } from '../records/columns.js';
import { checkBatchBounds } from './batch-bounds.js';
import { checkBatchLayout } from './batch-layout.js';
import { deframeArrowBody } from './framing.js';
import { schemaMessageBytes } from './ipc.js';
import { MessageQueue } from './message-queue.js';
import { type ArrowSchemaOptions, arrowSchemaFor, fieldNodeCount, hasTimestamp } from './schema.js';

export interface ArrowReadOptions extends Omit<ArrowSchemaOptions, 'timestampLayout'> {
  /**
   * TIMESTAMP layout: 'ns' (table tunnel), 'struct' (instance tunnel), or 'auto' (default): pick by the
   * FieldNode count of the first batch, falling back to 'ns' (defensive reading).
   */
  timestampLayout?: 'ns' | 'struct' | 'auto';
  /** Called with the schema actually used, before the first batch. */
  onSchema?: (schema: Schema) => void;
}

/** Wraps a source so the errors it throws (network, framing CRCs) can be told apart from payload errors. */
function tagged(source: AsyncIterable<Uint8Array>, fromSource: Set<unknown>): AsyncIterator<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  return {
    next: async () => {
      try {
        return await it.next();
      } catch (err) {
        fromSource.add(err);
        throw err;
      }
    },
  };
}

/**
 * Decodes an unframed payload (RecordBatch messages only) against a locally built schema. Every message
 * is checked before apache-arrow reads it (prefix, flatbuffer metadata, body regions against the
 * schema's layout, see batch-layout.ts) and every batch after it is built (offsets, batch-bounds.ts),
 * so a corrupt payload ends in a TunnelError with bounded memory instead of an allocation from a
 * corrupt length.
 */
export async function* decodeArrowPayload(
  payload: AsyncIterable<Uint8Array>,
  columns: readonly RecordColumn[],
  opts: ArrowReadOptions = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  // Errors of the body itself (network, framing CRCs) pass through as they are; our checks throw
  // TunnelErrors; anything apache-arrow still throws on the payload becomes a typed TunnelError.
  const fromSource = new Set<unknown>();
  const nsNodes = fieldNodeCount(arrowSchemaFor(columns, { ...opts, timestampLayout: 'ns' }));
  const structNodes = hasTimestamp(columns) ? fieldNodeCount(arrowSchemaFor(columns, { ...opts, timestampLayout: 'struct' })) : nsNodes;
  // FieldNodes and Buffers take 16 bytes each (at most 3 buffers a node), plus room for custom metadata.
  const queue = new MessageQueue(tagged(payload, fromSource), (1 << 20) + 64 * Math.max(nsNodes, structNodes));
  const first = await queue.next();
  if (!queue.sawBytes) return; // empty payload: no rows (tunnel.md §12.8)
  const nodes = first?.header.nodeLengths.length;

  let layout: 'ns' | 'struct' = opts.timestampLayout === 'struct' ? 'struct' : 'ns';
  if ((opts.timestampLayout ?? 'auto') === 'auto' && structNodes !== nsNodes && nodes === structNodes) layout = 'struct';
  const schema = arrowSchemaFor(columns, { ...opts, timestampLayout: layout });
  const expected = fieldNodeCount(schema);
  if (nodes !== undefined && nodes !== expected) {
    throw new TunnelError(
      `Arrow batch has ${nodes} field nodes but the ${columns.length} requested columns need ${expected}; the server's Arrow types differ from tunnel.md §4.4`,
      { code: 'ArrowSchemaMismatch' },
    );
  }
  opts.onSchema?.(schema);
  let batches = 0;
  const source = (async function* () {
    yield schemaMessageBytes(schema);
    for (let m = first; m; m = await queue.next()) {
      checkBatchLayout(m.header, schema);
      batches++;
      yield m.head;
      yield* await queue.body(m.header.bodyLength);
    }
  })();
  try {
    const reader = await RecordBatchReader.from(source);
    for await (const batch of reader) {
      // With no batch in the payload (a lone EOS) apache-arrow yields a placeholder whose nested
      // columns have no children; it carries no rows, so it is dropped (as for an empty payload).
      if (batches === 0) continue;
      checkBatchBounds(batch);
      yield batch;
    }
  } catch (err) {
    if (fromSource.has(err) || err instanceof OdpsError) throw err;
    throw new TunnelError(`corrupt Arrow payload: ${err instanceof Error ? err.message : String(err)}`, { code: 'CorruptStream', cause: err });
  }
}

/** Decodes a framed Arrow tunnel body (after HTTP decompression) into RecordBatches. */
export function decodeArrowStream(
  body: AsyncIterable<Uint8Array>,
  columns: readonly RecordColumn[],
  opts: ArrowReadOptions = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  return decodeArrowPayload(deframeArrowBody(body), columns, opts);
}
