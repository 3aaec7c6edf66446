// Decodes one uploaded block in the Arrow tunnel format into value-model rows (tunnel.md §6.4).
import { arrowBatchToRows, decodeArrowStream, type Column } from '@odps-ts/odps-client';
import { tunnelErrors } from './tunnel-errors.js';

/** Iterates `chunks` but marks its own failures, so they are not mistaken for bad Arrow data. */
class SourceError extends Error {
  constructor(readonly original: unknown) {
    super('upload body source failed');
  }
}

async function* guarded(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const it = chunks[Symbol.asyncIterator]();
  for (;;) {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await it.next();
    } catch (err) {
      throw new SourceError(err);
    }
    if (r.done) return;
    yield r.value;
  }
}

/**
 * The batches must carry the table's data columns in table order with the table tunnel's wire types
 * (timestamp[ns]); the payload has no schema, so this is the only layout the server can assume.
 */
export async function decodeArrowBlock(chunks: AsyncIterable<Uint8Array>, columns: readonly Column[]): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  try {
    for await (const batch of decodeArrowStream(guarded(chunks), columns, { timestampLayout: 'ns' })) {
      // STRING as raw bytes: the engine refuses non-UTF-8 text instead of storing U+FFFD in its place.
      for (const row of arrowBatchToRows(batch, columns, { binaryStrings: true })) rows.push(row);
    }
  } catch (err) {
    if (err instanceof SourceError) throw err.original;
    throw tunnelErrors.malformed(`Arrow block: ${err instanceof Error ? err.message : String(err)}`);
  }
  return rows;
}
