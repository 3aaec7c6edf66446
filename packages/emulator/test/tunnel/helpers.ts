// Tunnel test helpers: an emulator with a real engine and fixture tables, and raw signed tunnel requests.
import { signRequest } from '@odps-ts/auth';
import { request } from 'undici';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../src/index.js';

export interface TunnelResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json<T = Record<string, unknown>>(): T;
}

export interface TunnelCallOptions {
  headers?: Record<string, string>;
  body?: Uint8Array | string | AsyncIterable<Uint8Array>;
  version?: '5' | '6' | null;
  /** Sign with this secret instead of the emulator's (to provoke SignatureNotMatch). */
  secret?: string;
}

/** A signed tunnel request (path relative to the tunnel endpoint, query included and already encoded). */
export async function tunnel(emu: Emulator, method: string, pathAndQuery: string, opts: TunnelCallOptions = {}): Promise<TunnelResponse> {
  const url = `${emu.tunnelEndpoint}${pathAndQuery}`;
  const headers: Record<string, string> = {
    Date: new Date().toUTCString(),
    ...(opts.version === null ? {} : { 'x-odps-tunnel-version': opts.version ?? '6' }),
    ...opts.headers,
  };
  if (opts.body !== undefined && typeof opts.body !== 'string' && !(opts.body instanceof Uint8Array)) {
    headers['Content-Type'] = 'application/octet-stream';
  } else if (opts.body === undefined) {
    headers['Content-Length'] = '0';
  }
  Object.assign(
    headers,
    signRequest({ method, url, headers }, { accessKeyId: emu.accessKeyId, accessKeySecret: opts.secret ?? emu.accessKeySecret }, { endpoint: emu.tunnelEndpoint }),
  );
  const res = await request(url, { method: method as 'GET', headers, ...(opts.body !== undefined ? { body: opts.body as Uint8Array } : {}) });
  const body = Buffer.from(await res.body.arrayBuffer());
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(',') : v;
  return {
    status: res.statusCode,
    headers: flat,
    body,
    json<T>() {
      return JSON.parse(body.toString('utf8')) as T;
    },
  };
}

export const T0 = Date.UTC(2025, 0, 2, 3, 4, 5);

/** Emulator (DuckDB engine, no demo seed) with fixture tables `items` and partitioned `sales`. */
export async function startTunnelEmulator(opts: StartEmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator({ seed: false, ...opts });
  await emu.engine.execute(
    emu.project,
    `CREATE TABLE items (id BIGINT, name STRING, score DOUBLE, ts TIMESTAMP, day DATE, price DECIMAL(10,2), tags ARRAY<BIGINT>, attrs MAP<STRING,BIGINT>, info STRUCT<a:BIGINT,b:STRING>, dt DATETIME, flag BOOLEAN);
     CREATE TABLE sales (a BIGINT, b STRING, c DOUBLE) PARTITIONED BY (ds STRING, hh STRING);`,
    { hints: { 'odps.sql.type.system.odps2': 'true' } },
  );
  return emu;
}
