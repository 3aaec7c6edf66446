// A tiny loopback tunnel server (node:http on 127.0.0.1) serving real record streams, with fault hooks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeflate, inflateSync } from 'node:zlib';
import { ODPS } from '../../src/odps.js';
import { RecordStreamEncoder } from '../../src/tunnel/records/record-encoder.js';
import type { Column } from '../../src/types/column.js';
import { FakeAccount } from '../http/fakes.js';

export interface Logged {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export interface DataFault {
  /** Destroy the socket once this many body bytes were written. */
  cutAfterBytes?: number;
  /** End the response normally (valid chunked end) after this many bytes: a truncated stream. */
  truncateAt?: number;
  /** XOR 0xff into the byte at this body offset. */
  flipByteAt?: number;
  /** Wait before answering. */
  delayMs?: number;
}

export interface ServerOptions {
  columns: Column[];
  count: number;
  rowAt: (i: number) => unknown[];
  /** Fault for the n-th data request (0-based). */
  dataFault?: (n: number, start: number, count: number) => DataFault | undefined;
  /** Status to answer the n-th PUT of a block (undefined = store it). */
  putFault?: (blockId: number, attempt: number) => number | undefined;
  /** Answer data with Content-Encoding: deflate when the client accepts it. */
  deflate?: boolean;
}

export interface TunnelServer {
  url: string;
  log: Logged[];
  blocks: Map<number, Buffer>;
  /** Bytes of data bodies handed to the socket so far, and whether a writer waits for 'drain'. */
  stats: { written: number; waitingDrain: boolean };
  odps(): ODPS;
  close(): Promise<void>;
}

const SESSION_SCHEMA = (cols: Column[]) => ({ columns: cols.map((c) => ({ name: c.name, type: c.type, comment: '', nullable: true })), partitionKeys: [{ name: 'ds', type: 'string' }] });

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of req) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

export async function startTunnelServer(opts: ServerOptions): Promise<TunnelServer> {
  const log: Logged[] = [];
  const blocks = new Map<number, Buffer>();
  const putAttempts = new Map<number, number>();
  const stats = { written: 0, waitingDrain: false };
  let dataRequests = 0;
  const clients: ODPS[] = [];

  async function serveData(res: ServerResponse, query: URLSearchParams, accept: string): Promise<void> {
    const m = /^\((\d+),(\d+)\)$/.exec(query.get('rowrange') ?? '');
    if (!m) {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"Code":"InvalidRowRange","Message":"bad rowrange"}');
      return;
    }
    const start = Number(m[1]);
    const count = Number(m[2]);
    const fault = opts.dataFault?.(dataRequests++, start, count) ?? {};
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    const names = query.get('columns')?.split(',');
    const idx = names ? names.map((n) => opts.columns.findIndex((c) => c.name === n)) : opts.columns.map((_, i) => i);
    const cols = idx.map((i) => opts.columns[i]!);
    const deflate = opts.deflate === true && accept.includes('deflate');
    res.writeHead(200, { 'content-type': 'application/octet-stream', ...(deflate ? { 'content-encoding': 'deflate' } : {}) });
    const sink = deflate ? createDeflate() : undefined;
    sink?.pipe(res);
    const out = sink ?? res;
    let offset = 0;
    const write = async (chunk: Uint8Array): Promise<boolean> => {
      let buf = Buffer.from(chunk);
      if (fault.flipByteAt !== undefined && fault.flipByteAt >= offset && fault.flipByteAt < offset + buf.length) {
        buf = Buffer.from(buf);
        buf[fault.flipByteAt - offset]! ^= 0xff;
      }
      const limit = fault.cutAfterBytes ?? fault.truncateAt;
      if (limit !== undefined && offset + buf.length >= limit) {
        const head = buf.subarray(0, limit - offset);
        offset = limit;
        if (fault.cutAfterBytes !== undefined) {
          await new Promise<void>((r) => out.write(head, () => r()));
          res.socket?.destroy();
        } else {
          out.end(head);
        }
        return false;
      }
      offset += buf.length;
      stats.written += buf.length;
      if (!out.write(buf)) {
        stats.waitingDrain = true;
        await new Promise<void>((r, j) => {
          const gone = (): void => j(new Error('client went away'));
          res.once('close', gone);
          out.once('drain', () => {
            res.off('close', gone);
            r();
          });
        });
        stats.waitingDrain = false;
      }
      return true;
    };
    try {
      const enc = new RecordStreamEncoder(cols, { chunkSize: 16384 });
      for (let i = start; i < start + count; i++) {
        const row = opts.rowAt(i);
        const chunk = enc.write(idx.map((j) => row[j]));
        if (chunk && !(await write(chunk))) return;
      }
      if (!(await write(enc.finish()))) return;
      out.end();
    } catch {
      res.destroy();
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://x');
      const body = await readBody(req);
      const entry: Logged = { method: req.method ?? '', path: decodeURIComponent(u.pathname), query: u.searchParams, headers: req.headers, body };
      log.push(entry);
      const q = u.searchParams;
      const json = (status: number, doc: unknown) => res.writeHead(status, { 'content-type': 'application/json', 'x-odps-request-id': 'rid-1' }).end(JSON.stringify(doc));
      if (req.method === 'POST' && q.has('downloads')) return json(201, { DownloadID: 'dl-1', Status: 'NORMAL', RecordCount: opts.count, Schema: SESSION_SCHEMA(opts.columns) });
      if (req.method === 'GET' && q.has('data')) return serveData(res, q, String(req.headers['accept-encoding'] ?? ''));
      if (req.method === 'POST' && q.has('uploads')) return json(201, { UploadID: 'up-1', Status: 'NORMAL', UploadedBlockList: [], Schema: SESSION_SCHEMA(opts.columns) });
      if (req.method === 'PUT' && q.has('blockid')) {
        const id = Number(q.get('blockid'));
        const attempt = (putAttempts.get(id) ?? 0) + 1;
        putAttempts.set(id, attempt);
        const status = opts.putFault?.(id, attempt);
        if (status !== undefined) return json(status, { Code: 'InternalServerError', Message: 'injected' });
        blocks.set(id, req.headers['content-encoding'] === 'deflate' ? inflateSync(body) : body);
        return res.writeHead(200).end();
      }
      if (q.has('uploadid')) {
        const list = [...blocks.keys()].sort((a, b) => a - b).map((id) => ({ BlockID: id, RecordCount: 0 }));
        const closed = req.method === 'POST';
        return json(200, { UploadID: 'up-1', Status: closed ? 'CLOSED' : 'NORMAL', UploadedBlockList: list, Schema: SESSION_SCHEMA(opts.columns) });
      }
      return json(404, { Code: 'NoSuchPath', Message: `${req.method} ${u.pathname}${u.search}` });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url, log, blocks, stats,
    odps() {
      const o = new ODPS({ account: new FakeAccount(), project: 'p1', endpoint: `${url}/api`, tunnelEndpoint: url, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
      clients.push(o);
      return o;
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export function dataRequests(log: Logged[]): Logged[] {
  return log.filter((l) => l.method === 'GET' && l.query.has('data'));
}
