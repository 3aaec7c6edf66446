// PyODPS signs query values decoded twice (rest.md §1.9); this rebuilds the URL as PyODPS saw it.

function unquote(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * The request URL re-encoded so that a once-decoding canonicaliser (ours, Java, Go) produces the
 * query PyODPS signed: PyODPS percent-decodes the whole URL, then `parse_qsl` decodes each value again
 * with `+` as a space. Returns undefined when that reading is the same as the plain one (the common
 * case: no `%25`, `%2B`, `+` or `%26` in the query) or cannot be decoded.
 */
export function pyodpsUrlVariant(rawUrl: string): string | undefined {
  const q = rawUrl.indexOf('?');
  if (q < 0) return undefined;
  const query = rawUrl.slice(q + 1);
  if (!/%25|%2B|\+|%26/i.test(query)) return undefined;
  const once = unquote(query);
  if (once === undefined) return undefined;
  const items: string[] = [];
  for (const item of once.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = unquote((eq < 0 ? item : item.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : unquote(item.slice(eq + 1).replace(/\+/g, ' '));
    if (key === undefined || value === undefined) return undefined;
    items.push(eq < 0 ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return `${rawUrl.slice(0, q)}?${items.join('&')}`;
}
