// A minimal loopback tunnel server over pre-encoded bodies: download/upload sessions, no decoding.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Column } from '@odps-ts/odps-client';
import type { ArrowBlob } from './arrow-blob.js';
import type { RecordBlob } from './record-blob.js';

export interface BlobTable {
  columns: readonly Column[];
  recordCount: number;
  record: RecordBlob;
  arrow?: ArrowBlob;
}

interface UploadState {
  table: string;
  blocks: Map<number, number>;
  status: 'normal' | 'closed';
}

export interface BlobServer {
  url: string;
  /** Bytes received by PUTs since start (what the client sent, after HTTP framing). */
  readonly uploadedBytes: number;
  close(): Promise<void>;
}

function schemaJson(columns: readonly Column[]): Record<string, unknown> {
  return { IsVirtualView: false, columns: columns.map((c) => ({ name: c.name, type: c.type, comment: '', nullable: true })), partitionKeys: [] };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Resolves on 'drain' or 'close', removing both listeners either way. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function writeAll(res: ServerResponse, pieces: Iterable<Uint8Array>): Promise<void> {
  for (const piece of pieces) {
    if (res.destroyed) return;
    if (!res.write(piece)) await drained(res);
  }
  res.end();
}

/**
 * Routes (tunnel.md §2, §6): POST ?downloads, GET ?data&downloadid&rowrange[&arrow], POST ?uploads,
 * PUT ?uploadid&blockid (body drained and counted), GET ?uploadid, POST ?uploadid (commit).
 */
export async function startBlobServer(tables: Map<string, BlobTable>): Promise<BlobServer> {
  const downloads = new Map<string, string>();
  const uploads = new Map<string, UploadState>();
  let seq = 0;
  let uploadedBytes = 0;

  const uploadJson = (id: string, u: UploadState): Record<string, unknown> => ({
    UploadID: id, Status: u.status, Schema: schemaJson(tables.get(u.table)!.columns),
    UploadedBlockList: [...u.blocks.keys()].sort((a, b) => a - b).map((b) => ({ BlockID: b })),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const m = /^\/projects\/[^/]+\/tables\/([^/]+)$/.exec(url.pathname);
    const q = url.searchParams;
    const name = m ? decodeURIComponent(m[1]!).toLowerCase() : '';
    const table = tables.get(name);
    if (!table) {
      req.resume();
      sendJson(res, 404, { Code: 'NoSuchTable', Message: `no table ${name}` });
      return;
    }
    if (req.method === 'POST' && q.has('downloads')) {
      const id = `dl${++seq}`;
      downloads.set(id, name);
      sendJson(res, 201, { DownloadID: id, Status: 'NORMAL', RecordCount: table.recordCount, Schema: schemaJson(table.columns) });
      return;
    }
    if (req.method === 'GET' && q.has('downloadid')) {
      const id = q.get('downloadid')!;
      if (downloads.get(id) !== name) {
        sendJson(res, 404, { Code: 'NoSuchDownload', Message: id });
        return;
      }
      if (!q.has('data')) {
        sendJson(res, 200, { DownloadID: id, Status: 'NORMAL', RecordCount: table.recordCount, Schema: schemaJson(table.columns) });
        return;
      }
      const rr = /^\((\d+),(\d+)\)$/.exec(q.get('rowrange') ?? '');
      const start = rr ? Number(rr[1]) : 0;
      const count = rr ? Number(rr[2]) : table.recordCount;
      if (start + count > table.recordCount) {
        sendJson(res, 400, { Code: 'InvalidRowRange', Message: `(${start},${count})` });
        return;
      }
      const arrow = q.has('arrow');
      if (arrow && !table.arrow?.aligned(start, count)) {
        sendJson(res, 400, { Code: 'InvalidRowRange', Message: `Arrow range (${start},${count}) not aligned` });
        return;
      }
      res.writeHead(200, { 'Content-Type': arrow ? 'application/vnd.apache.arrow.stream' : 'application/octet-stream' });
      await writeAll(res, arrow ? table.arrow!.rangeBody(start, count) : table.record.rangeBody(start, count));
      return;
    }
    if (req.method === 'POST' && q.has('uploads')) {
      const id = `up${++seq}`;
      const u: UploadState = { table: name, blocks: new Map(), status: 'normal' };
      uploads.set(id, u);
      sendJson(res, 201, uploadJson(id, u));
      return;
    }
    const uid = q.get('uploadid');
    const u = uid ? uploads.get(uid) : undefined;
    if (!uid || !u) {
      req.resume();
      sendJson(res, 404, { Code: 'NoSuchUpload', Message: String(uid) });
      return;
    }
    if (req.method === 'PUT') {
      let n = 0;
      for await (const chunk of req) n += (chunk as Buffer).byteLength;
      uploadedBytes += n;
      u.blocks.set(Number(q.get('blockid')), n);
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();
      return;
    }
    if (req.method === 'GET') {
      sendJson(res, 200, uploadJson(uid, u));
      return;
    }
    if (req.method === 'POST') {
      req.resume();
      u.status = 'closed';
      sendJson(res, 200, uploadJson(uid, u));
      return;
    }
    req.resume();
    sendJson(res, 405, { Code: 'MethodNotAllowed', Message: String(req.method) });
  };

  const server: Server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { Code: 'InternalError', Message: String(err) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get uploadedBytes() {
      return uploadedBytes;
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
