// Loopback HTTP server with a per-test handler that counts requests and tracks how each response ended.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawServer {
  url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Resolves once every response started so far has either finished or had its connection closed. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export async function startRawServer(handler: Handler): Promise<RawServer> {
  let requests = 0;
  const pending: Promise<void>[] = [];
  const server: Server = createServer((req, res) => {
    requests++;
    pending.push(new Promise<void>((resolve) => res.on('close', () => resolve())));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/credentials?token=path-secret`,
    get requests() {
      return requests;
    },
    settled: async () => {
      await Promise.all(pending);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export interface Flood {
  /** Bytes handed to the socket so far. */
  readonly written: number;
  /** True once all bytes were written and the response ended normally. */
  readonly finished: boolean;
}

/**
 * Answers with `total` bytes of `{"Code":"Success","Pad":"xxxx...` in 16 KiB chunks, honouring
 * backpressure: a client that stops reading stops the writer, so `written` shows how far it read.
 */
export function flood(res: ServerResponse, total: number, contentLength: boolean): Flood {
  const state = { written: 0, finished: false };
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const head = Buffer.from('{"Code":"Success","Pad":"');
  res.writeHead(200, { 'content-type': 'application/json', ...(contentLength ? { 'content-length': String(total) } : {}) });
  let closed = false;
  res.on('close', () => {
    closed = true;
  });
  const pump = (): void => {
    while (!closed && state.written < total) {
      const piece = state.written === 0 ? head : chunk.subarray(0, Math.min(chunk.length, total - state.written));
      state.written += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (!closed) {
      res.end(() => {
        state.finished = true;
      });
    }
  };
  pump();
  return state;
}
