// Arrow tunnel download: framed body -> schema-less IPC messages -> apache-arrow RecordBatches.
import { RecordBatchReader, type RecordBatch, type Schema } from 'apache-arrow';
import { OdpsError, TunnelError } from '../../errors.js';
import type { RecordColumn } from '../records/columns.js';
import { checkBatchBounds } from './batch-bounds.js';
import { deframeArrowBody } from './framing.js';
import { firstBatchNodeCount, schemaMessageBytes } from './ipc.js';
import { type ArrowSchemaOptions, arrowSchemaFor, fieldNodeCount, hasTimestamp } from './schema.js';

export interface ArrowReadOptions extends Omit<ArrowSchemaOptions, 'timestampLayout'> {
  /**
   * TIMESTAMP layout: 'ns' (table tunnel), 'struct' (instance tunnel), or 'auto' (default): pick by the
   * FieldNode count of the first batch, falling back to 'ns' (tunnel.md §4.4 "defensive reading").
   */
  timestampLayout?: 'ns' | 'struct' | 'auto';
  /** Called with the schema actually used, before the first batch. */
  onSchema?: (schema: Schema) => void;
}

async function* prepend(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  yield* head;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

/** Decodes an unframed payload (RecordBatch messages only) against a locally built schema. */
export async function* decodeArrowPayload(
  payload: AsyncIterable<Uint8Array>,
  columns: readonly RecordColumn[],
  opts: ArrowReadOptions = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  const it = payload[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  const pull = async (): Promise<boolean> => {
    const r = await it.next();
    if (r.done) return false;
    if (r.value.byteLength > 0) {
      head.push(r.value);
      headBytes += r.value.byteLength;
    }
    return true;
  };
  // Read until the first message header is complete (or the payload ended).
  let nodes: number | undefined | 'not-a-batch';
  for (;;) {
    if (headBytes > 0) {
      nodes = firstBatchNodeCount(head.length === 1 ? head[0]! : Buffer.concat(head));
      if (nodes !== undefined) break;
    }
    if (!(await pull())) {
      done = true;
      break;
    }
  }
  if (headBytes === 0) return; // empty payload: no rows (tunnel.md §12.8)
  if (done && nodes === undefined) throw new TunnelError('Arrow payload ended inside the first message', { code: 'TruncatedStream' });

  let layout: 'ns' | 'struct' = opts.timestampLayout === 'struct' ? 'struct' : 'ns';
  if ((opts.timestampLayout ?? 'auto') === 'auto' && hasTimestamp(columns) && typeof nodes === 'number') {
    const structNodes = fieldNodeCount(arrowSchemaFor(columns, { ...opts, timestampLayout: 'struct' }));
    if (nodes === structNodes) layout = 'struct';
  }
  const schema = arrowSchemaFor(columns, { ...opts, timestampLayout: layout });
  const expected = fieldNodeCount(schema);
  if (typeof nodes === 'number' && nodes !== expected) {
    throw new TunnelError(
      `Arrow batch has ${nodes} field nodes but the ${columns.length} requested columns need ${expected}; the server's Arrow types differ from tunnel.md §4.4`,
      { code: 'ArrowSchemaMismatch' },
    );
  }
  opts.onSchema?.(schema);
  // Errors of the body itself (network, framing CRCs) pass through as they are; anything apache-arrow
  // throws on the payload (bad lengths, unsafe integers) becomes a typed TunnelError.
  const fromSource = new Set<unknown>();
  const source = (async function* () {
    try {
      yield* prepend([schemaMessageBytes(schema), ...head], done ? emptyIterator() : it);
    } catch (err) {
      fromSource.add(err);
      throw err;
    }
  })();
  try {
    const reader = await RecordBatchReader.from(source);
    for await (const batch of reader) {
      checkBatchBounds(batch);
      yield batch;
    }
  } catch (err) {
    if (fromSource.has(err) || err instanceof OdpsError) throw err;
    throw new TunnelError(`corrupt Arrow payload: ${err instanceof Error ? err.message : String(err)}`, { code: 'CorruptStream', cause: err });
  }
}

function emptyIterator(): AsyncIterator<Uint8Array> {
  return { next: () => Promise.resolve({ done: true, value: undefined }) };
}

/** Decodes a framed Arrow tunnel body (after HTTP decompression) into RecordBatches. */
export function decodeArrowStream(
  body: AsyncIterable<Uint8Array>,
  columns: readonly RecordColumn[],
  opts: ArrowReadOptions = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  return decodeArrowPayload(deframeArrowBody(body), columns, opts);
}
