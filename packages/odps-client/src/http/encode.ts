// RFC 3986 encoding of path segments and query strings as sent on the wire.

/** Percent-encode everything except RFC 3986 unreserved characters (space → %20, + → %2B). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** `['projects', 'p', 'tables', 'a b']` → `/projects/p/tables/a%20b`; a string is split on `/` first. */
export function encodePath(path: string[] | string): string {
  const segments = typeof path === 'string' ? path.split('/').filter((s) => s !== '') : path;
  return '/' + segments.map(encodeRfc3986).join('/');
}

/** Query map → `?a=1&bare&b=x%20y`; null renders a bare key, undefined omits the key. */
export function encodeQuery(query: Record<string, string | null | undefined> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    parts.push(v === null ? encodeRfc3986(k) : `${encodeRfc3986(k)}=${encodeRfc3986(v)}`);
  }
  return parts.length > 0 ? '?' + parts.join('&') : '';
}
