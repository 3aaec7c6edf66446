// A loopback proxy in front of the emulator that answers chosen requests itself (malformed XML, corrupt
// tunnel bytes) and forwards the rest, so the CLI can be shown bad data from a "server".
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '@odps-ts/emulator';

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/** Decides per request: an answer to send instead of the emulator's, or undefined to forward. */
export type Tamper = (method: string, url: URL) => FakeAnswer | undefined;

export interface TamperProxy {
  /** REST endpoint through the proxy (`.../api`). */
  endpoint: string;
  /** Tunnel endpoint through the proxy. */
  tunnelEndpoint: string;
  /** The rule used for the next requests (undefined forwards everything). */
  tamper: Tamper | undefined;
  close(): Promise<void>;
}

export async function startTamperProxy(emu: Emulator): Promise<TamperProxy> {
  const target = new URL(emu.tunnelEndpoint);
  const proxy: TamperProxy = { endpoint: '', tunnelEndpoint: '', tamper: undefined, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy.invalid');
    const answer = proxy.tamper?.(req.method ?? 'GET', url);
    if (answer) {
      // Drain the request first so the client is not cut off mid-upload.
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status ?? 200, { 'x-odps-request-id': 'tamper-proxy', ...answer.headers });
        res.end(answer.body);
      });
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  proxy.endpoint = `http://127.0.0.1:${port}/api`;
  proxy.tunnelEndpoint = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
