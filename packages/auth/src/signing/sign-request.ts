// Pure request signer: Authorization (v2 or v4) plus the STS token header; no clock, no I/O.

import { createHmac } from 'node:crypto';
import type { Credentials, SignableRequest, SignOptions } from '../types.js';
import { parseHttpDate, utcDateStamp } from './http-date.js';
import { v4SigningKey } from './signing-key-cache.js';
import { stringToSign } from './string-to-sign.js';

export const DEFAULT_SIGNATURE_PREFIX = 'aliyun';
export const STS_TOKEN_HEADER = 'authorization-sts-token';

function findHeader(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === lowerName) return value;
  return undefined;
}

/** The v4 scope date: options.date, else the request's Date header (they must agree with what is sent). */
function v4DateStamp(request: SignableRequest, options: SignOptions): string {
  if (options.date !== undefined) return utcDateStamp(options.date);
  const header = findHeader(request.headers, 'date');
  const parsed = header === undefined ? undefined : parseHttpDate(header);
  if (parsed === undefined) {
    throw new TypeError('v4 signing needs options.date or a valid Date header on the request');
  }
  return utcDateStamp(parsed);
}

/** The value of the Authorization header for these credentials (no STS header). */
export function authorizationValue(request: SignableRequest, credentials: Credentials, options: SignOptions): string {
  if (!credentials.accessKeyId || !credentials.accessKeySecret) {
    throw new TypeError('signing needs a non-empty accessKeyId and accessKeySecret');
  }
  const text = stringToSign(request, options);
  const version = options.signatureVersion ?? 'v2';
  if (version === 'v2') {
    const sig = createHmac('sha1', Buffer.from(credentials.accessKeySecret, 'utf8')).update(text, 'utf8').digest('base64');
    return `ODPS ${credentials.accessKeyId}:${sig}`;
  }
  if (version !== 'v4') throw new TypeError(`unknown signatureVersion '${String(version)}'`);
  const region = options.region;
  if (!region) throw new TypeError('v4 signing needs a region (options.region)');
  const prefix = options.signaturePrefix || DEFAULT_SIGNATURE_PREFIX;
  const dateStamp = v4DateStamp(request, options);
  const key = v4SigningKey(credentials.accessKeySecret, dateStamp, region, prefix);
  // The final MAC is SHA-1 keyed with the SHA-256-derived key (§1.5 step 3).
  const sig = createHmac('sha1', key).update(text, 'utf8').digest('base64');
  return `ODPS ${credentials.accessKeyId}/${dateStamp}/${region}/odps/${prefix}_v4_request:${sig}`;
}

/** Headers to ADD: { Authorization } plus 'authorization-sts-token' when the credentials carry a token. */
export function signRequest(request: SignableRequest, credentials: Credentials, options: SignOptions): Record<string, string> {
  const headers: Record<string, string> = { Authorization: authorizationValue(request, credentials, options) };
  // Added after signing: the token is never part of the string-to-sign (§1.6).
  if (credentials.securityToken) headers[STS_TOKEN_HEADER] = credentials.securityToken;
  return headers;
}
