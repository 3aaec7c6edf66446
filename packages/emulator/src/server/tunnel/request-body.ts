// Reads an upload body as a stream of chunks, removing its Content-Encoding (deflate, LZ4 frame, zstd; tunnel.md §5).
import type { IncomingMessage } from 'node:http';
import { createInflate } from 'node:zlib';
import { decompressBody, TunnelError } from '@odps-ts/odps-client';
import { uploadEncoding } from './tunnel-params.js';
import { tunnelErrors } from './tunnel-errors.js';

/** LZ4 and zstd bodies, decoded by the client's codecs; their corrupt-data errors become 400s. */
async function* decodeFramed(req: IncomingMessage, encoding: string, maxBytes: number): AsyncGenerator<Uint8Array, void, undefined> {
  try {
    yield* decompressBody(req as AsyncIterable<Uint8Array>, encoding, { maxBytes });
  } catch (err) {
    if (err instanceof TunnelError) throw tunnelErrors.malformed(`the ${encoding} body is corrupt (${err.message})`);
    throw err;
  }
}

/**
 * Body chunks after removing the content encoding: deflate (zlib-wrapped, the SDK default), LZ4 frame
 * (`x-lz4-frame`, `x-odps-lz4-frame`) or zstd; snappy and anything else answer 400 so a client sees why
 * instead of a checksum error.
 * The request is never destroyed here: on an error the caller answers and the handler drains it.
 */
export async function* requestBodyChunks(req: IncomingMessage, maxBytes: number): AsyncGenerator<Uint8Array, void, undefined> {
  const encoding = (req.headers['content-encoding'] ?? '').toString().trim().toLowerCase();
  let total = 0;
  const count = (chunk: Uint8Array): Uint8Array => {
    total += chunk.byteLength;
    if (total > maxBytes) throw tunnelErrors.malformed(`the block is larger than the emulator's limit of ${maxBytes} bytes`);
    return chunk;
  };
  const codec = uploadEncoding(encoding);
  if (codec === undefined) throw tunnelErrors.unsupportedEncoding(encoding);
  if (codec === 'none') {
    for await (const chunk of req) yield count(chunk as Buffer);
    return;
  }
  if (codec !== 'deflate') {
    for await (const chunk of decodeFramed(req, encoding, maxBytes + 1)) yield count(chunk);
    return;
  }
  const inflate = createInflate();
  const onAbort = () => inflate.destroy(new Error('the client aborted the upload'));
  req.once('aborted', onAbort);
  req.once('error', onAbort);
  req.pipe(inflate);
  try {
    for await (const chunk of inflate) yield count(chunk as Buffer);
  } catch (err) {
    const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
    if (err instanceof Error && typeof code === 'string' && code.startsWith('Z_')) {
      throw tunnelErrors.malformed(`the deflate body is corrupt (${err.message})`);
    }
    throw err;
  } finally {
    req.unpipe(inflate);
    req.off('aborted', onAbort);
    req.off('error', onAbort);
    inflate.destroy();
  }
}
