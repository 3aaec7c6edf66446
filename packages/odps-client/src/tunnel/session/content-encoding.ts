// HTTP-level compression of tunnel bodies (tunnel.md §5): deflate (zlib-wrapped) built in, others refused.
// A local adapter: helper-2's src/tunnel/compression.ts was not available when this was written.
import type { Readable } from 'node:stream';
import { createDeflate, createGunzip, createInflate } from 'node:zlib';
import { TunnelError } from '../../errors.js';

/** Codecs this client can send and receive. */
export type TunnelCompression = 'deflate';

/** The body as decoded bytes, honouring the response `Content-Encoding` whatever we asked for. */
export function decodedBody(body: Readable, contentEncoding: string | undefined): AsyncIterable<Uint8Array> {
  const enc = (contentEncoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return body;
  if (enc === 'deflate') return pipeThrough(body, createInflate());
  if (enc === 'gzip') return pipeThrough(body, createGunzip());
  body.destroy();
  throw new TunnelError(`the tunnel answered with Content-Encoding "${enc}", which this client cannot decode (only deflate)`, { code: 'UnsupportedEncoding' });
}

function pipeThrough(body: Readable, transform: NodeJS.ReadWriteStream & Readable): Readable {
  // Errors of the source must reach the consumer (a reset socket mid-body is a resumable failure).
  body.on('error', (err) => transform.destroy(err));
  transform.on('close', () => {
    if (!body.destroyed) body.destroy();
  });
  return body.pipe(transform);
}

/** Compresses an upload body with zlib level 1, as Java and PyODPS do (tunnel.md §11). */
export async function* deflateChunks(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const z = createDeflate({ level: 1 });
  const out: Buffer[] = [];
  let error: unknown;
  z.on('data', (b: Buffer) => out.push(b));
  z.on('error', (e) => { error = e; });
  const drain = function* (): Generator<Uint8Array> {
    while (out.length > 0) yield out.shift()!;
  };
  for await (const c of chunks) {
    if (!z.write(c)) await new Promise<void>((r) => z.once('drain', r));
    if (error) throw error;
    yield* drain();
  }
  await new Promise<void>((resolve, reject) => {
    z.once('end', resolve);
    z.once('error', reject);
    z.end();
  });
  if (error) throw error;
  yield* drain();
}
