// Streams a download body with back-pressure, optionally through deflate, LZ4 frame or zstd (tunnel.md §5).
import type { ServerResponse } from 'node:http';
import { Duplex, type Writable } from 'node:stream';
import { createDeflate } from 'node:zlib';
import { compressBody, type TunnelCompression } from '@odps-ts/odps-client';

/** zstd download bodies are cut into frames of this much input, so the body streams (tunnel.md §5). */
const ZSTD_FRAME_BYTES = 1 << 20;

function encoder(codec: Exclude<TunnelCompression, 'none'>): Duplex {
  // Level 1 like the SDKs' default (tunnel.md §11): fast, low ratio.
  if (codec === 'deflate') return createDeflate({ level: 1 });
  return Duplex.from((source: AsyncIterable<Uint8Array>) => compressBody(source, codec, { frameBytes: ZSTD_FRAME_BYTES }));
}

/** Thrown when the client (or a reset fault) closed the connection mid-body; nothing more to send. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client connection closed before the body was complete');
  }
}

/**
 * Writes to `res` (or to an encoder piped into it) and waits for 'drain' whenever a write
 * returns false, so a large body never piles up in memory. A connection that closes early (client
 * gone, or the reset-after-bytes fault destroying the socket) wakes every waiter and makes further
 * writes throw ClientGoneError.
 */
export class BodySink {
  private readonly encoder: Duplex | undefined;
  private readonly target: Writable;
  private closed = false;
  private wakers = new Set<() => void>();

  constructor(private readonly res: ServerResponse, codec: TunnelCompression) {
    if (codec !== 'none') {
      this.encoder = encoder(codec);
      // pipe() does not forward errors: an encoder failure cuts the body instead of crashing the process.
      this.encoder.once('error', (err) => res.destroy(err));
      this.encoder.pipe(res);
      this.target = this.encoder;
    } else {
      this.target = res;
    }
    res.once('close', () => {
      if (!res.writableFinished) this.closed = true;
      this.encoder?.destroy();
      for (const wake of this.wakers) wake();
      this.wakers.clear();
    });
  }

  get gone(): boolean {
    return this.closed;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.closed) throw new ClientGoneError();
    if (chunk.byteLength === 0) return;
    if (!this.target.write(chunk)) await this.waitDrain();
    if (this.closed) throw new ClientGoneError();
  }

  /** Finish the body (flushes the encoder) and wait until it left or the connection closed. */
  async end(): Promise<void> {
    if (this.closed) throw new ClientGoneError();
    await new Promise<void>((resolve) => {
      const done = () => {
        this.wakers.delete(done);
        resolve();
      };
      this.wakers.add(done);
      this.res.once('finish', done);
      this.target.end();
    });
  }

  private waitDrain(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        this.target.off('drain', done);
        this.wakers.delete(done);
        resolve();
      };
      this.wakers.add(done);
      this.target.once('drain', done);
    });
  }
}
