// Marker paging for list calls (rest.md §3.1): opaque marker = the last key of the previous page.
import { EmulatorHttpError } from './errors.js';
import type { RequestContext } from './request-context.js';

export interface Page<T> {
  items: T[];
  /** Empty string on the last page (clients stop on an absent or empty Marker). */
  marker: string;
  maxItems: number;
}

function encodeMarker(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  return Buffer.from(marker, 'base64url').toString('utf8');
}

/** Page size from `maxitems`, else the configured default; capped like the service (1..10000). */
export function pageSizeOf(ctx: RequestContext): number {
  const text = ctx.q('maxitems');
  if (text === undefined || text === '') return ctx.emu.config.pageSize;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - maxitems must be a positive integer, got '${text}'.`);
  }
  return Math.min(n, 10_000);
}

/**
 * One page of `items` (already sorted by `keyOf`, ascending unless `reverse`) after `marker`.
 * Keys must be unique. Markers survive inserts/deletes between pages because they name a key, not an offset.
 */
export function paginate<T>(ctx: RequestContext, items: T[], keyOf: (item: T) => string, reverse = false): Page<T> {
  const maxItems = pageSizeOf(ctx);
  const marker = ctx.q('marker');
  let rest = items;
  if (marker) {
    const after = decodeMarker(marker);
    rest = items.filter((item) => (reverse ? keyOf(item) < after : keyOf(item) > after));
  }
  const pageItems = rest.slice(0, maxItems);
  const more = rest.length > maxItems;
  const last = pageItems[pageItems.length - 1];
  return { items: pageItems, marker: more && last !== undefined ? encodeMarker(keyOf(last)) : '', maxItems };
}
