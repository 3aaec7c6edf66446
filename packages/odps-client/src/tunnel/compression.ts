// HTTP-level tunnel compression (tunnel.md §5): deflate (zlib-wrapped) both ways via node:zlib.
// LZ4 frame, Snappy framed and zstd need third-party packages and are not supported (they are opt-in
// on upload; on download we never ask for them, and an unexpected one fails with a clear error).
import { Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { TunnelError } from '../errors.js';

export type TunnelCompression = 'deflate';

/** The Content-Encoding values a response may carry and how this client treats them. */
export function normalizeEncoding(contentEncoding: string | undefined | null): 'identity' | 'deflate' | 'gzip' {
  const e = (contentEncoding ?? '').trim().toLowerCase();
  if (e === '' || e === 'identity') return 'identity';
  if (e === 'deflate') return 'deflate';
  if (e === 'gzip' || e === 'x-gzip') return 'gzip';
  throw new TunnelError(`unsupported tunnel Content-Encoding "${e.slice(0, 40)}" (supported: deflate)`, { code: 'UnsupportedEncoding' });
}

async function* through(source: AsyncIterable<Uint8Array>, t: Transform): AsyncGenerator<Uint8Array, void, undefined> {
  const input = Readable.from(source, { objectMode: false });
  input.on('error', (e) => t.destroy(e));
  input.pipe(t);
  try {
    for await (const chunk of t) yield chunk as Uint8Array;
  } catch (e) {
    if (e instanceof TunnelError) throw e;
    throw new TunnelError(`tunnel body decompression failed: ${(e as Error).message}`, { code: 'DecompressionError', cause: e });
  } finally {
    input.destroy();
    t.destroy();
  }
}

/**
 * Removes the response's Content-Encoding, streaming. 'deflate' is zlib-wrapped (RFC 1950) per the
 * protocol; a raw deflate stream is accepted too (detected from the first byte).
 */
export async function* decompressBody(
  source: AsyncIterable<Uint8Array>,
  contentEncoding: string | undefined | null,
): AsyncGenerator<Uint8Array, void, undefined> {
  const enc = normalizeEncoding(contentEncoding);
  if (enc === 'identity') {
    yield* source;
    return;
  }
  if (enc === 'gzip') {
    yield* through(source, zlib.createGunzip());
    return;
  }
  // Peek at the first byte: a zlib header has compression method 8 in its low nibble.
  const it = source[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.byteLength === 0) first = await it.next();
  if (first.done) return;
  const head = first.value;
  const raw = (head[0]! & 0x0f) !== 8;
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  yield* through(rest(), raw ? zlib.createInflateRaw() : zlib.createInflate());
}

/** Compresses an upload body (zlib-wrapped deflate, level 1 like Java and PyODPS). */
export function compressBody(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  compression: TunnelCompression = 'deflate',
  level = 1,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (compression !== 'deflate') throw new TunnelError(`unsupported tunnel compression "${String(compression)}"`, { code: 'UnsupportedEncoding' });
  const asAsync = (async function* () { yield* source; })();
  return through(asAsync, zlib.createDeflate({ level }));
}

/** The Content-Encoding header value for an upload compressed with compressBody. */
export function contentEncodingFor(compression: TunnelCompression): string {
  return compression;
}
