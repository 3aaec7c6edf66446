// Canonical resource (rest.md §1.3): decoded path relative to the endpoint + sorted, once-decoded query.

import type { SignableRequest } from '../types.js';
import { compareCodePoints } from './code-point-order.js';
import { percentDecode } from './percent-decode.js';

/** A decoded query parameter; `value` null when the key had no `=`. */
export interface QueryParam {
  key: string;
  value: string | null;
}

export interface ParsedResource {
  /** Decoded path relative to the endpoint path, starting with '/'. */
  path: string;
  /** Decoded parameters in signing order (code point order of keys, one entry per key). */
  params: QueryParam[];
}

/** Splits a URL (absolute, or already starting at its path) into raw path and raw query, dropping any fragment. */
function splitUrl(url: string): { path: string; query: string } {
  let rest = url;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const scheme = rest.indexOf('://');
  if (scheme >= 0) {
    const afterAuthority = rest.slice(scheme + 3);
    const slash = afterAuthority.search(/[/?]/);
    rest = slash >= 0 ? afterAuthority.slice(slash) : '';
  }
  const q = rest.indexOf('?');
  return q >= 0 ? { path: rest.slice(0, q), query: rest.slice(q + 1) } : { path: rest, query: '' };
}

/** The endpoint's own path (e.g. '/api'), with one trailing '/' removed from the endpoint first (§1.0 item 8). */
export function endpointPath(endpoint: string): string {
  const trimmed = endpoint.endsWith('/') ? endpoint.slice(0, -1) : endpoint;
  return splitUrl(trimmed).path;
}

function parseQuery(query: string): QueryParam[] {
  const byKey = new Map<string, QueryParam>();
  for (const item of query.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = percentDecode(eq >= 0 ? item.slice(0, eq) : item, true);
    const value = eq >= 0 ? percentDecode(item.slice(eq + 1), true) : null;
    // A repeated key is undefined behaviour (§1.3.7); keep the first, as the Go SDK does.
    if (!byKey.has(key)) byKey.set(key, { key, value });
  }
  return [...byKey.values()].sort((a, b) => compareCodePoints(a.key, b.key));
}

/** Parses the request URL into the pieces the string-to-sign needs. */
export function parseResource(url: string, endpoint: string): ParsedResource {
  const raw = splitUrl(url);
  const base = endpointPath(endpoint);
  let rel = raw.path;
  if (base !== '') {
    const matches = rel.startsWith(base) && (rel.length === base.length || rel[base.length] === '/');
    if (!matches) {
      // Signing a path that is not under the endpoint would silently produce a signature the server rejects.
      throw new TypeError(`request path is not under the endpoint path '${base}'`);
    }
    rel = rel.slice(base.length);
  }
  if (rel === '') rel = '/';
  return { path: percentDecode(rel, false), params: parseQuery(raw.query) };
}

/** Renders parsed pieces as `path[?k=v&bare&...]`; empty and absent values both render as the bare key. */
export function renderResource(parsed: ParsedResource): string {
  if (parsed.params.length === 0) return parsed.path;
  const query = parsed.params.map((p) => (p.value === null || p.value === '' ? p.key : `${p.key}=${p.value}`));
  return `${parsed.path}?${query.join('&')}`;
}

/** Canonical resource of a request relative to `endpoint`. */
export function canonicalResource(request: SignableRequest, endpoint: string): string {
  return renderResource(parseResource(request.url, endpoint));
}
