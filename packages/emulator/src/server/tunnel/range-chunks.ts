// Reads a download range chunk by chunk (aligned to the source's chunks), one chunk read ahead.
import type { RowSource } from './row-source.js';

/**
 * Most rows per read: with one read ahead, each streaming request holds at most 2 × this many rows.
 * One snapshot chunk (SNAPSHOT_CHUNK_ROWS) per query: at 2048 the fixed cost of each DuckDB query
 * (about 1.5 ms) was a fifth of a download's time.
 */
const READ_ROWS = 8192;

/**
 * Yields the projected rows of [start, start + count) in order. The next chunk's read is started
 * before the current one is handed out, so the engine query overlaps the encoding; at most two chunks
 * are in memory. A consumer that stops early leaves one read running, whose failure is ignored.
 */
export async function* rangeChunks(
  source: RowSource,
  start: number,
  count: number,
  projection: readonly number[],
): AsyncGenerator<unknown[][], void, undefined> {
  const end = start + count;
  const step = Math.max(1, Math.min(source.chunkRows, READ_ROWS));
  const nextStop = (from: number) => Math.min(end, (Math.floor(from / step) + 1) * step);
  const readFrom = (from: number): Promise<unknown[][]> => {
    const p = source.read(from, nextStop(from) - from, projection);
    p.catch(() => {});
    return p;
  };
  let from = start;
  let pending = from < end ? readFrom(from) : undefined;
  while (pending) {
    const rows = await pending;
    from = nextStop(from);
    pending = from < end ? readFrom(from) : undefined;
    yield rows;
  }
}
