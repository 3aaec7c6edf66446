// Streams a download body with back-pressure, optionally through zlib deflate (tunnel.md §5).
import type { ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { createDeflate, type Deflate } from 'node:zlib';

/** Thrown when the client (or a reset fault) closed the connection mid-body; nothing more to send. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor() {
    super('the client connection closed before the body was complete');
  }
}

/**
 * Writes to `res` (or to a deflate stream piped into it) and waits for 'drain' whenever a write
 * returns false, so a large body never piles up in memory. A connection that closes early (client
 * gone, or the reset-after-bytes fault destroying the socket) wakes every waiter and makes further
 * writes throw ClientGoneError.
 */
export class BodySink {
  private readonly deflate: Deflate | undefined;
  private readonly target: Writable;
  private closed = false;
  private wakers = new Set<() => void>();

  constructor(private readonly res: ServerResponse, compress: boolean) {
    if (compress) {
      // Level 1 like the SDKs' default (tunnel.md §11): fast, low ratio.
      this.deflate = createDeflate({ level: 1 });
      this.deflate.pipe(res);
      this.target = this.deflate;
    } else {
      this.target = res;
    }
    res.once('close', () => {
      if (!res.writableFinished) this.closed = true;
      this.deflate?.destroy();
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

  /** Finish the body (flushes deflate) and wait until it left or the connection closed. */
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
