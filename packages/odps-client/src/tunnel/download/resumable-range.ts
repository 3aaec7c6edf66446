// Reads one row range and reopens it from the cursor when the connection breaks mid-body (tunnel.md §1.4).
import { TunnelError } from '../../errors.js';
import { backoffMs, isBrokenTransfer, wait, type BackoffOptions } from '../session/backoff.js';
import type { RowRange } from './ranges.js';

export interface ResumeOptions extends BackoffOptions {
  /** Consecutive failed attempts without progress before giving up (default 5). */
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Observes each reopen (tests, logging). */
  onResume?: (info: { start: number; count: number; attempt: number; error: unknown }) => void;
}

/**
 * Yields the items of `[start, start+count)`; `open(start, count)` opens one body and decodes it into
 * items of `rowsOf(item)` rows each. Items are only counted once fully decoded (and checksum-verified),
 * so a reopen at `start + delivered` loses and duplicates nothing. Checksum errors are never retried.
 */
export async function* resumableRange<T>(
  range: RowRange,
  open: (start: number, count: number) => Promise<AsyncIterable<T>>,
  rowsOf: (item: T) => number,
  opts: ResumeOptions = {},
): AsyncGenerator<T, void, undefined> {
  const maxAttempts = opts.maxAttempts ?? 5;
  let delivered = 0;
  let failures = 0;
  while (delivered < range.count) {
    const start = range.start + delivered;
    const count = range.count - delivered;
    let got = 0;
    try {
      const items = await open(start, count);
      for await (const item of items) {
        const n = rowsOf(item);
        if (n === 0) continue;
        if (got + n > count) throw new TunnelError(`the server sent more than the ${count} rows asked for at row ${start}`, { code: 'TooManyRows' });
        got += n;
        delivered += n;
        yield item;
      }
      if (got === 0) {
        throw new TunnelError(`the server returned no rows for rowrange (${start},${count}) although the session has them`, { code: 'ShortRead' });
      }
      // A complete body with fewer rows than asked (raw_size style): continue from the cursor.
      failures = 0;
    } catch (err) {
      if (!isBrokenTransfer(err, opts.signal)) throw err;
      failures = got > 0 ? 1 : failures + 1;
      if (failures >= maxAttempts) {
        const why = err instanceof Error ? err.message : String(err);
        throw new TunnelError(
          `download of rows [${start}, ${start + count}) failed ${failures} times in a row: ${why}`,
          { code: (err as { code?: string }).code ?? 'DownloadFailed', cause: err },
        );
      }
      opts.onResume?.({ start: range.start + delivered, count: range.count - delivered, attempt: failures, error: err });
      await wait(backoffMs(failures, opts), opts.signal);
    }
  }
}
