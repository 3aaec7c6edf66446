// Fault hook: let a response write N body bytes, then tear the connection down (reset mid-body).
import type { ServerResponse } from 'node:http';

type WriteCallback = (err?: Error | null) => void;

function toBuffer(chunk: unknown, encoding?: BufferEncoding): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.from(String(chunk), encoding ?? 'utf8');
}

/**
 * Wrap `res.write`/`res.end` so that after `limit` body bytes the socket is destroyed. Works for any
 * route (REST or tunnel, buffered or streamed); tunnel download routes need nothing else. Headers are
 * sent normally, so the client sees a success status and then a broken body.
 */
export function resetAfterBytes(res: ServerResponse, limit: number): void {
  let written = 0;
  let cut = false;
  const origWrite = res.write.bind(res) as (chunk: unknown, encoding?: BufferEncoding, cb?: WriteCallback) => boolean;
  const origEnd = res.end.bind(res) as (chunk?: unknown, encoding?: BufferEncoding, cb?: () => void) => ServerResponse;

  const cutNow = () => {
    if (cut) return;
    cut = true;
    const socket = res.socket;
    // resetAndDestroy sends a TCP RST where supported; destroy is the fallback.
    if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket?.destroy();
  };

  const limitedWrite = (chunk: unknown, encoding?: BufferEncoding | WriteCallback, cb?: WriteCallback): boolean => {
    if (cut) return false;
    const enc = typeof encoding === 'string' ? encoding : undefined;
    const callback = typeof encoding === 'function' ? encoding : cb;
    const buf = toBuffer(chunk, enc);
    const room = limit - written;
    if (buf.length < room || (buf.length === 0 && room > 0)) {
      written += buf.length;
      return origWrite(buf, undefined, callback);
    }
    written = limit;
    if (room > 0) origWrite(buf.subarray(0, room), undefined, () => setImmediate(cutNow));
    else {
      // Make sure the headers leave before the cut.
      res.flushHeaders();
      setImmediate(cutNow);
    }
    return false;
  };

  res.write = limitedWrite as typeof res.write;
  res.end = ((chunk?: unknown, encoding?: BufferEncoding | (() => void), cb?: () => void) => {
    if (cut) return res;
    if (typeof chunk === 'function') return origEnd(chunk as () => void);
    const enc = typeof encoding === 'string' ? encoding : undefined;
    if (chunk !== undefined && chunk !== null) {
      const buf = toBuffer(chunk, enc);
      if (written + buf.length >= limit) {
        limitedWrite(buf);
        return res;
      }
      written += buf.length;
      return origEnd(buf, undefined, typeof encoding === 'function' ? encoding : cb);
    }
    return origEnd(undefined, undefined, typeof encoding === 'function' ? encoding : cb);
  }) as typeof res.end;
}
