// Reads an upload body as a stream of chunks, inflating `Content-Encoding: deflate` (tunnel.md §5).
import type { IncomingMessage } from 'node:http';
import { createInflate } from 'node:zlib';
import { tunnelErrors } from './tunnel-errors.js';

/**
 * Body chunks after removing the content encoding. Only deflate (zlib-wrapped, the SDK default) is
 * implemented; snappy, lz4 and zstd answer 400 so a client sees why instead of a checksum error.
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
  if (encoding === '' || encoding === 'identity') {
    for await (const chunk of req) yield count(chunk as Buffer);
    return;
  }
  if (encoding !== 'deflate') throw tunnelErrors.unsupportedEncoding(encoding);
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
