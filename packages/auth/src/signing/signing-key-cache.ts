// v4 kSigning derivation with a small LRU cache (module-private; never exported from the package).

import { createHmac } from 'node:crypto';

const MAX_ENTRIES = 32;
const cache = new Map<string, Buffer>();

function hmacSha256(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * kSigning = HMAC-SHA256 chain over "<prefix>_v4"+secret → date → region → "odps" → "<prefix>_v4_request".
 * Four HMACs per request are cheap, but the key only changes daily, so keep a few.
 */
export function v4SigningKey(secret: string, dateStamp: string, region: string, prefix: string): Buffer {
  const id = JSON.stringify([secret, dateStamp, region, prefix]);
  const hit = cache.get(id);
  if (hit !== undefined) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  let key: Buffer = Buffer.from(`${prefix}_v4${secret}`, 'utf8');
  for (const step of [dateStamp, region, 'odps', `${prefix}_v4_request`]) key = hmacSha256(key, step);
  if (cache.size >= MAX_ENTRIES) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(id, key);
  return key;
}

/** Test hook: how many derived keys are held (the cache must stay bounded). */
export function signingKeyCacheSize(): number {
  return cache.size;
}
