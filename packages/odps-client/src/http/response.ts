// HttpResponse over an undici body stream, with size-capped readers.
import type { Readable } from 'node:stream';
import { OdpsError } from '../errors.js';
import type { HttpResponse } from './types.js';

/** Default cap for buffered reads; metadata answers are far smaller. */
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;

export function normalizeHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export async function readCapped(body: Readable, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    total += b.length;
    if (total > maxBytes) {
      body.destroy();
      throw new OdpsError(`response body larger than ${maxBytes} bytes refused`, { code: 'BodyTooLarge' });
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export async function dumpBody(body: Readable): Promise<void> {
  try {
    // Draining (rather than destroying) lets undici keep the keep-alive connection.
    for await (const _ of body) { /* discard */ }
  } catch {
    /* body errors while discarding do not matter */
  }
}

export function makeResponse(status: number, headers: Record<string, string>, body: Readable): HttpResponse {
  const res: HttpResponse = {
    status,
    headers,
    body,
    async bytes(options) {
      return readCapped(body, options?.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
    },
    async text(options) {
      return Buffer.from(await res.bytes(options)).toString('utf8');
    },
    async json<T>() {
      const t = await res.text();
      try {
        return JSON.parse(t) as T;
      } catch (err) {
        throw new OdpsError('response body is not valid JSON', { code: 'InvalidJson', status, cause: err });
      }
    },
    dump: () => dumpBody(body),
  };
  const requestId = headers['x-odps-request-id'];
  if (requestId) res.requestId = requestId;
  return res;
}
