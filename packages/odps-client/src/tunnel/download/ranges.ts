// Row ranges: splitting [start, start+count) for parallel reads and merging them back in order.
import { BoundedQueue } from './bounded-queue.js';

export interface RowRange {
  start: number;
  count: number;
}

/** PyODPS's split: ceil(count / n) rows per range, the last one shorter. */
export function splitRange(start: number, count: number, parts: number): RowRange[] {
  const n = Math.max(1, Math.min(Math.floor(parts), count));
  if (count <= 0) return [];
  const size = Math.ceil(count / n);
  const out: RowRange[] = [];
  for (let s = start; s < start + count; s += size) out.push({ start: s, count: Math.min(size, start + count - s) });
  return out;
}

/**
 * Runs one producer per range concurrently and yields their items in range order. Each producer may run
 * ahead by at most `capacity` units (rows) before it waits, so memory stays bounded by ranges × capacity.
 */
export async function* mergeInOrder<T>(
  ranges: RowRange[],
  produce: (range: RowRange, signal: AbortSignal) => AsyncIterable<T>,
  opts: { capacity: number; sizeOf: (item: T) => number; signal?: AbortSignal },
): AsyncGenerator<T, void, undefined> {
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const queues = ranges.map(() => new BoundedQueue<T>(opts.capacity, opts.sizeOf));
  const pumps = ranges.map(async (range, i) => {
    const q = queues[i]!;
    try {
      for await (const item of produce(range, signal)) {
        if (!(await q.push(item))) return;
      }
      q.end();
    } catch (err) {
      q.fail(err);
    }
  });
  try {
    for (const q of queues) {
      for (let item = await q.shift(); item !== undefined; item = await q.shift()) yield item;
    }
  } finally {
    for (const q of queues) q.close();
    stop.abort();
    await Promise.allSettled(pumps);
  }
}
