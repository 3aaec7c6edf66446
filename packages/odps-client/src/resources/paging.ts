// Marker paging shared by every listing: stops on an absent/empty marker, never on a single empty page.
import { OdpsError } from '../errors.js';
import { throwIfAborted } from '../http/sleep.js';

/**
 * Consecutive empty pages that each carry a new marker before we give up. A real server may skip a
 * filtered-out stretch with a few empty pages; a hostile or broken one would otherwise be asked forever.
 */
export const MAX_EMPTY_PAGES = 100;
const MAX_QUOTED_MARKER = 64;

export interface Page<T> {
  items: T[];
  marker?: string | undefined;
}

/** A server-chosen marker for an error message: escaped (no control characters) and clipped. */
function quoteMarker(marker: string): string {
  const clipped = marker.length > MAX_QUOTED_MARKER ? `${marker.slice(0, MAX_QUOTED_MARKER)}…` : marker;
  return JSON.stringify(clipped).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Iterate all items across pages of the listing named `what` (used in errors). A repeated marker or
 * a run of MAX_EMPTY_PAGES empty pages is a server bug; we stop it rather than loop.
 */
export async function* paginate<T>(what: string, fetchPage: (marker: string | undefined) => Promise<Page<T>>, signal?: AbortSignal): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  let marker: string | undefined;
  let emptyRun = 0;
  for (;;) {
    throwIfAborted(signal);
    const page = await fetchPage(marker);
    yield* page.items;
    const next = page.marker?.trim();
    if (!next) return;
    if (seen.has(next)) throw new OdpsError(`listing ${what}: server repeated paging marker ${quoteMarker(next)}`, { code: 'PagingLoop' });
    emptyRun = page.items.length === 0 ? emptyRun + 1 : 0;
    if (emptyRun >= MAX_EMPTY_PAGES) {
      throw new OdpsError(`listing ${what}: server sent ${emptyRun} empty pages in a row, each with a new marker; giving up`, { code: 'PagingStalled' });
    }
    seen.add(next);
    marker = next;
  }
}
