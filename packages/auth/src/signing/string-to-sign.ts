// The v2/v4 string-to-sign (rest.md §1.2): method, MD5, type, date, x-odps-* lines, canonical resource.

import type { SignableRequest, SignOptions } from '../types.js';
import { parseResource, renderResource } from './canonical-resource.js';
import { compareCodePoints } from './code-point-order.js';

const X_ODPS = 'x-odps-';

function byName(a: [string, string], b: [string, string]): number {
  return compareCodePoints(a[0], b[0]);
}

export function stringToSign(request: SignableRequest, options: SignOptions): string {
  const parsed = parseResource(request.url, options.endpoint);
  let contentMd5 = '';
  let contentType = '';
  let date = '';
  const odps = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-md5') contentMd5 = value;
    else if (lower === 'content-type') contentType = value;
    else if (lower === 'date') date = value;
    else if (lower.startsWith(X_ODPS)) odps.set(lower, value);
  }
  // x-odps-* query parameters are signed as headers too (Py/Java); the test is case-sensitive and the
  // key is kept as written. They also stay in the canonical resource.
  for (const p of parsed.params) {
    if (p.key.startsWith(X_ODPS)) odps.set(p.key, p.value ?? '');
  }
  const lines = [request.method.toUpperCase(), contentMd5, contentType, date];
  for (const [name, value] of [...odps.entries()].sort(byName)) lines.push(`${name}:${value}`);
  lines.push(renderResource(parsed));
  return lines.join('\n');
}
