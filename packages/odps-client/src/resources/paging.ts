// Marker paging shared by every listing: stops on an absent/empty marker, never on an empty page.
import { OdpsError } from '../errors.js';
import { throwIfAborted } from '../http/sleep.js';

export interface Page<T> {
  items: T[];
  marker?: string | undefined;
}

/** Iterate all items across pages. A repeated marker is a server bug; we stop it rather than loop. */
export async function* paginate<T>(fetchPage: (marker: string | undefined) => Promise<Page<T>>, signal?: AbortSignal): AsyncGenerator<T, void, undefined> {
  const seen = new Set<string>();
  let marker: string | undefined;
  for (;;) {
    throwIfAborted(signal);
    const page = await fetchPage(marker);
    yield* page.items;
    const next = page.marker?.trim();
    if (!next) return;
    if (seen.has(next)) throw new OdpsError(`server repeated paging marker ${JSON.stringify(next)}`, { code: 'PagingLoop' });
    seen.add(next);
    marker = next;
  }
}
